// SPDX-License-Identifier: GPL-3.0-or-later


/// What the optimiser decided — a tier per account, local FTE per footprint pair, whether the
/// programme runs — from which every reported figure is recomputed.
struct PlanDecisions: Sendable {
    /// Tier index of each account.
    var tiers: [Int]
    /// Local FTE of each account in each of its footprint pairs (``AllocationInstance/pairs``).
    var fte: [[Double]]
    var programmeActive: Bool
    /// The named GAM who leads each account (global tiers of a dataset with gams.csv); empty
    /// when the dataset names no GAMs.
    var leads: [Int?] = []
    /// The decomposition's pooled model (``LeadPools``): the pool of each account led by
    /// "some GAM" of it, before ``LeadPacking`` names the person; empty otherwise.
    var pools: [Int?] = []

    func lead(of a: Int) -> Int? { leads.isEmpty ? nil : leads[a] }

    /// Who leads account `a`, as its choice's key (``Formulation/TierChoice/lead``).
    func leadKey(of a: Int) -> Lead? {
        let gam = lead(of: a), pool = pools.isEmpty ? nil : pools[a]
        return gam == nil && pool == nil ? nil : Lead(gam: gam, pool: pool)
    }
}

extension AllocationProgram {
    /// The decisions in a solution of this program.
    func decisions(from values: [Double]) -> PlanDecisions {
        let chosen = choices.indices.map { a in
            zip(choices[a], tierVariables[a]).max { values[$0.1.rawValue] < values[$1.1.rawValue] }!.0
        }
        let fte = effortVariables.map { pairs in
            pairs.map { segments in max(0, segments.reduce(0) { $0 + values[$1.rawValue] }) }
        }
        return PlanDecisions(tiers: chosen.map(\.tier), fte: fte, programmeActive: values[programmeVariable.rawValue] > 0.5,
                             leads: instance.dataset.hasNamedGAMs ? chosen.map(\.gam) : [])
    }

    /// Row duals of the limits, keyed by limit.
    func limitDuals(from duals: [Double]) -> [LimitKind: Double] {
        Dictionary(uniqueKeysWithValues: limitConstraints.map { ($0.kind, duals[$0.constraint.rawValue]) })
    }
}

/// Recomputes every reported figure from the solution's decisions (tiers and local FTE) with
/// the formulas of the specification, so the plan is explainable without the solver.
struct PlanAssembler {
    /// The instance as it stands now (limit values may have moved since the program was built).
    let instance: AllocationInstance
    let decisions: PlanDecisions
    /// Dual of each limit's row in the LP with the tiers fixed; nil without one.
    let limitDuals: [LimitKind: Double]?

    func plan() -> StaffingPlan {
        let dataset = instance.dataset, model = instance.model
        var accounts: [AccountStaffing] = []
        accounts.reserveCapacity(dataset.accounts.count)
        var regionFTE = [Double](repeating: 0, count: dataset.regions.count)
        var regionRevenue = [Double](repeating: 0, count: dataset.regions.count)
        var tierCounts = [Int](repeating: 0, count: model.tiers.count)
        var changes = 0
        // Global accounts led by their current GAM, and led from another region.
        var keptCount = 0, awayCount = 0
        // By index, each field read in place: a copy of every account (its id, names and
        // footprint) per plan was a fortieth of a sweep's time at 100,000 accounts.
        for a in dataset.accounts.indices {
            let t = decisions.tiers[a], tier = model.tiers[t]
            let (kept, central) = instance.tierRevenue(account: a, tier: t)
            var local: [LocalStaffing] = []
            local.reserveCapacity(instance.pairs[a].count)
            var localExpense = 0.0, localWon = 0.0
            for (e, pair) in instance.pairs[a].enumerated() {
                let fte = decisions.fte[a][e]
                let won = pair.saturation > 0 ? pair.localPotential * instance.curve.value(at: fte / pair.saturation) : 0
                let revenue = pair.share * (kept + central) + won
                local.append(LocalStaffing(region: pair.region, localFTE: fte, expectedRevenue: revenue))
                localExpense += fte * dataset.regions[pair.region].localFTECost
                localWon += won
                regionFTE[pair.region] += fte
                regionRevenue[pair.region] += revenue
            }
            let revenue = kept + central + localWon
            let changed = instance.isChange(account: a, tier: t)
            if changed { changes += 1 }
            tierCounts[t] += 1
            // The lead GAM (portfolios.md): continuity and away cost are group lines.
            let lead = tier.isGlobal ? decisions.lead(of: a) : nil
            if let lead {
                if lead == dataset.accounts[a].currentGAM { keptCount += 1 }
                if dataset.gams[lead].homeRegion != dataset.accounts[a].headquarters { awayCount += 1 }
            }
            accounts.append(AccountStaffing(
                account: a, tier: t, gamFTE: tier.gamFTE, centralFTE: tier.centralFTE, execHours: tier.execHours,
                localFTE: local.reduce(0) { $0 + $1.localFTE }, expectedRevenue: revenue,
                grossProfit: dataset.accounts[a].margin * revenue, salesExpense: instance.tierCost[t] + localExpense,
                changed: changed, local: local, leadGAM: lead))
        }
        let programmeActive = decisions.programmeActive
        let programmeCost = programmeActive ? model.costs.programmeFixedCost : 0
        let changeCost = Double(changes) * model.transition.changeCost
        let continuity = Double(keptCount) * model.portfolio.continuityValue
        let awayCost = Double(awayCount) * model.portfolio.awayCost
        let tierCost = accounts.reduce(0) { $0 + instance.tierCost[$1.tier] }
        let expense = accounts.reduce(0) { $0 + $1.salesExpense } + programmeCost + changeCost + awayCost
        let revenue = accounts.reduce(0) { $0 + $1.expectedRevenue }
        let grossProfit = accounts.reduce(0) { $0 + $1.grossProfit }
        let globalExpense = tierCost + programmeCost + awayCost
        var plan = StaffingPlan(
            accounts: accounts, regions: [], limits: [], programmeActive: programmeActive, tierChanges: changes,
            tierCounts: tierCounts, expectedRevenue: revenue, grossProfit: grossProfit, salesExpense: expense,
            globalExpense: globalExpense, netContribution: grossProfit - expense + continuity, programmeCost: programmeCost,
            tierChangeCost: changeCost)
        plan.keptWithGAM = keptCount
        plan.ledFromAway = awayCount
        plan.continuityValue = continuity
        plan.awayCost = awayCost
        plan.limits = limitUses(plan, regionFTE: regionFTE)
        plan.regions = dataset.regions.enumerated().map { r, region in
            let capacityUse = plan.limits.first { $0.kind == .regionalCapacity(region: r) }
            return RegionStaffing(region: r, localFTE: regionFTE[r], localCapacityFTE: region.localCapacityFTE,
                                  localExpense: regionFTE[r] * region.localFTECost, expectedRevenue: regionRevenue[r],
                                  shadowPrice: capacityUse?.shadowPrice ?? 0)
        }
        return plan
    }

