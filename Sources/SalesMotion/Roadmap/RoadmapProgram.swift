// SPDX-License-Identifier: GPL-3.0-or-later

internal import LinearProgramming

/// The roadmap as one mixed-integer program (roadmap.md): every year's single-year program,
/// built from that year's ``Formulation`` and weighed by its discount factor, plus the tier
/// changes between years as variables of their own.
///
/// Year `k`'s rows are its own limits; a change of account `a` in year `k`, `chg[a,k]`, enters
/// year `k`'s rows with its cost and its count (``Formulation/amountOfChange(_:)``) and is tied
/// to the tiers by `chg[a,k] ≥ y[a,t,k] − y[a,t,k−1]` for every tier `t` (year 0 is today's tier;
/// an account without one has no change in year 1). With the tiers integral, `chg` is 1 exactly
/// when the tier moves. `Σ_k chg[a,k] ≤ max_changes_per_account` when that key is set.
///
/// The decomposition's restricted programs are the same program with a ``Restriction``: the
/// programme decided year by year, most accounts fixed on a path (their value and use folded
/// into the constant and the right-hand sides), their effort fixed or free pair by pair.
struct RoadmapProgram {
    let roadmap: RoadmapInstance
    let program: LinearProgram
    /// `tierVariables[k][a][j]`: year `k + 1`, account `a`, tier `openTiers[a][j]` (empty for
    /// an account the restriction fixes).
    let tierVariables: [[[VariableIndex]]]
    /// The open tiers each variable of `tierVariables` stands for.
    let tierChoices: [[[Int]]]
    /// `effortVariables[k][a][e]`: the segments of footprint pair `e` (empty when fixed).
    let effortVariables: [[[[VariableIndex]]]]
    /// Each year's programme binary (nil when the restriction decides it).
    let programmeVariables: [VariableIndex?]
    /// Each year's limit rows.
    let limitRows: [[(kind: LimitKind, constraint: ConstraintIndex)]]
    let restriction: Restriction?

    /// What a restricted program leaves to the solver.
    struct Restriction {
        /// The programme runs in year `k + 1`.
        var programme: [Bool]
        /// Per account: its tiers and effort are free.
        var free: [Bool]
        /// The tier of every year of each fixed account.
        var paths: [[Int]]
        /// Effort of each fixed account, year by year and pair by pair (in `RoadmapBlocks` order:
        /// all pairs of year 1, then year 2, …); nil where the pair's effort is free.
        var fte: [[Double?]]
    }

    init(_ roadmap: RoadmapInstance, names: Bool = false, restriction: Restriction? = nil) {
        self.roadmap = roadmap
        self.restriction = restriction
        let base = roadmap.base
        var program = LinearProgram(sense: .maximize)
        var tiers: [[[VariableIndex]]] = []
        var tierChoices: [[[Int]]] = []
        var changes: [[VariableIndex?]] = []
        var efforts: [[[[VariableIndex]]]] = []
        var programmes: [VariableIndex?] = []
        var limitRows: [[(kind: LimitKind, constraint: ConstraintIndex)]] = []
        for k in 1...roadmap.years {
            let instance = roadmap.yearInstances[k - 1]
            let formulation = Formulation(instance: instance)
            let programme = restriction?.programme[k - 1]
            var builder = ProgramBuilder(formulation: formulation, programmeActive: programme, names: names, into: program,
                                         scale: roadmap.settings.discountFactor(year: k), suffix: "_y\(k)")
            var yearTiers: [[VariableIndex]] = []
            var yearChoices: [[Int]] = []
            var yearChanges: [VariableIndex?] = []
            var yearEffort: [[[VariableIndex]]] = []
            for a in instance.dataset.accounts.indices {
                let hasYearBefore = k > 1 || base.dataset.accounts[a].currentTier != nil
                if let restriction, !restriction.free[a] {
                    let path = restriction.paths[a]
                    builder.fix(formulation.choice(account: a, tier: path[k - 1]))
                    let pairs = instance.pairs[a].count
                    yearEffort.append((0..<pairs).map { e in
                        if let fte = restriction.fte[a][(k - 1) * pairs + e] {
                            builder.fixEffort(account: a, pair: e, fte: fte)
                            return []
                        }
                        let minimum = instance.model.tiers[path[k - 1]].minLocalCoverage * instance.pairs[a][e].saturation
                        return builder.addEffort(account: a, pair: e, choices: [], fixedMinimum: minimum)
                    })
                    let previous = k == 1 ? base.currentTier[a] : path[k - 2]
                    if hasYearBefore && previous != path[k - 1] { builder.fixChange() }
                    yearTiers.append([])
                    yearChoices.append([])
                    yearChanges.append(nil)
                    continue
                }
                let open = instance.openTiers[a].filter { programme != false || !instance.model.tiers[$0].isGlobal }
                let choices = open.map { formulation.choice(account: a, tier: $0) }
                let variables = builder.addTierChoices(account: a, choices, shiftToFloor: restriction == nil)
                yearTiers.append(variables)
                yearChoices.append(open)
                yearEffort.append(instance.pairs[a].indices.map { e in
                    builder.addEffort(account: a, pair: e, choices: Array(zip(choices, variables)))
                })
                yearChanges.append(hasYearBefore ? builder.addChange(account: a) : nil)
            }
            programmes.append(builder.programme)
            let finished = builder.finish()
            program = finished.program
            limitRows.append(finished.limits)
            efforts.append(yearEffort)
            tiers.append(yearTiers)
            tierChoices.append(yearChoices)
            changes.append(yearChanges)
        }
        let accountIds = base.dataset.accounts.map(\.id), tierIds = base.model.tiers.map(\.id)
        for a in base.dataset.accounts.indices where restriction?.free[a] ?? true {
            for k in 1...roadmap.years {
                guard let change = changes[k - 1][a] else { continue }
                // The tiers the account can be in this year or the year before.
                var candidates = tierChoices[k - 1][a]
                if k == 1, let today = base.currentTier[a], !candidates.contains(today) { candidates.append(today) }
                if k > 1 { candidates += tierChoices[k - 2][a].filter { !candidates.contains($0) } }
                for t in candidates {
                    var terms: [(VariableIndex, Double)] = [(change, 1)]
                    var lower = 0.0
                    if let j = tierChoices[k - 1][a].firstIndex(of: t) { terms.append((tiers[k - 1][a][j], -1)) }
                    if k == 1 {
                        if base.currentTier[a] == t { lower = -1 }
                    } else if let j = tierChoices[k - 2][a].firstIndex(of: t) {
                        terms.append((tiers[k - 2][a][j], 1))
                    }
                    program.addConstraint(name: names ? "moved[\(accountIds[a]),\(tierIds[t])]_y\(k)" : "", terms: terms, lower: lower)
                }
            }
            if let most = roadmap.settings.maxChangesPerAccount {
                let terms = changes.compactMap { $0[a] }.map { ($0, 1.0) }
                if !terms.isEmpty {
                    program.addConstraint(name: names ? "max_changes_per_account[\(accountIds[a])]" : "", terms: terms,
                                          upper: Double(most))
                }
            }
        }
        self.program = program
        tierVariables = tiers
        self.tierChoices = tierChoices
        effortVariables = efforts
        programmeVariables = programmes
        self.limitRows = limitRows
    }

