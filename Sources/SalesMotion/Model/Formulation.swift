// SPDX-License-Identifier: GPL-3.0-or-later


/// The allocation model of the specification, stated once: every limit in force as a row with
/// its sense, right-hand side and the coefficient of each decision (a tier choice, one FTE of
/// local effort, the global account programme), and the value of each decision in the
/// objective.
///
/// Everything that solves or writes the model is derived from it: the monolithic program and
/// its elastic form (``ProgramBuilder``), the decomposition's linking structure, pricing and
/// restricted programs (`LinkingStructure`, `BlockPricing`, `DecompositionSolver`), and the
/// LP/MPS exports. A limit is a weighted sum of group quantities (``Quantity``) against a
/// bound; adding a limit kind means a case in ``LimitKind`` and its row in `row(of:in:)`, and
/// a new quantity its amounts in the three `amount` functions (see docs/architecture.md).
struct Formulation: Sendable {
    enum Sense: Sendable { case atMost, atLeast }

    /// The group quantities the limits are written in; each decision adds to some of them.
    enum Quantity: Hashable, Sendable {
        /// Local FTE in a region.
        case regionEffort(Int)
        /// Sales expense: tier costs, change costs, local FTE cost, the programme's fixed cost.
        case expense
        /// Expected revenue: kept base, central potential won, local potential won.
        case revenue
        /// Global expense: tier costs and the programme's fixed cost.
        case globalExpense
        case gamFTE, centralFTE, execHours
        /// Accounts in a global tier.
        case globalAccounts
        /// Accounts whose tier changes.
        case changes
        /// A named GAM's FTE, and the accounts the GAM leads.
        case gamLoad(Int)
        case gamAccounts(Int)
        /// A shared pool's FTE and accounts (the pooled model, ``LeadPools``).
        case poolLoad(Int)
        case poolAccounts(Int)
    }

    /// One limit in force, as a row of the program: `Σ weight·quantity` against a bound.
    struct Row: Sendable {
        var kind: LimitKind
        /// The row's name in LP and MPS files.
        var name: String
        var sense: Sense
        var bound: Double
        var terms: [(quantity: Quantity, weight: Double)]

        /// The weight of `quantity` in the row (0 when it does not appear).
        func weight(of quantity: Quantity) -> Double {
            terms.first { $0.quantity == quantity }?.weight ?? 0
        }
    }

    /// Account `a` in tier `t`, apart from local effort.
    struct TierChoice: Sendable {
        var tier: Int
        /// Kept base plus central potential won.
        var revenue: Double
        /// `c_t`, the tier's global cost.
        var tierCost: Double
        /// `c_t` plus the change cost when the choice is a change of tier.
        var expense: Double
        /// `margin·revenue − c_t − change cost`: the choice's value in the objective.
        var value: Double
        var isChange, isGlobal: Bool
        /// The tier's GAM and central-team FTE and executive hours.
        var gamFTE, centralFTE, execHours: Double
        /// `min_local_coverage`: the least effort in every pair, as a share of its saturation.
        var minimumCoverage: Double
        /// The named GAM who leads the account (a global tier of a dataset with gams.csv).
        var gam: Int? = nil
        /// The pool whose rows carry the load (the pooled model); with `gam` nil, "some GAM"
        /// of that pool leads.
        var pool: Int? = nil
        /// Who leads, as the choice's key among an account's choices.
        var lead: Lead? { gam == nil && pool == nil ? nil : Lead(gam: gam, pool: pool) }
        /// `away_cost` when the lead GAM sits outside the account's headquarters region (in
        /// `expense` and `value` already; a global expense too).
        var awayCost = 0.0
        /// `continuity_value` when the lead GAM is the account's current GAM (in `value` already).
        var continuity = 0.0
    }

    let instance: AllocationInstance
    let rows: [Row]
    /// The (row, term) places a tier choice can have a nonzero amount in (every quantity but
    /// regional effort), and the rows they are in.
    let tierTerms: [(row: Int, term: Int)]
    let tierRows: [Int]
    /// Per region: the (row, term) places one FTE of effort there can have a nonzero amount in
    /// (its region's effort, expense, revenue), and the rows they are in.
    let effortTerms: [[(row: Int, term: Int)]]
    let effortRows: [[Int]]

    init(instance: AllocationInstance) {
        self.instance = instance
        let rows = instance.limitsInForce.map { Self.row(of: $0, in: instance) }
        self.rows = rows
        func places(_ uses: (Quantity) -> Bool) -> [(row: Int, term: Int)] {
            rows.indices.flatMap { i in rows[i].terms.indices.filter { uses(rows[i].terms[$0].quantity) }.map { (row: i, term: $0) } }
        }
        func distinctRows(_ places: [(row: Int, term: Int)]) -> [Int] {
            places.map(\.row).reduce(into: []) { rows, row in if rows.last != row { rows.append(row) } }
        }
        tierTerms = places { if case .regionEffort = $0 { return false } else { return true } }
        tierRows = distinctRows(tierTerms)
        effortTerms = instance.dataset.regions.indices.map { r in
            places { $0 == .regionEffort(r) || $0 == .expense || $0 == .revenue }
        }
        effortRows = effortTerms.map(distinctRows)
    }

