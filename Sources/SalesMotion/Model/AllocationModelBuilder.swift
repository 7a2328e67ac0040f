// SPDX-License-Identifier: GPL-3.0-or-later

public import LinearProgramming

/// The group-level limits of the specification (§6, 3–10), named for reports.
public enum LimitKind: Hashable, Sendable {
    case regionalCapacity(region: Int)
    case budget
    case gamHeadcount
    case centralFTE
    case execHours
    case maxCostOfSales
    case globalShareMinimum
    case globalShareMaximum
    case maxGlobalAccounts
    case maxChanges

    /// The key as users know it: `budget`, `gam_headcount`, `local_capacity_fte.EMEA`, …
    public func name(in dataset: Dataset) -> String {
        switch self {
        case .regionalCapacity(let r): return "local_capacity_fte.\(dataset.regions[r].id)"
        case .budget: return "budget"
        case .gamHeadcount: return "gam_headcount"
        case .centralFTE: return "central_fte"
        case .execHours: return "exec_hours"
        case .maxCostOfSales: return "max_cost_of_sales"
        case .globalShareMinimum: return "global_share_min"
        case .globalShareMaximum: return "global_share_max"
        case .maxGlobalAccounts: return "max_global_accounts"
        case .maxChanges: return "max_changes"
        }
    }
}

/// The mixed-integer program of an ``AllocationInstance`` and the map from its variables and
/// constraints back to accounts, tiers, regions and limits.
///
/// Formulation (see docs/model.md): one binary per (account, open tier); local effort split
/// into one bounded continuous variable per response segment, so the concave curve needs no
/// binaries; one binary for the global programme. The part of each account's value that no
/// decision changes (its cheapest tier's value) is moved into the objective constant, so the
/// solver's relative gap speaks of money the decisions move.
public struct AllocationProgram: Sendable {
    public let instance: AllocationInstance
    public let program: LinearProgram
    /// `tierVariables[a][j]` is the binary for account `a` in tier `instance.openTiers[a][j]`.
    public let tierVariables: [[VariableIndex]]
    /// `effortVariables[a][e]` are the segment variables of footprint pair `e` of account `a`
    /// (empty when the pair's saturation scale is 0).
    public let effortVariables: [[[VariableIndex]]]
    /// `p`: the global account programme runs.
    public let programVariable: VariableIndex
    /// The constraint that carries each limit in force.
    public let limitConstraints: [(kind: LimitKind, constraint: ConstraintIndex)]
    /// With `elastic`, the slack variable that relaxes each limit (parallel to
    /// ``limitConstraints``), in the limit row's own units; empty otherwise.
    public let limitSlacks: [VariableIndex]

