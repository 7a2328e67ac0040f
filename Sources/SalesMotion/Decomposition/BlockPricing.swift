// SPDX-License-Identifier: GPL-3.0-or-later


/// Prices every account's block at given duals of the linking rows: the best tier and local
/// effort of each account alone, in closed form.
///
/// With duals π, one FTE on response segment k of a pair earns, net of its prices,
/// `d_k = α·g_k − β_r`, where `g_k` is the segment's revenue per FTE, `α` the margin less the
/// prices of revenue in the linking rows and `β_r` the FTE's priced cost in region r
/// (``LinkingStructure/effortPrices(_:)``). The gains `g_k` fall with k (the curve is
/// concave), so the best effort fills segments in order while `d_k > 0`, and never less than
/// the tier's minimum coverage. Each tier is then worth its own priced value plus its pairs'
/// best effort; the account takes the best tier.
struct BlockPricing {
    /// Read once per pricing into local arrays, so the existential costs nothing in the loop.
    let structure: any BlockStructure

    /// An account's best block at the duals, with what it uses of every row.
    struct Choice {
        var option: Int
        var fte: [Double]
        /// Priced value of the best option, and of the runner-up (−∞ when there is none).
        var reducedValue: Double
        var runnerUp: Double
        /// Priced value of every option (each with its best effort), when asked for.
        var optionValues: [Double] = []
    }

    /// The aggregated best plan at `duals`.
    struct Plan {
        /// The Lagrangian bound `L(π) = Σ_a best priced value + π·b + constant`, an upper bound on
        /// the optimum for duals of the right signs (≥ 0 on ≤ rows, ≤ 0 on ≥ rows).
        var bound: Double
        /// The plan's objective and its use of every linking row.
        var objective: Double
        var usage: [Double]
        /// Per account, when asked for.
        var choices: [Choice]
        /// The plan of each group of accounts (account `a` in group `a % groups`): objective
        /// (without the constant) and use of the rows, `rows` values per group; empty unless asked for.
        var partObjective: [Double] = []
        var partUsage: [Double] = []
    }

    func price(_ duals: [Double], recordChoices: Bool = false, recordOptionValues: Bool = false, groups: Int = 0) -> Plan {
        let table = structure.pricingTable
        // The table's arrays, read most, without bounds checks: every index comes from the
        // table's own ranges, checked once when it was made (``PricingTable/init(_:)``), or from
        // the rows and classes checked here.
        return table.withPointers { pointers in
            price(duals, recordChoices: recordChoices, recordOptionValues: recordOptionValues, groups: groups, table: pointers)
        }
    }

