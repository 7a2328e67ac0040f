// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import LinearProgramming

/// The exact core: the step that proves a plan optimal when the Lagrangian bound alone is too
/// weak to (see ``DecompositionSolver``).
///
/// At linking-row prices π with Lagrangian bound L(π), every plan x of the case satisfies
/// `f(x) = L(π) − Σ_a loss_a(x_a) − Σ_i π_i·slack_i(x)`, where `loss_a ≥ 0` is what account a's
/// block gives up against its best block at π and every priced slack is ≥ 0 (π has the signs a
/// bound needs). A plan better than the incumbent z therefore has `loss_a(x_a) ≤ Δ = L(π) − z`
/// for every account: an option whose loss, even with its best effort, exceeds Δ cannot be part
/// of it. The core MIP keeps only the options within Δ — usually a handful of accounts keep
/// more than one — with the effort segments continuous, as in the monolithic program (for an
/// account fixed in its tier, only those within its effort window, when windows apply). Its
/// optimum, or its solver's bound, is then an exact bound for the whole case:
/// `max(z, bound of the core)`.
extension DecompositionSolver {
    /// What the core step found: a plan when it beat the incumbent, and the case's bound.
    struct CoreResult {
        var recovered: Recovered?
        /// A bound on every plan of the case, nil when the core's solver gave none.
        var bound: Double?
        /// The core was searched to the end (its solver proved its optimum, or that it has no plan).
        var complete = false
        /// The core has no plan at all, even below the threshold.
        var empty = false
    }

    /// The most accounts left with a choice for which the core is tried: GLPK's branch and
    /// bound on the core (every effort segment a variable) closes a handful of choices in
    /// seconds, and a few hundred not in a minute (docs/benchmarks.md, "Issue 11").
    static let coreAccountLimit = 100

    /// The core of one case at its prices against an incumbent's objective.
    struct CoreOptions {
        /// Per account, the options within Δ; nil for an account left with one option.
        var allowed: [[Int]?]
        var choices: [BlockPricing.Choice]
        var delta: Double
        /// The least loss of an option the core leaves out (> Δ; +∞ when it keeps every option).
        var excludedLoss = Double.infinity
        /// The Lagrangian bound the losses are taken against, and the margin for its rounding.
        var bound: Double
        var margin: Double
        /// The interchangeable accounts among those with a choice (``interchangeableGroups``),
        /// each group one aggregate of the core; none when no structure was given.
        var groups: [[Int]] = []
        /// The choices the core leaves: an account with several options, or a group of them.
        var freeAccounts: Int
        /// The accounts with several options, grouped or not.
        var accountsWithChoice: Int

        /// Nil when no plan of the case can beat the incumbent (Δ ≤ 0).
        init?(_ solver: DecompositionSolver, _ result: CaseResult, incumbent: Double) {
            self.init(BlockPricing(structure: result.structure).price(result.duals, recordChoices: true, recordOptionValues: true),
                      threshold: incumbent, structure: result.structure)
        }

        /// The options of `plan` (priced with choices and option values) that a plan better than
        /// `threshold` may use; nil when none can be (Δ ≤ 0). With `structure`, interchangeable
        /// accounts are grouped when at most `groupingLimit` have a choice.
        init?(_ plan: BlockPricing.Plan, threshold: Double, structure: LinkingStructure? = nil, groupingLimit: Int = .max) {
            // The bound is a long sum: a margin for its rounding keeps the test on the safe side.
            // An option it still leaves out wrongly could hold plans above the threshold by no
            // more than the rounding, far inside any gap; a wide margin (1e-9 of a million
            // accounts' bound is 7,000) would give a choice to thousands of accounts.
            bound = plan.bound
            margin = 1e-12 * abs(plan.bound) + 1e-6
            delta = plan.bound - threshold + margin
            guard delta > 0 else { return nil }
            let delta = delta
            var excluded = Double.infinity
            allowed = plan.choices.map { choice -> [Int]? in
                let kept = choice.optionValues.indices.filter {
                    let loss = choice.reducedValue - choice.optionValues[$0]
                    if loss > delta { excluded = min(excluded, loss) }
                    return loss <= delta
                }
                return kept.count > 1 ? kept : nil
            }
            excludedLoss = excluded
            choices = plan.choices
            accountsWithChoice = allowed.lazy.filter { $0 != nil }.count
            freeAccounts = accountsWithChoice
            if let structure, accountsWithChoice <= groupingLimit {
                groups = DecompositionSolver.interchangeableGroups(structure, allowed)
                freeAccounts -= groups.reduce(0) { $0 + $1.count - 1 }
            }
        }