    /// The row of one limit kind.
    static func row(of kind: LimitKind, in instance: AllocationInstance) -> Row {
        let model = instance.model, limits = model.limits
        func row(_ name: String, _ sense: Sense, _ bound: Double, _ terms: [(Quantity, Double)]) -> Row {
            Row(kind: kind, name: name, sense: sense, bound: bound, terms: terms.map { (quantity: $0.0, weight: $0.1) })
        }
        switch kind {
        case .regionalCapacity(let r):
            let region = instance.dataset.regions[r]
            return row("capacity[\(region.id)]", .atMost, region.localCapacityFTE, [(.regionEffort(r), 1)])
        case .budget: return row("budget", .atMost, limits.budget!, [(.expense, 1)])
        case .gamHeadcount: return row("gam_headcount", .atMost, limits.gamHeadcount!, [(.gamFTE, 1)])
        case .centralFTE: return row("central_fte", .atMost, limits.centralFTE!, [(.centralFTE, 1)])
        case .execHours: return row("exec_hours", .atMost, limits.execHours!, [(.execHours, 1)])
        case .maxCostOfSales:
            return row("cost_of_sales", .atMost, 0, [(.expense, 1), (.revenue, -limits.maxCostOfSales!)])
        case .globalShareMinimum:
            return row("global_share_min", .atLeast, 0, [(.globalExpense, 1), (.expense, -limits.globalShare!.lowerBound)])
        case .globalShareMaximum:
            return row("global_share_max", .atMost, 0, [(.globalExpense, 1), (.expense, -limits.globalShare!.upperBound)])
        case .maxGlobalAccounts:
            return row("max_global_accounts", .atMost, Double(limits.maxGlobalAccounts!), [(.globalAccounts, 1)])
        case .maxChanges: return row("max_changes", .atMost, Double(model.transition.maxChanges!), [(.changes, 1)])
        case .gamCapacity(let g):
            let gam = instance.dataset.gams[g]
            return row("gam_capacity[\(gam.id)]", .atMost, gam.capacityFTE, [(.gamLoad(g), 1)])
        case .gamMaxAccounts(let g):
            let gam = instance.dataset.gams[g]
            return row("gam_max_accounts[\(gam.id)]", .atMost, Double(gam.maxAccounts!), [(.gamAccounts(g), 1)])
        case .gamPoolCapacity(let g):
            let pools = instance.leadPools!, c = pools.pool[g]
            return row("gam_pool_capacity[\(instance.dataset.gams[g].id)]", .atMost, pools.capacity(of: c, in: instance.dataset),
                       [(.poolLoad(c), 1)])
        case .gamPoolMaxAccounts(let g):
            let pools = instance.leadPools!, c = pools.pool[g]
            return row("gam_pool_max_accounts[\(instance.dataset.gams[g].id)]", .atMost,
                       Double(pools.maxAccounts(of: c, in: instance.dataset)!), [(.poolAccounts(c), 1)])
        }
    }

    // MARK: - What each decision adds to each quantity

    /// A tier choice's contribution to `quantity`.
    func amount(of quantity: Quantity, in choice: TierChoice) -> Double {
        switch quantity {
        case .regionEffort: return 0
        case .expense: return choice.expense
        case .revenue: return choice.revenue
        case .globalExpense: return choice.tierCost + choice.awayCost
        case .gamFTE: return choice.gamFTE
        case .centralFTE: return choice.centralFTE
        case .execHours: return choice.execHours
        case .globalAccounts: return choice.isGlobal ? 1 : 0
        case .changes: return choice.isChange ? 1 : 0
        case .gamLoad(let g): return choice.gam == g ? choice.gamFTE : 0
        case .gamAccounts(let g): return choice.gam == g ? 1 : 0
        case .poolLoad(let c): return choice.pool == c ? choice.gamFTE : 0
        case .poolAccounts(let c): return choice.pool == c ? 1 : 0
        }
    }

    /// One FTE of effort in region `r` winning `revenuePerFTE`: its contribution to `quantity`.
    func amount(of quantity: Quantity, inEffortOf r: Int, revenuePerFTE: Double) -> Double {
        switch quantity {
        case .regionEffort(let region): return region == r ? 1 : 0
        case .expense: return instance.dataset.regions[r].localFTECost
        case .revenue: return revenuePerFTE
        default: return 0
        }
    }

    /// The programme's contribution to `quantity` when it runs: its fixed cost.
    func amountOfProgramme(_ quantity: Quantity) -> Double {
        switch quantity {
        case .expense, .globalExpense: return instance.model.costs.programmeFixedCost
        default: return 0
        }
    }

    /// One tier change's contribution to `quantity`, when changes are decisions of their own
    /// (the roadmap counts them between years): its cost and its count.
    func amountOfChange(_ quantity: Quantity) -> Double {
        switch quantity {
        case .expense: return instance.model.transition.changeCost
        case .changes: return 1
        default: return 0
        }
    }

