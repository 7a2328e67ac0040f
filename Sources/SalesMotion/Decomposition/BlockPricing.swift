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

/// The accounts' blocks in flat arrays, for pricing's inner loop: each account's options and
/// footprint pairs as ranges of shared arrays (`optionStart[a]..<optionStart[a + 1]`, …), each
/// option's nonzero row coefficients in row order, each pair's segments in order. Built once per
/// linking structure; a structure that takes new bounds (``LinkingStructure/withBounds(of:)``)
/// shares it.
final class PricingTable: Sendable {
    let optionStart: [Int]
    let optionValue: [Double]
    let usageStart: [Int]
    let usageRow: [Int]
    let usageCoefficient: [Double]
    /// Per option, where its minimum FTE per pair start in `minimum`.
    let minimumStart: [Int]
    let minimum: [Double]
    let pairStart: [Int]
    /// Each pair's effort class (``EffortClasses``; in a single year, its region).
    let pairClass: [Int]
    /// Where each pair's segments start, in a numbering of all segments (`segmentStart[p]..<
    /// segmentStart[p + 1]`). A segment's width and gain are its curve's scaled by its pair
    /// (``segmentWidth(_:pair:)``): at a million accounts, stored per segment they were 350 MB.
    let segmentStart: [Int]
    /// Each pair's saturation scale `s` and gain scale (local potential / s), and where its
    /// response curve's segments start in `curveWidth` and `curveSlope` (the distinct curves,
    /// back to back).
    let pairSaturation: [Double]
    let pairGainScale: [Double]
    let pairCurve: [Int32]
    let curveWidth: [Double]
    let curveSlope: [Double]
    /// The most footprint pairs of any account.
    let mostPairs: Int
    /// One more than the largest row an option uses, and than the largest class of a pair (0
    /// when none): pricing checks its rows and classes against them.
    let rowLimit: Int
    let classLimit: Int

    fileprivate init(_ builder: inout Builder) {
        // The builder's arrays grew by doubling, up to twice what they hold: each is copied
        // exactly (unless it was reserved to its size) and let go before the next, so that at
        // a million accounts no two copies of the large ones are alive together.
        func exact<T>(_ array: inout [T]) -> [T] {
            defer { array = [] }
            guard array.capacity - array.count > array.count / 64 else { return array }
            var copy: [T] = []
            copy.reserveCapacity(array.count)
            copy.append(contentsOf: array)
            return copy
        }
        optionStart = exact(&builder.optionStart)
        optionValue = exact(&builder.optionValue)
        usageStart = exact(&builder.usageStart)
        usageRow = exact(&builder.usageRow)
        usageCoefficient = exact(&builder.usageCoefficient)
        minimumStart = exact(&builder.minimumStart)
        minimum = exact(&builder.minimum)
        if let shared = builder.pairsOf {
            // The same pairs as another table's: its arrays, not copies.
            (pairStart, pairClass, segmentStart, mostPairs) = (shared.pairStart, shared.pairClass, shared.segmentStart, shared.mostPairs)
            (pairSaturation, pairGainScale, pairCurve) = (shared.pairSaturation, shared.pairGainScale, shared.pairCurve)
            (curveWidth, curveSlope) = (shared.curveWidth, shared.curveSlope)
        } else {
            pairStart = exact(&builder.pairStart)
            pairClass = exact(&builder.pairClass)
            segmentStart = exact(&builder.segmentStart)
            pairSaturation = exact(&builder.pairSaturation)
            pairGainScale = exact(&builder.pairGainScale)
            pairCurve = exact(&builder.pairCurve)
            (curveWidth, curveSlope) = (builder.curveWidth, builder.curveSlope)
            mostPairs = builder.mostPairs
        }
        rowLimit = (usageRow.max() ?? -1) + 1
        classLimit = (pairClass.max() ?? -1) + 1
        // Pricing reads the arrays without bounds checks, at indices from the accounts', options'
        // and pairs' ranges, and a pair's curve segments at `pairCurve[p] + k`: made account by
        // account, each of them in step. Checked once here, in one pass.
        let pairs = pairClass.count, accounts = pairStart.count - 1
        precondition(pairStart.last == pairs && segmentStart.count == pairs + 1 && pairSaturation.count == pairs
                     && pairGainScale.count == pairs && pairCurve.count == pairs && curveSlope.count == curveWidth.count
                     && (0..<pairs).allSatisfy {
                         segmentStart[$0] <= segmentStart[$0 + 1] && pairCurve[$0] >= 0
                             && Int(pairCurve[$0]) + segmentStart[$0 + 1] - segmentStart[$0] <= curveWidth.count
                     },
                     "pricing table's pair arrays out of step")
        precondition(accounts >= 0 && optionStart.count == accounts + 1 && optionStart.first == 0 && pairStart.first == 0
                     && segmentStart.first == 0 && optionStart.last == optionValue.count && usageStart.count == optionValue.count + 1
                     && minimumStart.count == optionValue.count && usageStart.first == 0 && usageStart.last == usageRow.count
                     && usageCoefficient.count == usageRow.count && usageRow.allSatisfy { $0 >= 0 }
                     && (0..<optionValue.count).allSatisfy { usageStart[$0] <= usageStart[$0 + 1] }
                     && (0..<accounts).allSatisfy { a in
                         let width = pairStart[a + 1] - pairStart[a]
                         return optionStart[a] < optionStart[a + 1] && pairStart[a] <= pairStart[a + 1] && width <= mostPairs
                             && (optionStart[a]..<optionStart[a + 1]).allSatisfy {
                                 minimumStart[$0] >= 0 && minimumStart[$0] + width <= minimum.count
                             }
                     },
                     "pricing table's option arrays out of step")
    }