    /// Builds the program. `names` labels rows and columns in domain terms (for LP files);
    /// leave it off on large instances to save memory. `elastic` adds a slack variable to
    /// every limit so that any limit can give way (for diagnosing infeasibility); the
    /// objective is left as it is.
    public init(instance: AllocationInstance, names: Bool = false, elastic: Bool = false) {
        self.instance = instance
        let dataset = instance.dataset, model = instance.model, curve = instance.curve
        let costs = model.costs, limits = model.limits
        var lp = LinearProgram(sense: .maximize)
        let changeCost = model.transition.changeCost

        var expense: [(VariableIndex, Double)] = []
        var globalExpense: [(VariableIndex, Double)] = []
        var revenue: [(VariableIndex, Double)] = []
        var gamUse: [(VariableIndex, Double)] = []
        var centralUse: [(VariableIndex, Double)] = []
        var hoursUse: [(VariableIndex, Double)] = []
        var globalAccounts: [(VariableIndex, Double)] = []
        var changes: [(VariableIndex, Double)] = []
        var regionEffort = [[(VariableIndex, Double)]](repeating: [], count: dataset.regions.count)

        let program = lp.addBinaryVariable(name: names ? "program" : "", objective: -costs.programFixedCost)
        if costs.programFixedCost != 0 {
            expense.append((program, costs.programFixedCost))
            globalExpense.append((program, costs.programFixedCost))
        }

        var tierVariables: [[VariableIndex]] = []
        var effortVariables: [[[VariableIndex]]] = []
        for (a, account) in dataset.accounts.enumerated() {
            let open = instance.openTiers[a]
            var values: [Double] = []
            var variables: [VariableIndex] = []
            for t in open {
                let tier = model.tiers[t]
                let (kept, central) = instance.tierRevenue(account: a, tier: t)
                let change = instance.isChange(account: a, tier: t)
                let value = account.margin * (kept + central) - instance.tierCost[t] - (change ? changeCost : 0)
                let y = lp.addBinaryVariable(name: names ? "tier[\(account.id),\(tier.id)]" : "")
                values.append(value)
                variables.append(y)
                let cost = instance.tierCost[t] + (change ? changeCost : 0)
                if cost != 0 { expense.append((y, cost)) }
                if instance.tierCost[t] != 0 { globalExpense.append((y, instance.tierCost[t])) }
                revenue.append((y, kept + central))
                gamUse.append((y, tier.gamFTE))
                centralUse.append((y, tier.centralFTE))
                hoursUse.append((y, tier.execHours))
                if tier.isGlobal { globalAccounts.append((y, 1)) }
                if change { changes.append((y, 1)) }
            }
            let floor = values.min() ?? 0
            lp.objectiveConstant += floor
            for (y, value) in zip(variables, values) { lp.setObjectiveCoefficient(value - floor, for: y) }
            if instance.pinnedTier[a] != nil, let y = variables.first { lp.setBounds(of: y, lower: 1, upper: 1) }
            lp.addConstraint(name: names ? "one_tier[\(account.id)]" : "", terms: variables.map { ($0, 1) },
                             lower: 1, upper: 1)
            let globalTiers = zip(open, variables).filter { model.tiers[$0.0].isGlobal }.map { ($0.1, 1.0) }
            if !globalTiers.isEmpty {
                lp.addConstraint(name: names ? "programme[\(account.id)]" : "", terms: globalTiers + [(program, -1)],
                                 upper: 0)
            }

            var accountEffort: [[VariableIndex]] = []
            for pair in instance.pairs[a] {
                guard pair.saturation > 0 else {
                    accountEffort.append([])
                    continue
                }
                let region = dataset.regions[pair.region]
                var segments: [VariableIndex] = []
                for k in 0..<curve.segmentCount {
                    let gainPerFTE = curve.slope(ofSegment: k) / pair.saturation * pair.localPotential
                    let x = lp.addVariable(
                        name: names ? "effort[\(account.id),\(region.id),\(k + 1)]" : "",
                        lower: 0, upper: curve.width(ofSegment: k) * pair.saturation,
                        objective: account.margin * gainPerFTE - region.localFTECost)
                    segments.append(x)
                    expense.append((x, region.localFTECost))
                    revenue.append((x, gainPerFTE))
                    regionEffort[pair.region].append((x, 1))
                }
                let coverage = zip(open, variables).compactMap { t, y -> (VariableIndex, Double)? in
                    let minimum = model.tiers[t].minLocalCoverage * pair.saturation
                    return minimum > 0 ? (y, -minimum) : nil
                }
                if !coverage.isEmpty {
                    lp.addConstraint(name: names ? "coverage[\(account.id),\(region.id)]" : "",
                                     terms: segments.map { ($0, 1) } + coverage, lower: 0)
                }
                accountEffort.append(segments)
            }
            tierVariables.append(variables)
            effortVariables.append(accountEffort)
        }

        var limitRows: [(LimitKind, ConstraintIndex)] = []
        var slacks: [VariableIndex] = []
        func addLimit(_ kind: LimitKind, _ name: String, _ terms: [(VariableIndex, Double)],
                      lower: Double = -.infinity, upper: Double = .infinity) {
            var terms = terms
            if elastic {
                let slack = lp.addVariable(name: names ? "relax[\(name)]" : "")
                terms.append((slack, lower.isFinite ? 1 : -1))
                slacks.append(slack)
            }
            limitRows.append((kind, lp.addConstraint(name: names ? name : "", terms: terms, lower: lower, upper: upper)))
        }
        for (r, region) in dataset.regions.enumerated() {
            addLimit(.regionalCapacity(region: r), "capacity[\(region.id)]", regionEffort[r], upper: region.localCapacityFTE)
        }
        if let budget = limits.budget { addLimit(.budget, "budget", expense, upper: budget) }
        if let cap = limits.gamHeadcount { addLimit(.gamHeadcount, "gam_headcount", gamUse, upper: cap) }
        if let cap = limits.centralFTE { addLimit(.centralFTE, "central_fte", centralUse, upper: cap) }
        if let cap = limits.execHours { addLimit(.execHours, "exec_hours", hoursUse, upper: cap) }
        if let ratio = limits.maxCostOfSales {
            addLimit(.maxCostOfSales, "cost_of_sales", expense + revenue.map { ($0.0, -ratio * $0.1) }, upper: 0)
        }
        if let band = limits.globalShare {
            addLimit(.globalShareMinimum, "global_share_min",
                     globalExpense + expense.map { ($0.0, -band.lowerBound * $0.1) }, lower: 0)
            addLimit(.globalShareMaximum, "global_share_max",
                     globalExpense + expense.map { ($0.0, -band.upperBound * $0.1) }, upper: 0)
        }
        if let cap = limits.maxGlobalAccounts {
            addLimit(.maxGlobalAccounts, "max_global_accounts", globalAccounts, upper: Double(cap))
        }
        if let cap = model.transition.maxChanges {
            addLimit(.maxChanges, "max_changes", changes, upper: Double(cap))
        }
        self.program = lp
        self.tierVariables = tierVariables
        self.effortVariables = effortVariables
        self.programVariable = program
        self.limitConstraints = limitRows
        self.limitSlacks = slacks
    }
}