    /// Each year's decisions in `solution`: tiers, effort per footprint pair (the restriction's
    /// where it fixed it), whether the programme runs.
    func decisions(from solution: [Double]) -> [PlanDecisions] {
        let tiers = self.tiers(from: solution)
        return tiers.indices.map { k in
            let fte = effortVariables[k].enumerated().map { a, pairs in
                pairs.enumerated().map { e, segments in
                    segments.isEmpty ? (restriction?.fte[a][k * pairs.count + e] ?? 0)
                        : max(0, segments.reduce(0) { $0 + solution[$1.rawValue] })
                }
            }
            let programme = programmeVariables[k].map { solution[$0.rawValue] > 0.5 } ?? restriction!.programme[k]
            return PlanDecisions(tiers: tiers[k], fte: fte, programmeActive: programme)
        }
    }

    /// Each year's shadow prices, undiscounted: the row duals of this program with every binary
    /// fixed at its value in `solution`, solved as an LP on `session` (which holds this program),
    /// divided by the year's discount factor. Nil for a year when that LP does not solve.
    func yearDuals(_ session: any SolverSession, solution: [Double], verbose: Bool) throws -> [[LimitKind: Double]?] {
        let binaries = tierVariables.flatMap { $0.flatMap { $0 } } + programmeVariables.compactMap { $0 }
        for variable in binaries {
            let value = solution[variable.rawValue].rounded()
            try session.setBounds(of: variable, lower: value, upper: value)
        }
        // Fixing binaries moves bounds only: the basis the search left stays dual feasible.
        var options = SolveOptions(relaxIntegrality: true, verbose: verbose)
        options.dualSimplex = true
        let lp = try session.solve(options: options)
        guard lp.termination == .optimal, let duals = lp.constraintDuals else { return limitRows.map { _ in nil } }
        return limitRows.enumerated().map { k, rows in
            let discount = roadmap.settings.discountFactor(year: k + 1)
            return Dictionary(uniqueKeysWithValues: rows.map { ($0.kind, duals[$0.constraint.rawValue] / discount) })
        }
    }

    /// Each year's tier of every account (indices into the model's tiers) in `solution`.
    func tiers(from solution: [Double]) -> [[Int]] {
        tierVariables.enumerated().map { k, year in
            year.enumerated().map { a, variables in
                guard !variables.isEmpty else { return restriction!.paths[a][k] }
                let j = variables.indices.max { solution[variables[$0].rawValue] < solution[variables[$1].rawValue] } ?? 0
                return tierChoices[k][a][j]
            }
        }
    }

    /// The part of the objective no decision changes: every account's least valuable open tier
    /// in every year, discounted (what the unrestricted program moves into its constant).
    static func fixedPart(of roadmap: RoadmapInstance) -> Double {
        var total = 0.0
        for (k, instance) in roadmap.yearInstances.enumerated() {
            let formulation = Formulation(instance: instance)
            var year = 0.0
            for a in instance.dataset.accounts.indices {
                year += instance.openTiers[a].map { formulation.choice(account: a, tier: $0).value }.min() ?? 0
            }
            total += roadmap.settings.discountFactor(year: k + 1) * year
        }
        return total
    }
}