    /// The table's arrays as buffers, for pricing's inner loop (no bounds checks in an
    /// optimised build: its indices are the table's own ranges, checked when it was made).
    struct Pointers {
        let optionStart: UnsafeBufferPointer<Int>, optionValue: UnsafeBufferPointer<Double>
        let usageStart: UnsafeBufferPointer<Int>, usageRow: UnsafeBufferPointer<Int>
        let usageCoefficient: UnsafeBufferPointer<Double>, minimumStart: UnsafeBufferPointer<Int>
        let minimum: UnsafeBufferPointer<Double>, pairStart: UnsafeBufferPointer<Int>, pairClass: UnsafeBufferPointer<Int>
        let segmentStart: UnsafeBufferPointer<Int>, saturation: UnsafeBufferPointer<Double>
        let gainScale: UnsafeBufferPointer<Double>, curve: UnsafeBufferPointer<Int32>
        let curveWidth: UnsafeBufferPointer<Double>, curveSlope: UnsafeBufferPointer<Double>
        let mostPairs: Int, rowLimit: Int, classLimit: Int
    }

    /// Calls `body` with the table's arrays as buffers, valid during the call.
    func withPointers<R>(_ body: (Pointers) -> R) -> R {
        optionStart.withUnsafeBufferPointer { optionStart in
        optionValue.withUnsafeBufferPointer { optionValue in
        usageStart.withUnsafeBufferPointer { usageStart in
        usageRow.withUnsafeBufferPointer { usageRow in
        usageCoefficient.withUnsafeBufferPointer { usageCoefficient in
        minimumStart.withUnsafeBufferPointer { minimumStart in
        minimum.withUnsafeBufferPointer { minimum in
        pairStart.withUnsafeBufferPointer { pairStart in
        pairClass.withUnsafeBufferPointer { pairClass in
        segmentStart.withUnsafeBufferPointer { segmentStart in
        pairSaturation.withUnsafeBufferPointer { saturation in
        pairGainScale.withUnsafeBufferPointer { gainScale in
        pairCurve.withUnsafeBufferPointer { curve in
        curveWidth.withUnsafeBufferPointer { curveWidth in
        curveSlope.withUnsafeBufferPointer { curveSlope in
            body(Pointers(optionStart: optionStart, optionValue: optionValue, usageStart: usageStart, usageRow: usageRow,
                          usageCoefficient: usageCoefficient, minimumStart: minimumStart, minimum: minimum, pairStart: pairStart,
                          pairClass: pairClass, segmentStart: segmentStart, saturation: saturation, gainScale: gainScale,
                          curve: curve, curveWidth: curveWidth, curveSlope: curveSlope, mostPairs: mostPairs,
                          rowLimit: rowLimit, classLimit: classLimit))
        }}}}}}}}}}}}}}}
    }

    /// The segment arrays as one value: each segment's width and revenue per FTE. Taken once
    /// before a loop over many segments (no reference counting per segment).
    var segments: Segments {
        Segments(segmentStart: segmentStart, saturation: pairSaturation, gainScale: pairGainScale, curve: pairCurve,
                 curveWidth: curveWidth, curveSlope: curveSlope)
    }

    struct Segments {
        let segmentStart: [Int], saturation: [Double], gainScale: [Double], curve: [Int32]
        let curveWidth: [Double], curveSlope: [Double]