    private func limitUses(_ plan: StaffingPlan, regionFTE: [Double]) -> [LimitUse] {
        let dataset = instance.dataset, model = instance.model
        func sum(_ value: (AccountStaffing) -> Double) -> Double { plan.accounts.reduce(0) { $0 + value($1) } }
        let expense = plan.salesExpense
        return instance.limitsInForce.map { kind in
            let dual = limitDuals?[kind]
            // value, used, slack (≥ 0 when satisfied), and ∂objective/∂value from the row dual.
            let value: Double, used: Double, slack: Double, scale: Double
            let name = kind.name(in: dataset)
            var priced = true
            switch kind {
            case .regionalCapacity(let r):
                value = dataset.regions[r].localCapacityFTE; used = regionFTE[r]; slack = value - used; scale = 1
            case .budget:
                value = model.limits.budget!; used = expense; slack = value - used; scale = 1
            case .gamHeadcount:
                value = model.limits.gamHeadcount!; used = sum(\.gamFTE); slack = value - used
                scale = 1; priced = false
            case .centralFTE:
                value = model.limits.centralFTE!; used = sum(\.centralFTE); slack = value - used
                scale = 1; priced = false
            case .execHours:
                value = model.limits.execHours!; used = sum(\.execHours); slack = value - used
                scale = 1; priced = false
            case .maxCostOfSales:
                value = model.limits.maxCostOfSales!
                used = plan.expectedRevenue > 0 ? expense / plan.expectedRevenue : (expense > 0 ? .infinity : 0)
                slack = value - used; scale = plan.expectedRevenue
            case .globalShareMinimum:
                value = model.limits.globalShare!.lowerBound
                used = expense > 0 ? plan.globalExpense / expense : 0; slack = used - value; scale = expense
            case .globalShareMaximum:
                value = model.limits.globalShare!.upperBound
                used = expense > 0 ? plan.globalExpense / expense : 0; slack = value - used; scale = expense
            case .maxGlobalAccounts:
                value = Double(model.limits.maxGlobalAccounts!)
                used = Double(plan.accounts.filter { model.tiers[$0.tier].isGlobal }.count); slack = value - used
                scale = 1; priced = false
            case .maxChanges:
                value = Double(model.transition.maxChanges!)
                used = Double(plan.tierChanges); slack = value - used; scale = 1; priced = false
            case .gamCapacity(let g):
                value = dataset.gams[g].capacityFTE
                used = plan.accounts.reduce(0) { $0 + ($1.leadGAM == g ? $1.gamFTE : 0) }; slack = value - used
                scale = 1; priced = false
            case .gamMaxAccounts(let g):
                value = Double(dataset.gams[g].maxAccounts!)
                used = Double(plan.accounts.filter { $0.leadGAM == g }.count); slack = value - used; scale = 1; priced = false
            case .gamPoolCapacity(let g), .gamPoolMaxAccounts(let g):
                // The decomposition's pooled model (plans are assembled on the exact one).
                let members = Set(instance.leadPools.map { $0.members[$0.pool[g]] } ?? [g])
                let led = plan.accounts.filter { $0.leadGAM.map(members.contains) ?? false }
                if case .gamPoolCapacity = kind {
                    value = members.reduce(0) { $0 + dataset.gams[$1].capacityFTE }; used = led.reduce(0) { $0 + $1.gamFTE }
                } else {
                    value = Double(members.reduce(0) { $0 + (dataset.gams[$1].maxAccounts ?? 0) }); used = Double(led.count)
                }
                slack = value - used; scale = 1; priced = false
            }
            let binding = slack <= 1e-6 * max(1, abs(value))
            var shadow: Double? = nil
            if priced, let dual {
                shadow = binding ? dual * scale : 0
                if shadow == 0 { shadow = 0 }
            }
            // Slack below the solver's tolerance is no slack: written as 0, not -1.42e-14.
            return LimitUse(kind: kind, name: name, value: value, used: used,
                            slack: abs(slack) <= 1e-9 * max(1, abs(value)) ? 0 : slack, binding: binding,
                            shadowPrice: shadow)
        }
    }
}