        /// What the core proves of the plans it leaves out: none is worth more than this. Each
        /// such plan uses an option the core leaves out, or moves effort past a window (losing
        /// at least `windowLoss`, ≥ Δ), and loses at least that much against the bound; Δ alone
        /// gives the threshold the core was made for, the least loss it leaves out a lower one.
        /// Two cores at neighbouring Δ often hold the same options, and then the first proves
        /// what the second would be searched for.
        func threshold(windowLoss: Double) -> Double {
            bound - max(delta, min(excludedLoss, windowLoss)) + margin
        }
    }

    /// Solves a core of one case in `timeLimit`. `incumbent` is the core's threshold (the core
    /// holds every plan of the case above it): below every plan known in the core search's
    /// early rounds, else the best plan plus 90 % of the tolerance (``coreThreshold``). `plan`,
    /// when given, is offered as the first incumbent. `windowed` false makes every effort
    /// segment a variable (the reference the tests hold windows to).
    func solveCore(_ result: CaseResult, _ core: CoreOptions, incumbent: Double, start plan: Recovered?, tolerance: Double,
                   timeLimit: Double, caseBound: Double = .infinity, windowed: Bool = true) throws -> CoreResult {
        let structure = result.structure
        let allowed = core.allowed, choices = core.choices
        let effort = windowed ? Self.effortWindows(structure, duals: result.duals, choices: choices, allowed: allowed,
                                                   delta: core.delta) : nil
        let windows = effort?.windows
        // Without windows every effort segment is a variable: no plan leaves the core by its effort.
        let excluded = core.threshold(windowLoss: effort?.excludedLoss ?? .infinity)
        // The core holds every plan above `incumbent`; what it leaves out is worth at most `excluded`.
        let floor = min(incumbent, excluded)
        let coreProgram = coreProgram(structure, choices, allowed, groups: core.groups, windows: windows)
        // Without the limits its free decisions cannot reach, as the restricted programs.
        let problem = try options.backend.makeSession(coreProgram.program.droppingRedundantConstraints())
        // The simplex starts from the priced plan: every column at the bound its value net of
        // the linking rows' prices favours, or filled to a tier's minimum, whose last segment is
        // then basic in place of its coverage row. Only the few limit rows and the free
        // accounts' rows are violated, which the dual simplex mends in a few long steps; from
        // GLPK's standard basis it would move the effort columns one by one, and from the plan
        // at zero prices (each column as its objective alone favours) it took 2,054 iterations
        // instead of 130 on 10,000 `standard` accounts, where every effort segment is a column.
        try problem.setStartingBasis(pricedPlanOf: coreProgram, structure, prices: result.duals)
        var solveOptions = SolveOptions(relativeGap: 1e-12, timeLimit: max(0.001, timeLimit), verbose: options.verbose,
                                        cuttingPlanes: true, stop: options.stop, absoluteGap: tolerance)
        solveOptions.dualSimplex = true
        // A plan this close to the case's bound closes the gap: the search need not go on.
        if caseBound.isFinite { solveOptions.targetObjective = caseBound - tolerance }
        // The incumbent, when it is a plan of this case, prunes the search from the start.
        let start = plan.flatMap { plan in plan.decisions.programmeActive == structure.programmeActive
            ? coreValues(of: plan.decisions, coreProgram, structure, allowed, choices) : nil }
        let solution = try problem.solve(options: solveOptions, warmStart: true, incumbent: start)
        if solution.termination == .interrupted { throw PlanningInterrupted() }
        // No plan of the core at all: none of the case beats the incumbent.
        if solution.termination == .infeasible { return CoreResult(recovered: nil, bound: floor, complete: true, empty: true) }
        let bound = solution.bestBound.map { max($0, floor) }
        let complete = solution.termination == .optimal
        guard solution.termination.hasSolution, let objective = solution.objectiveValue, objective > plan?.objective ?? -.infinity,
              coreProgram.program.isFeasible(solution.variableValues) else {
            return CoreResult(recovered: nil, bound: bound, complete: complete)
        }
        let values = solution.variableValues
        var decisions = planDecisions(structure, values: values, tiers: coreProgram.tiers, optionIndices: allowed,
                                      effort: coreProgram.effort, choices: choices, floors: coreProgram.floors)
        Self.spread(coreProgram.aggregates, values: values, structure, into: &decisions)
        let (duals, dualSeconds) = try fixedTierDuals(problem, values, coreProgram.tiers + coreProgram.aggregates.map(\.counts),
                                                      coreProgram.rows, structure.kinds)
        return CoreResult(recovered: Recovered(decisions: decisions, objective: objective, duals: duals, exactBound: nil,
                                               dualSeconds: dualSeconds),
                          bound: bound, complete: complete)
    }

