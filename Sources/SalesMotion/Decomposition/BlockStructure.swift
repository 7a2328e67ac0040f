// SPDX-License-Identifier: GPL-3.0-or-later

/// What the decomposition's pricing and column generation see of a block-angular program: the
/// linking rows, and one block per account in flat arrays — its options (a tier, or a roadmap's
/// path of tiers) and its footprint pairs with their response segments. The single-year model
/// (``LinkingStructure``) and the roadmap (``RoadmapBlocks``) both are one.
protocol BlockStructure {
    var pricingTable: PricingTable { get }
    var effort: EffortClasses { get }
    var margins: [Double] { get }
    var senses: [Formulation.Sense] { get }
    var rightHandSides: [Double] { get }
    /// The objective's constant in this case (minus the programme cost when it runs).
    var constant: Double { get }
    var rowCount: Int { get }
    var accountCount: Int { get }
}

/// How local effort enters the linking rows and the objective, by class: a pair's class is its
/// region (single year) or its (region, year) (roadmap). Each class belongs to a group (the
/// year) with a weight in the objective (the discount factor) and the rows its effort enters
/// besides its capacity row, with one FTE's cost and revenue weights in each.
struct EffortClasses: Sendable {
    /// Per class: one FTE's cost, the group, the capacity row.
    var cost: [Double] = []
    var group: [Int] = []
    var capacityRow: [Int] = []
    /// Per group: the weight of its money in the objective, and the rows with a cost or revenue
    /// weight that its effort enters.
    var weight: [Double] = []
    var rows: [[Int]] = []
    /// Per linking row: the weight of local FTE cost and of revenue in it (0 for other rows).
    var costWeights: [Double] = []
    var revenueWeights: [Double] = []

    /// `Σ π·revenueWeight` over each group's rows: what one unit of revenue costs there.
    func revenueFactors(_ duals: [Double]) -> [Double] {
        rows.map { rows in rows.reduce(0) { $0 + duals[$1] * revenueWeights[$1] } }
    }

    /// `β_c = c·(w_g + Σ π·costWeight) + π_capacity(c)` for every class: one FTE's priced cost.
    func effortPrices(_ duals: [Double]) -> [Double] {
        let factors = rows.indices.map { g in rows[g].reduce(weight[g]) { $0 + duals[$1] * costWeights[$1] } }
        return cost.indices.map { c in cost[c] * factors[group[c]] + duals[capacityRow[c]] }
    }
}

extension BlockStructure {
    /// `duals` with the signs a Lagrangian bound needs: ≥ 0 on ≤ rows, ≤ 0 on ≥ rows.
    func signedDuals(_ duals: [Double]) -> [Double] {
        zip(duals, senses).map { dual, sense in sense == .atMost ? max(0, dual) : min(0, dual) }
    }

    /// A value no plan of the case can fall below: every account in its least valuable option
    /// with every effort segment at its worst (empty or full).
    var objectiveLowerBound: Double {
        let table = pricingTable, segments = table.segments, effort = self.effort
        var total = constant
        for a in 0..<accountCount {
            var least = Double.infinity
            for o in table.optionStart[a]..<table.optionStart[a + 1] { least = min(least, table.optionValue[o]) }
            if least.isFinite { total += least }
            for p in table.pairStart[a]..<table.pairStart[a + 1] {
                let c = table.pairClass[p]
                let weight = effort.weight[effort.group[c]]
                for k in table.segmentStart[p]..<table.segmentStart[p + 1] {
                    total += min(0, weight * (margins[a] * segments.revenuePerFTE(k, pair: p) - effort.cost[c])
                                     * segments.width(k, pair: p))
                }
            }
        }
        return total
    }

    /// Every effort pair of the accounts not `free`, with how close its segments come to break
    /// even at `duals` (the least |priced gain − priced cost| × width): the pairs a restricted
    /// program leaves free first. Pairs without segments are left out; `pair` counts from 0 within
    /// the account.
    func pairsNearBreakEven(_ duals: [Double], skipping free: [Bool]) -> [(account: Int, pair: Int, closeness: Double)] {
        let table = pricingTable, effort = self.effort
        let revenueFactors = effort.revenueFactors(duals)
        let beta = effort.effortPrices(duals)
        var result: [(account: Int, pair: Int, closeness: Double)] = []
        // The table's arrays as locals: no reference counting per segment.
        let pairStart = table.pairStart, pairClass = table.pairClass, segmentStart = table.segmentStart
        let segments = table.segments
        for a in 0..<accountCount where !free[a] {
            for p in pairStart[a]..<pairStart[a + 1] where segmentStart[p] < segmentStart[p + 1] {
                let c = pairClass[p], g = effort.group[c]
                let alpha = effort.weight[g] * margins[a] - revenueFactors[g]
                var closeness = Double.infinity
                for k in segmentStart[p]..<segmentStart[p + 1] {
                    closeness = min(closeness, abs(alpha * segments.revenuePerFTE(k, pair: p) - beta[c]) * segments.width(k, pair: p))
                }
                result.append((a, p - pairStart[a], closeness))
            }
        }
        return result
    }
}