    // MARK: - Coefficients

    /// `Σ weight·amount` over the row's quantities.
    private func combine(_ row: Row, _ amount: (Quantity) -> Double) -> Double {
        var total = 0.0
        for term in row.terms {
            let value = amount(term.quantity)
            if value != 0 { total += term.weight * value }
        }
        return total
    }

    /// The coefficient of a tier choice in a row.
    func coefficient(of choice: TierChoice, in row: Row) -> Double {
        combine(row) { amount(of: $0, in: choice) }
    }

    /// The coefficient of one FTE of effort in region `r` that wins `revenuePerFTE`.
    func effortCoefficient(in row: Row, region r: Int, revenuePerFTE: Double) -> Double {
        combine(row) { amount(of: $0, inEffortOf: r, revenuePerFTE: revenuePerFTE) }
    }

    /// A tier change's coefficient in a row, when changes are decisions of their own.
    func changeCoefficient(in row: Row) -> Double {
        combine(row) { amountOfChange($0) }
    }

    /// The programme binary's coefficient in a row.
    func programmeCoefficient(in row: Row) -> Double {
        combine(row) { amountOfProgramme($0) }
    }

    /// The weight of local FTE cost in a row: one FTE in region `r` adds `costWeight·c_r`, plus
    /// ``revenueWeight(in:)`` times the revenue it wins, plus 1 in its region's capacity row.
    func costWeight(in row: Row) -> Double { row.weight(of: .expense) }

    /// The weight of revenue in a row.
    func revenueWeight(in row: Row) -> Double { row.weight(of: .revenue) }

    /// The region whose capacity the row limits, if it is a capacity row.
    func capacityRegion(of row: Row) -> Int? {
        if case .regionalCapacity(let r) = row.kind { return r }
        return nil
    }

    /// The row's right-hand side once the programme is decided (its use moved to the right).
    func bound(of row: Row, programmeActive: Bool) -> Double {
        programmeActive ? row.bound - programmeCoefficient(in: row) : row.bound
    }

    /// What choosing tier `t` for account `a`, led by `lead` (a global tier of a dataset with
    /// gams.csv), contributes.
    func choice(account a: Int, tier t: Int, lead: Lead? = nil) -> TierChoice {
        let model = instance.model, tier = model.tiers[t]
        let account = instance.dataset.accounts[a]
        let (kept, central) = instance.tierRevenue(account: a, tier: t)
        let change = instance.isChange(account: a, tier: t)
        let changeCost = change ? model.transition.changeCost : 0
        let tierCost = instance.tierCost[t]
        // A pool's GAMs share their home region.
        let gam = lead?.gam, someone = gam ?? lead?.pool.map { instance.leadPools!.members[$0][0] }
        let away = someone.map { instance.dataset.gams[$0].homeRegion != account.headquarters ? model.portfolio.awayCost : 0 } ?? 0
        let continuity = gam != nil && gam == account.currentGAM ? model.portfolio.continuityValue : 0
        return TierChoice(
            tier: t, revenue: kept + central, tierCost: tierCost, expense: tierCost + changeCost + away,
            value: account.margin * (kept + central) - tierCost - changeCost - away + continuity,
            isChange: change, isGlobal: tier.isGlobal, gamFTE: tier.gamFTE, centralFTE: tier.centralFTE,
            execHours: tier.execHours, minimumCoverage: tier.minLocalCoverage, gam: gam, pool: lead?.pool, awayCost: away,
            continuity: continuity)
    }

    /// Every choice open to account `a`: each open tier, and a global tier once per lead
    /// (``AllocationInstance/leadCandidates(account:tier:)``) when the dataset names its GAMs.
    func choices(account a: Int) -> [TierChoice] {
        instance.openTiers[a].flatMap { t in instance.leadCandidates(account: a, tier: t).map { choice(account: a, tier: t, lead: $0) } }
    }

    /// The objective value of one FTE of effort in region `r` that wins `revenuePerFTE`.
    func effortValue(margin: Double, region r: Int, revenuePerFTE: Double) -> Double {
        margin * revenuePerFTE - instance.dataset.regions[r].localFTECost
    }

    /// Width (FTE) and revenue per FTE of each response segment of one footprint pair; empty
    /// when the pair's saturation scale is 0 (no effort can be placed there). The revenue per FTE
    /// is the curve's slope times the pair's gain scale (potential / s), as the decomposition's
    /// pricing table computes it (``PricingTable/Segments``): one multiplication per segment in
    /// pricing's inner loop.
    func segments(of pair: AllocationInstance.FootprintPair) -> [(width: Double, revenuePerFTE: Double)] {
        guard pair.saturation > 0 else { return [] }
        let curve = instance.curve
        return (0..<curve.segmentCount).map { k in
            (curve.width(ofSegment: k) * pair.saturation, curve.slope(ofSegment: k) * (pair.localPotential / pair.saturation))
        }
    }
}