    /// `decisions` as values of the core program's variables; nil when they are not in the core.
    private func coreValues(of decisions: PlanDecisions, _ core: CoreProgram, _ structure: LinkingStructure,
                            _ allowed: [[Int]?], _ choices: [BlockPricing.Choice]) -> [Double]? {
        var values = [Double](repeating: 0, count: core.program.variableCount)
        for a in 0..<structure.accountCount {
            if let ys = core.tiers[a] {
                let options = structure.options(a)
                guard let kept = allowed[a], let k = kept.firstIndex(where: {
                    options[$0].tier == decisions.tiers[a] && options[$0].choice.lead == decisions.leadKey(of: a)
                })
                else { return nil }
                values[ys[k].rawValue] = 1
            }
            if core.effort[a].isEmpty, core.tiers[a] == nil, allowed[a] == nil,
               zip(decisions.fte[a], choices[a].fte).contains(where: { abs($0 - $1) > 1e-9 }) {
                // An account without variables keeps its priced effort.
                return nil
            }
            for (e, segments) in core.effort[a].enumerated() {
                var left = decisions.fte[a][e] - core.floors[a][e]
                let widths = core.widths[a][e]
                // Effort outside a window is no start for the core.
                guard left >= -1e-9, left <= widths.reduce(0, +) + 1e-9 else { return nil }
                for (k, x) in segments.enumerated() where left > 0 {
                    let amount = min(left, widths[k])
                    values[x.rawValue] = amount
                    left -= amount
                }
            }
        }
        return Self.aggregateValues(of: decisions, core.aggregates, structure, into: values)
    }

    /// A core program and where each account's decisions are in it (see ``coreProgram``).
    struct CoreProgram {
        var program: LinearProgram
        var rows: [ConstraintIndex]
        var tiers: [[VariableIndex]?]
        var effort: [[[VariableIndex]]]
        var coverage: [[ConstraintIndex?]]
        var floors: [[Double]]
        var widths: [[[Double]]]
        var aggregates: [Aggregate]
    }

