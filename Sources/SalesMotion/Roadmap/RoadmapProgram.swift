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
struct RoadmapProgram {
    let roadmap: RoadmapInstance
    let program: LinearProgram
    /// `tierVariables[k][a][j]`: year `k + 1`, account `a`, tier `openTiers[a][j]`.
    let tierVariables: [[[VariableIndex]]]
    /// `effortVariables[k][a][e]`: the segments of footprint pair `e`.
    let effortVariables: [[[[VariableIndex]]]]
    let programmeVariables: [VariableIndex]

    init(_ roadmap: RoadmapInstance, names: Bool = false) {
        self.roadmap = roadmap
        let base = roadmap.base
        var program = LinearProgram(sense: .maximize)
        var tiers: [[[VariableIndex]]] = []
        var efforts: [[[[VariableIndex]]]] = []
        var programmes: [VariableIndex] = []
        var changes: [[VariableIndex?]] = []
        for k in 1...roadmap.years {
            let instance = roadmap.yearInstances[k - 1]
            let formulation = Formulation(instance: instance)
            var builder = ProgramBuilder(formulation: formulation, programmeActive: nil, names: names, into: program,
                                         scale: roadmap.settings.discountFactor(year: k), suffix: "_y\(k)")
            var yearTiers: [[VariableIndex]] = []
            var yearEffort: [[[VariableIndex]]] = []
            var yearChanges: [VariableIndex?] = []
            for a in instance.dataset.accounts.indices {
                let choices = instance.openTiers[a].map { formulation.choice(account: a, tier: $0) }
                let variables = builder.addTierChoices(account: a, choices, shiftToFloor: true)
                yearTiers.append(variables)
                yearEffort.append(instance.pairs[a].indices.map { e in
                    builder.addEffort(account: a, pair: e, choices: Array(zip(choices, variables)))
                })
                let hasYearBefore = k > 1 || base.dataset.accounts[a].currentTier != nil
                yearChanges.append(hasYearBefore ? builder.addChange(account: a) : nil)
            }
            programmes.append(builder.programme!)
            program = builder.finish().program
            tiers.append(yearTiers)
            efforts.append(yearEffort)
            changes.append(yearChanges)
        }
        let accountIds = base.dataset.accounts.map(\.id), tierIds = base.model.tiers.map(\.id)
        for a in base.dataset.accounts.indices {
            let open = base.openTiers[a]
            for k in 1...roadmap.years {
                guard let change = changes[k - 1][a] else { continue }
                // The tiers the account can be in this year or the year before.
                var candidates = open
                if k == 1, let today = base.currentTier[a], !open.contains(today) { candidates.append(today) }
                for t in candidates {
                    var terms: [(VariableIndex, Double)] = [(change, 1)]
                    var lower = 0.0
                    if let j = open.firstIndex(of: t) { terms.append((tiers[k - 1][a][j], -1)) }
                    if k == 1 {
                        if base.currentTier[a] == t { lower = -1 }
                    } else if let j = open.firstIndex(of: t) {
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
        effortVariables = efforts
        programmeVariables = programmes
    }

    /// Each year's tier of every account (indices into the model's tiers) in `solution`.
    func tiers(from solution: [Double]) -> [[Int]] {
        tierVariables.map { year in
            year.enumerated().map { a, variables in
                let open = roadmap.base.openTiers[a]
                let j = variables.indices.max { solution[variables[$0].rawValue] < solution[variables[$1].rawValue] } ?? 0
                return open[j]
            }
        }
    }
}