    private func price(_ duals: [Double], recordChoices: Bool, recordOptionValues: Bool, groups: Int,
                       table t: PricingTable.Pointers) -> Plan {
        let s = structure
        let margins = s.margins, effort = s.effort
        let rows = s.rowCount, classes = effort.cost.count, groupCount = effort.weight.count
        // The rows and classes the table refers to, and the effort classes' own references.
        precondition(duals.count == rows && margins.count == s.accountCount && t.optionStart.count == s.accountCount + 1
                     && t.rowLimit <= rows && t.classLimit <= classes
                     && effort.group.count == classes && effort.capacityRow.count == classes && effort.rows.count == groupCount
                     && effort.costWeights.count == rows && effort.revenueWeights.count == rows
                     && effort.group.allSatisfy { (0..<groupCount).contains($0) }
                     && effort.capacityRow.allSatisfy { (0..<rows).contains($0) }
                     && effort.rows.allSatisfy { $0.allSatisfy { (0..<rows).contains($0) } },
                     "pricing: table, rows and effort classes out of step")
        // Each group's rows in one flat array: indexing an array of arrays in the loop retains.
        let groupRowStart = effort.rows.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        let groupRowIndex = effort.rows.flatMap { $0 }
        let revenueFactor = effort.revenueFactors(duals)
        let beta = effort.effortPrices(duals)
        // Each group's plan (one group unless asked for): the plan is their sum.
        let parts = max(1, groups)
        var partObjective = [Double](repeating: 0, count: parts)
        var partUsage = [Double](repeating: 0, count: parts * rows)
        var total = s.constant
        for i in 0..<rows { total += duals[i] * s.rightHandSides[i] }
        var choices: [Choice] = []
        if recordChoices { choices.reserveCapacity(s.accountCount) }
        // Per pair of the current account: its free effort; `α`, its group's weight × margin less
        // the price of revenue; the priced value at its free effort (the same for every option
        // whose minimum is below it) and the revenue it wins.
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: 4 * max(1, t.mostPairs))
        defer { scratch.deallocate() }
        scratch.initialize(repeating: 0)
        let freeFTE = scratch.baseAddress!, pairAlpha = freeFTE + t.mostPairs
        let freePriced = pairAlpha + t.mostPairs, freeRevenue = freePriced + t.mostPairs
        let segmentStart = t.segmentStart, saturation = t.saturation, gainScale = t.gainScale, curve = t.curve
        let curveWidth = t.curveWidth, curveSlope = t.curveSlope
        let optionStart = t.optionStart, optionValue = t.optionValue, usageStart = t.usageStart, usageRow = t.usageRow
        let usageCoefficient = t.usageCoefficient, minimumStart = t.minimumStart, minimum = t.minimum
        let pairStart = t.pairStart, pairClass = t.pairClass
        /// Effort `x` filled into pair `p`'s segments in order: its priced value and revenue.
        /// (The segment widths and gains are the table's: the curve's, scaled by the pair.)
        func fill(_ p: Int, to x: Double, alpha: Double, beta: Double) -> (priced: Double, revenue: Double) {
            var left = x, priced = 0.0, revenue = 0.0
            let base = Int(curve[p]) &- segmentStart[p], sat = saturation[p], scale = gainScale[p]
            for k in segmentStart[p]..<segmentStart[p &+ 1] where left > 0 {
                let width = curveWidth[base &+ k] * sat, gain = curveSlope[base &+ k] * scale
                let amount = min(left, width)
                priced += (alpha * gain - beta) * amount
                revenue += gain * amount
                left -= amount
            }
            return (priced, revenue)
        }
        duals.withUnsafeBufferPointer { duals in
        margins.withUnsafeBufferPointer { margins in
        beta.withUnsafeBufferPointer { beta in
        revenueFactor.withUnsafeBufferPointer { revenueFactor in
        effort.group.withUnsafeBufferPointer { classGroup in
        effort.weight.withUnsafeBufferPointer { groupWeight in
        effort.cost.withUnsafeBufferPointer { classCost in
        partUsage.withUnsafeMutableBufferPointer { partUsage in
        partObjective.withUnsafeMutableBufferPointer { partObjective in
        for a in 0..<s.accountCount {
            let margin = margins[a]
            let firstPair = pairStart[a], pairEnd = pairStart[a &+ 1]
            for p in firstPair..<pairEnd {
                var x = 0.0
                let c = pairClass[p], g = classGroup[c]
                let alpha = groupWeight[g] * margin - revenueFactor[g]
                pairAlpha[p &- firstPair] = alpha
                let price = beta[c]
                // The segments that earn more than they cost (a prefix: the curve is concave), and
                // their priced value, in one pass.
                var priced = 0.0, revenue = 0.0
                let base = Int(curve[p]) &- segmentStart[p], sat = saturation[p], scale = gainScale[p]
                for k in segmentStart[p]..<segmentStart[p &+ 1] {
                    let width = curveWidth[base &+ k] * sat, gain = curveSlope[base &+ k] * scale
                    let net = alpha * gain - price
                    if net <= 0 { break }
                    x += width
                    priced += net * width
                    revenue += gain * width
                }
                freeFTE[p &- firstPair] = x
                freePriced[p &- firstPair] = priced
                freeRevenue[p &- firstPair] = revenue
            }
            var best = -Double.infinity, second = -Double.infinity, bestOption = optionStart[a]
            var optionValues: [Double] = []
            for o in optionStart[a]..<optionStart[a &+ 1] {
                var value = optionValue[o]
                for u in usageStart[o]..<usageStart[o &+ 1] { value -= duals[usageRow[u]] * usageCoefficient[u] }
                for p in firstPair..<pairEnd where segmentStart[p] < segmentStart[p &+ 1] {
                    let e = p &- firstPair, least = minimum[minimumStart[o] &+ e]
                    value += least <= freeFTE[e] ? freePriced[e] : fill(p, to: least, alpha: pairAlpha[e], beta: beta[pairClass[p]]).priced
                }
                if recordOptionValues { optionValues.append(value) }
                if value > best { second = best; best = value; bestOption = o } else if value > second { second = value }
            }
            total += best
            // The account's group, and where its use of the rows starts in `partUsage`.
            let part = a % parts, partRow = part &* rows
            partObjective[part] += optionValue[bestOption]
            for u in usageStart[bestOption]..<usageStart[bestOption &+ 1] { partUsage[partRow &+ usageRow[u]] += usageCoefficient[u] }
            var chosenFTE: [Double] = []
            for p in firstPair..<pairEnd {
                let e = p &- firstPair
                let hasSegments = segmentStart[p] < segmentStart[p &+ 1]
                let least = hasSegments ? minimum[minimumStart[bestOption] &+ e] : 0
                let x = hasSegments ? max(least, freeFTE[e]) : 0
                if recordChoices { chosenFTE.append(x) }
                guard x > 0 else { continue }
                let c = pairClass[p], g = classGroup[c]
                let revenue = least <= freeFTE[e] ? freeRevenue[e] : fill(p, to: x, alpha: pairAlpha[e], beta: beta[c]).revenue
                let cost = classCost[c]
                partObjective[part] += groupWeight[g] * (margin * revenue - cost * x)
                partUsage[partRow &+ effort.capacityRow[c]] += x
                for r in groupRowStart[g]..<groupRowStart[g &+ 1] {
                    let i = groupRowIndex[r]
                    partUsage[partRow &+ i] += effort.costWeights[i] * cost * x + effort.revenueWeights[i] * revenue
                }
            }
            if recordChoices {
                choices.append(Choice(option: bestOption &- optionStart[a], fte: chosenFTE, reducedValue: best, runnerUp: second,
                                      optionValues: optionValues))
            }
        }
        }}}}}}}}}
        var usage = Array(partUsage[0..<rows])
        for part in 1..<parts { for i in 0..<rows { usage[i] += partUsage[part * rows + i] } }
        let objective = partObjective.reduce(s.constant, +)
        return groups > 0 ? Plan(bound: total, objective: objective, usage: usage, choices: choices, partObjective: partObjective,
                                 partUsage: partUsage)
            : Plan(bound: total, objective: objective, usage: usage, choices: choices)
    }
}
