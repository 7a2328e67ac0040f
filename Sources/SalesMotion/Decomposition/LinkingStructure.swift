// SPDX-License-Identifier: GPL-3.0-or-later

/// The allocation seen as one small block per account tied together by a few limits (the
/// "linking rows"), with everything the decomposition needs precomputed in flat arrays.
///
/// With the programme decision fixed (`programActive`), the model separates: each account
/// chooses a tier and its local effort alone, except for the linking rows — regional
/// capacities, budget, headcounts, executive hours, cost of sales, the global-share band,
/// the number of global accounts and of tier changes.
struct LinkingStructure {
    enum Sense { case atMost, atLeast }

    struct TierOption {
        var tier: Int
        /// Objective value of the tier part: margin·(kept + central) − c_t − change cost.
        var value: Double
        /// Coefficients of the tier part in every linking row (dense, one per row).
        var usage: [Double]
        var isGlobal: Bool
        /// Minimum local FTE in each footprint pair (`min_local_coverage · s`).
        var minimumFTE: [Double]
    }

    struct Pair {
        var region: Int
        var saturation: Double
        /// Width in FTE and revenue per FTE of each response segment (empty when s = 0).
        var widths: [Double]
        var revenuePerFTE: [Double]
    }

    let instance: AllocationInstance
    let programActive: Bool
    var kinds: [LimitKind] = []
    var senses: [Sense] = []
    var rightHandSides: [Double] = []
    /// Per account: its open tier options (global tiers left out when the programme is off).
    var options: [[TierOption]] = []
    var pairs: [[Pair]] = []
    var margins: [Double] = []
    /// Objective constant of the case (minus the programme cost when it runs).
    var constant = 0.0

    // Row positions of the limits that local effort touches (nil when not in force).
    var capacityRow: [Int] = []
    var budgetRow: Int?
    var costOfSalesRow: Int?
    var shareLowRow: Int?
    var shareHighRow: Int?
    var costOfSalesRatio = 0.0
    var shareLow = 0.0
    var shareHigh = 0.0

    /// Nil when the case is impossible (an account has no option, e.g. it is pinned to a
    /// global tier while the programme is off).
    init?(instance: AllocationInstance, programActive: Bool) {
        self.instance = instance
        self.programActive = programActive
        let model = instance.model, dataset = instance.dataset, limits = model.limits
        let programCost = programActive ? model.costs.programFixedCost : 0
        constant = -programCost
        for kind in instance.limitsInForce {
            let position = kinds.count
            kinds.append(kind)
            switch kind {
            case .regionalCapacity(let r):
                capacityRow.append(position)
                senses.append(.atMost); rightHandSides.append(dataset.regions[r].localCapacityFTE)
            case .budget:
                budgetRow = position
                senses.append(.atMost); rightHandSides.append(limits.budget! - programCost)
            case .gamHeadcount: senses.append(.atMost); rightHandSides.append(limits.gamHeadcount!)
            case .centralFTE: senses.append(.atMost); rightHandSides.append(limits.centralFTE!)
            case .execHours: senses.append(.atMost); rightHandSides.append(limits.execHours!)
            case .maxCostOfSales:
                costOfSalesRow = position
                costOfSalesRatio = limits.maxCostOfSales!
                senses.append(.atMost); rightHandSides.append(-programCost)
            case .globalShareMinimum:
                shareLowRow = position
                shareLow = limits.globalShare!.lowerBound
                senses.append(.atLeast); rightHandSides.append(-(1 - shareLow) * programCost)
            case .globalShareMaximum:
                shareHighRow = position
                shareHigh = limits.globalShare!.upperBound
                senses.append(.atMost); rightHandSides.append(-(1 - shareHigh) * programCost)
            case .maxGlobalAccounts: senses.append(.atMost); rightHandSides.append(Double(limits.maxGlobalAccounts!))
            case .maxChanges: senses.append(.atMost); rightHandSides.append(Double(model.transition.maxChanges!))
            }
        }
        let rowCount = kinds.count
        let curve = instance.curve
        for (a, account) in dataset.accounts.enumerated() {
            margins.append(account.margin)
            pairs.append(instance.pairs[a].map { pair in
                guard pair.saturation > 0 else {
                    return Pair(region: pair.region, saturation: 0, widths: [], revenuePerFTE: [])
                }
                return Pair(region: pair.region, saturation: pair.saturation,
                            widths: (0..<curve.segmentCount).map { curve.width(ofSegment: $0) * pair.saturation },
                            revenuePerFTE: (0..<curve.segmentCount).map {
                                curve.slope(ofSegment: $0) / pair.saturation * pair.localPotential
                            })
            })
            var accountOptions: [TierOption] = []
            for t in instance.openTiers[a] {
                let tier = model.tiers[t]
                if tier.isGlobal && !programActive { continue }
                let (kept, central) = instance.tierRevenue(account: a, tier: t)
                let change = instance.isChange(account: a, tier: t)
                let tierCost = instance.tierCost[t]
                let expense = tierCost + (change ? model.transition.changeCost : 0)
                var usage = [Double](repeating: 0, count: rowCount)
                for (row, kind) in kinds.enumerated() {
                    switch kind {
                    case .regionalCapacity: break
                    case .budget: usage[row] = expense
                    case .gamHeadcount: usage[row] = tier.gamFTE
                    case .centralFTE: usage[row] = tier.centralFTE
                    case .execHours: usage[row] = tier.execHours
                    case .maxCostOfSales: usage[row] = expense - costOfSalesRatio * (kept + central)
                    case .globalShareMinimum: usage[row] = tierCost - shareLow * expense
                    case .globalShareMaximum: usage[row] = tierCost - shareHigh * expense
                    case .maxGlobalAccounts: usage[row] = tier.isGlobal ? 1 : 0
                    case .maxChanges: usage[row] = change ? 1 : 0
                    }
                }
                accountOptions.append(TierOption(
                    tier: t, value: account.margin * (kept + central) - expense, usage: usage, isGlobal: tier.isGlobal,
                    minimumFTE: instance.pairs[a].map { tier.minLocalCoverage * $0.saturation }))
            }
            if accountOptions.isEmpty { return nil }
            options.append(accountOptions)
        }
    }

    var rowCount: Int { kinds.count }
    var accountCount: Int { options.count }

    /// Coefficients of one FTE of effort in region `r` that earns `revenuePerFTE`, as
    /// (row, coefficient) pairs, and its objective value.
    func effortCoefficients(region r: Int, revenuePerFTE: Double, margin: Double) -> (objective: Double, terms: [(Int, Double)]) {
        let cost = instance.dataset.regions[r].localFTECost
        var terms: [(Int, Double)] = [(capacityRow[r], 1)]
        if let row = budgetRow { terms.append((row, cost)) }
        if let row = costOfSalesRow { terms.append((row, cost - costOfSalesRatio * revenuePerFTE)) }
        if let row = shareLowRow { terms.append((row, -shareLow * cost)) }
        if let row = shareHighRow { terms.append((row, -shareHigh * cost)) }
        return (margin * revenuePerFTE - cost, terms)
    }
}
