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
    let structure: LinkingStructure

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
    }

    func price(_ duals: [Double], recordChoices: Bool = false, recordOptionValues: Bool = false) -> Plan {
        let s = structure
        let dataset = s.instance.dataset
        let rows = s.rowCount
        let revenueFactor = s.revenueFactor(duals)
        let beta = s.effortPrices(duals)
        var usage = [Double](repeating: 0, count: rows)
        var objective = s.constant
        var total = s.constant
        for i in 0..<rows { total += duals[i] * s.rightHandSides[i] }
        var choices: [Choice] = []
        if recordChoices { choices.reserveCapacity(s.accountCount) }
        var freeFTE: [Double] = []
        for a in 0..<s.accountCount {
            let margin = s.margins[a]
            let alpha = margin - revenueFactor
            let pairs = s.pairs[a]
            freeFTE.removeAll(keepingCapacity: true)
            for pair in pairs {
                var x = 0.0
                for k in pair.widths.indices where alpha * pair.revenuePerFTE[k] - beta[pair.region] > 0 { x += pair.widths[k] }
                freeFTE.append(x)
            }
            var best = -Double.infinity, second = -Double.infinity, bestOption = 0
            var optionValues: [Double] = []
            for (o, option) in s.options[a].enumerated() {
                var value = option.value
                for i in 0..<rows where option.usage[i] != 0 { value -= duals[i] * option.usage[i] }
                for (e, pair) in pairs.enumerated() where !pair.widths.isEmpty {
                    value += Self.fill(pair, to: max(option.minimumFTE[e], freeFTE[e]), alpha: alpha, beta: beta[pair.region]).priced
                }
                if recordOptionValues { optionValues.append(value) }
                if value > best { second = best; best = value; bestOption = o } else if value > second { second = value }
            }
            total += best
            let option = s.options[a][bestOption]
            objective += option.value
            for i in 0..<rows where option.usage[i] != 0 { usage[i] += option.usage[i] }
            var chosenFTE: [Double] = []
            for (e, pair) in pairs.enumerated() {
                let x = pair.widths.isEmpty ? 0 : max(option.minimumFTE[e], freeFTE[e])
                if recordChoices { chosenFTE.append(x) }
                guard x > 0 else { continue }
                let revenue = Self.fill(pair, to: x, alpha: alpha, beta: beta[pair.region]).revenue
                let cost = dataset.regions[pair.region].localFTECost
                objective += margin * revenue - cost * x
                usage[s.capacityRow[pair.region]] += x
                for i in s.weightedRows {
                    usage[i] += s.costWeights[i] * cost * x + s.revenueWeights[i] * revenue
                }
            }
            if recordChoices {
                choices.append(Choice(option: bestOption, fte: chosenFTE, reducedValue: best, runnerUp: second,
                                      optionValues: optionValues))
            }
        }
        return Plan(bound: total, objective: objective, usage: usage, choices: choices)
    }

    /// Effort `x` filled into the segments in order: its priced value and the revenue it wins.
    static func fill(_ pair: LinkingStructure.Pair, to x: Double, alpha: Double, beta: Double) -> (priced: Double, revenue: Double) {
        var left = x, priced = 0.0, revenue = 0.0
        for k in pair.widths.indices where left > 0 {
            let amount = min(left, pair.widths[k])
            priced += (alpha * pair.revenuePerFTE[k] - beta) * amount
            revenue += pair.revenuePerFTE[k] * amount
            left -= amount
        }
        return (priced, revenue)
    }
}