        /// Segment `s` of pair `p`: its width in FTE, `curve width × s`, and its revenue per FTE,
        /// `curve slope × (potential / s)` (``Formulation/segments(of:)``, to the last digit;
        /// pricing's inner loop computes them alike).
        func width(_ s: Int, pair p: Int) -> Double { curveWidth[Int(curve[p]) + s - segmentStart[p]] * saturation[p] }
        func revenuePerFTE(_ s: Int, pair p: Int) -> Double {
            curveSlope[Int(curve[p]) + s - segmentStart[p]] * gainScale[p]
        }

        /// The revenue of `fte` filled into pair `p`'s segments in order.
        func revenue(pair p: Int, fte: Double) -> Double {
            var left = fte, revenue = 0.0
            for k in segmentStart[p]..<segmentStart[p + 1] where left > 0 {
                let amount = min(left, width(k, pair: p))
                revenue += revenuePerFTE(k, pair: p) * amount
                left -= amount
            }
            return revenue
        }
    }

    /// An empty table (a structure's placeholder until its own is built).
    convenience init() {
        var empty = Builder()
        self.init(&empty)
    }

    /// Fills a table account by account: each account's options, then its pairs.
    struct Builder {
        fileprivate var optionStart = [0], optionValue: [Double] = [], usageStart = [0], usageRow: [Int] = []
        fileprivate var usageCoefficient: [Double] = [], minimumStart: [Int] = [], minimum: [Double] = []
        fileprivate var pairStart = [0], pairClass: [Int] = [], segmentStart = [0], mostPairs = 0
        fileprivate var pairSaturation: [Double] = [], pairGainScale: [Double] = [], pairCurve: [Int32] = []
        fileprivate var curveWidth: [Double] = [], curveSlope: [Double] = [], curves: [ResponseCurve: Int32] = [:]
        /// A table whose accounts have the same footprint pairs: the new table shares its pair
        /// and segment arrays, and ``endAccount(pairs:)`` need not be given them.
        fileprivate var pairsOf: PricingTable?

        /// The sizes of the pair arrays, when known (`accounts` and `pairs` in all), are
        /// reserved: those arrays then need no copy.
        init(sharingPairsOf table: PricingTable? = nil, accounts: Int = 0, pairs: Int = 0) {
            pairsOf = table
            guard table == nil else { return }
            pairStart.reserveCapacity(accounts + 1)
            pairClass.reserveCapacity(pairs)
            segmentStart.reserveCapacity(pairs + 1)
            pairSaturation.reserveCapacity(pairs)
            pairGainScale.reserveCapacity(pairs)
            pairCurve.reserveCapacity(pairs)
        }

        /// One option of the current account: its value, its nonzero row coefficients in row
        /// order, its minimum FTE per pair.
        mutating func addOption(value: Double, usage: [(row: Int, coefficient: Double)], minimum: [Double]) {
            optionValue.append(value)
            for (row, coefficient) in usage where coefficient != 0 {
                usageRow.append(row)
                usageCoefficient.append(coefficient)
            }
            usageStart.append(usageRow.count)
            minimumStart.append(self.minimum.count)
            self.minimum += minimum
        }

        /// Closes the current account with its footprint pairs: each pair's class, response curve,
        /// saturation scale and local potential (no segments when the scale is not above 0, as
        /// in ``Formulation/segments(of:)``).
        mutating func endAccount(pairs: [(region: Int, curve: ResponseCurve, saturation: Double, potential: Double)]) {
            optionStart.append(optionValue.count)
            if pairsOf != nil { return }
            for pair in pairs {
                pairClass.append(pair.region)
                let offset = curves[pair.curve] ?? {
                    let offset = Int32(curveWidth.count)
                    curveWidth += (0..<pair.curve.segmentCount).map { pair.curve.width(ofSegment: $0) }
                    curveSlope += (0..<pair.curve.segmentCount).map { pair.curve.slope(ofSegment: $0) }
                    curves[pair.curve] = offset
                    return offset
                }()
                pairCurve.append(offset)
                pairSaturation.append(pair.saturation)
                pairGainScale.append(pair.saturation > 0 ? pair.potential / pair.saturation : 0)
                segmentStart.append(segmentStart.last! + (pair.saturation > 0 ? pair.curve.segmentCount : 0))
            }
            pairStart.append(pairClass.count)
            mostPairs = max(mostPairs, pairs.count)
        }

        /// The table; the builder is left empty.
        mutating func finish() -> PricingTable { PricingTable(&self) }
    }
}