    /// The core program: accounts with several options within Δ choose among them, every other
    /// account is fixed in its best option, with its effort within its window (every segment
    /// when there are no windows; its priced effort, and no variables, when it has none).
    /// `coverage` holds each pair's coverage row, when it has one; `floors` each pair's effort
    /// fixed below its variables, `widths` its variables' widths (all three empty for an
    /// account without variables).
    /// Each of `groups` is one aggregate (``Aggregate``), its accounts without variables of their own.
    private func coreProgram(_ structure: LinkingStructure, _ choices: [BlockPricing.Choice], _ allowed: [[Int]?],
                             groups: [[Int]], windows: [Int: [ClosedRange<Double>]]?) -> CoreProgram {
        var builder = ProgramBuilder(formulation: structure.formulation, programmeActive: structure.programmeActive)
        let accounts = structure.accountCount
        var tierVariables = [[VariableIndex]?](repeating: nil, count: accounts)
        var effortVariables = [[[VariableIndex]]](repeating: [], count: accounts)
        var coverage = [[ConstraintIndex?]](repeating: [], count: accounts)
        var floors = [[Double]](repeating: [], count: accounts), widths = [[[Double]]](repeating: [], count: accounts)
        var isAggregated = [Bool](repeating: false, count: accounts)
        for group in groups { for a in group { isAggregated[a] = true } }
        let table = structure.pricingTable, segments = table.segments, pairClass = table.pairClass
        let regionCost = structure.instance.dataset.regions.map(\.localFTECost)
        for a in 0..<accounts where !isAggregated[a] {
            let tierChoices: [(Formulation.TierChoice, VariableIndex)]
            var minimum: [Double]? = nil
            if let kept = allowed[a] {
                let options = structure.options(a)
                let choicesKept = kept.map { options[$0].choice }
                let ys = builder.addTierChoices(account: a, choicesKept, shiftToFloor: false)
                tierVariables[a] = ys
                tierChoices = Array(zip(choicesKept, ys))
            } else {
                // Fixed in its priced option, straight from the pricing table.
                let o = choices[a].option
                builder.fix(value: structure.pricingTable.optionValue[structure.pricingTable.optionStart[a] + o],
                            usage: structure.sparseUsage(account: a, option: o))
                tierChoices = []
                if let windows {
                    // Effort within the account's window; without one, its priced effort, and no
                    // arrays of its own (a million accounts, a few hundred windows).
                    guard let window = windows[a] else {
                        for (e, fte) in choices[a].fte.enumerated() {
                            let p = table.pairStart[a] + e
                            builder.fixEffort(segments, pair: p, region: pairClass[p], margin: structure.margins[a],
                                              cost: regionCost[pairClass[p]], fte: fte)
                        }
                        continue
                    }
                    for e in window.indices {
                        let (variables, pieces) = builder.addEffort(account: a, pair: e, within: window[e])
                        effortVariables[a].append(variables)
                        widths[a].append(pieces)
                        floors[a].append(window[e].lowerBound)
                        coverage[a].append(nil)
                    }
                    continue
                }
                minimum = choices[a].fte.indices.map { structure.minimumFTE(account: a, option: o, pair: $0) }
            }
            for (e, pair) in structure.pairs(a).enumerated() {
                let rowsBefore = builder.coverageRows.count
                effortVariables[a].append(builder.addEffort(account: a, pair: e, choices: tierChoices, fixedMinimum: minimum?[e] ?? 0))
                coverage[a].append(builder.coverageRow(addedSince: rowsBefore))
                floors[a].append(0)
                widths[a].append(pair.widths)
            }
        }
        let aggregates = groups.map { Self.addAggregate($0, allowed[$0[0]]!, structure, to: &builder) }
        let (lp, limits, _) = builder.finish()
        return CoreProgram(program: lp, rows: limits.map(\.constraint), tiers: tierVariables, effort: effortVariables,
                           coverage: coverage, floors: floors, widths: widths, aggregates: aggregates)
    }
}

extension SolverSession {
    /// Starts the next warm solve of a core program (or a restricted one, built as a core
    /// program) from its plan at the linking rows' `prices` (see ``DecompositionSolver/solveCore``).
    func setStartingBasis(pricedPlanOf core: DecompositionSolver.CoreProgram, _ structure: LinkingStructure,
                          prices: [Double]) throws {
        let program = core.program
        // Each column's objective less its use of the linking rows at their prices.
        var worth = program.objectiveCoefficients
        for (i, row) in core.rows.enumerated() where prices[i] != 0 {
            for t in program.coefficientRange(of: row) {
                worth[Int(program.coefficientColumns[t])] -= prices[i] * program.coefficientValues[t]
            }
        }
        var atUpper: [VariableIndex] = [], basicFor: [(VariableIndex, ConstraintIndex)] = []
        for a in 0..<structure.accountCount {
            for y in core.tiers[a] ?? [] where worth[y.rawValue] > 0 { atUpper.append(y) }
            for (e, segments) in core.effort[a].enumerated() where !segments.isEmpty {
                let widths = core.widths[a][e]
                // Effort the prices want: the segments worth more than they cost (a prefix, unless a
                // limit row prices revenue against them).
                let wanted = segments.indices.filter { worth[segments[$0].rawValue] > 0 }
                let wantedFTE = wanted.reduce(0) { $0 + widths[$1] }
                let row = core.coverage[a][e]
                let minimum = row.map { program.constraintLowerBounds[$0.rawValue] } ?? 0
                guard let row, core.tiers[a] == nil, minimum > wantedFTE else {
                    atUpper += wanted.map { segments[$0] }
                    continue
                }
                // Held at the tier's minimum: full segments up to it, the last one basic.
                var left = minimum
                for (k, x) in segments.enumerated() where left > 0 {
                    if left > widths[k] { atUpper.append(x) } else { basicFor.append((x, row)) }
                    left -= widths[k]
                }
            }
        }
        // An aggregate as a free account: counts the prices favour at their upper bounds, with
        // the segments worth more than they cost.
        for aggregate in core.aggregates {
            atUpper += aggregate.counts.filter { worth[$0.rawValue] > 0 }
            atUpper += aggregate.effort.joined().joined().filter { worth[$0.rawValue] > 0 }
        }
        try setStartingBasis(atUpper: atUpper, basicFor: basicFor)
    }
}
