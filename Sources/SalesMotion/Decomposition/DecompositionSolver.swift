// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import LinearProgramming

/// Solves large allocations by exploiting their structure: one small block per account, tied
/// together by a few linking rows.
///
/// 1. For each programme decision (on, off) the linking rows are priced by Dantzig–Wolfe
///    column generation: the solver solves a small master LP over whole plans, each new plan is the
///    accounts' best blocks at the master's duals (``BlockPricing``, closed form), and dual
///    smoothing (in-out) steadies the prices. Every pricing gives a Lagrangian upper bound.
/// 2. At the best prices, most accounts have one clearly best block. The few that are nearly
///    indifferent, and the effort segments that are nearly break-even, are left free; every
///    other decision is fixed; the solver solves the remaining small MIP exactly. If that misses the
///    gap, the free set grows.
/// 3. When the Lagrangian bound itself is what keeps the gap open, the exact core
///    (``solveCore``) drops every option that cannot be part of a better plan, keeps every effort
///    segment free, and solves what is left: its bound is exact.
/// The answer is a plan with a proven bound: the gap reported is measured against the
/// Lagrangian bound or the exact core's, on the decision-dependent part of the objective.
struct DecompositionSolver {
    let instance: AllocationInstance
    let options: PlanningOptions
    /// Plans and prices from an earlier solve of the same instance with other limit values,
    /// keyed by the programme decision; column generation restarts from them.
    var warmStart: [Bool: WarmStart] = [:]
    /// Start the recovery with a wide free set (single solves: the plan is then usually the
    /// optimum itself) or a narrow one (what-if series: faster, still within the gap).
    var thorough = true

    /// What column generation keeps between solves whose limits differ only in their values.
    struct WarmStart {
        var plans: [BlockPricing.Plan]
        var center: [Double]
        /// The case's linking structure: only the bounds of its rows move between warm solves.
        var structure: LinkingStructure?
    }

    /// What one programme case produced.
    struct CaseResult {
        var structure: LinkingStructure
        var bound: Double
        var duals: [Double]
        var infeasible: Bool
        var iterations: Int
        var plans: [BlockPricing.Plan]
    }

    struct Outcome {
        var status: PlanStatus
        var decisions: PlanDecisions?
        var objective: Double?
        var bound: Double?
        var limitDuals: [LimitKind: Double]?
        var rawStatus: String
        var iterations: Int
        var timings = PhaseTimings()
        /// State for the next solve of the same instance with other limit values.
        var warmStart: [Bool: WarmStart] = [:]
    }

    /// The value of every account in its least valuable open tier (as in ``AllocationProgram``),
    /// computed once: it takes a pass over every account's tiers, and every phase needs it.
    let fixedPart: Double

    /// A solver for `instance`; `fixedPart`, when given, is the fixed part of an instance that
    /// differs from this one only in limit values (it does not depend on them).
    init(instance: AllocationInstance, options: PlanningOptions, fixedPart: Double? = nil) {
        self.instance = instance
        self.options = options
        self.fixedPart = fixedPart ?? Self.fixedPart(of: instance)
    }

    static func fixedPart(of instance: AllocationInstance) -> Double {
        let formulation = Formulation(instance: instance)
        return instance.openTiers.indices.reduce(0) { total, a in
            total + (formulation.choices(account: a).map(\.value).min() ?? 0)
        }
    }

    func solve() throws -> Outcome {
        let start = Date()
        var settings = instance.model.solver
        settings.timeLimit = options.timeLimit(settings.timeLimit)
        var timings = PhaseTimings()
        let (cases, iterations, nextWarmStart) = try priceCases(start: start, timings: &timings)
        guard !cases.isEmpty else {
            return Outcome(status: .infeasible, rawStatus: "decomposition: no programme case admits a plan",
                           iterations: iterations, timings: timings, warmStart: nextWarmStart)
        }
        let recovery = try recoverBest(cases, settings: settings, start: start, timings: &timings)
        guard let best = recovery.best else {
            return Outcome(status: recovery.provenInfeasible ? .infeasible : .noSolution,
                           rawStatus: recovery.provenInfeasible ? "decomposition: the solver proved no programme case has a plan"
                               : "decomposition: no plan recovered in time",
                           iterations: iterations, timings: timings, warmStart: nextWarmStart)
        }
        // A valid bound cannot fall below a plan; beyond rounding, something went wrong.
        guard recovery.bound >= best.objective - 1e-6 * max(1, abs(best.objective - fixedPart)) else {
            throw PlanningFailure("the decomposition's bound \(recovery.bound) is below the plan it found (\(best.objective))")
        }
        return Outcome(status: recovery.withinGap ? .optimal : .timeLimit, decisions: best.decisions, objective: best.objective,
                       bound: max(recovery.bound, best.objective), limitDuals: best.duals,
                       rawStatus: "decomposition: \(iterations) pricing rounds; bound from Lagrangian prices",
                       iterations: iterations, timings: timings, warmStart: nextWarmStart)
    }

    /// Column generation for each programme decision (on, off) that admits a plan, best bound
    /// first, with the pricing rounds and the state for the next warm solve.
    func priceCases(start: Date, timings: inout PhaseTimings)
        throws -> (cases: [CaseResult], iterations: Int, warmStart: [Bool: WarmStart]) {
        var cases: [CaseResult] = []
        var iterations = 0
        var nextWarmStart: [Bool: WarmStart] = [:]
        for programmeActive in [true, false] {
            let buildStart = Date()
            // A warm solve differs from the last only in bounds: its structure takes the new ones.
            let structure = warmStart[programmeActive]?.structure.map { $0.withBounds(of: instance) }
                ?? LinkingStructure(instance: instance, programmeActive: programmeActive)
            timings.build += Date().timeIntervalSince(buildStart)
            guard let structure else { continue }
            let lpStart = Date()
            let result = try priceLinkingRows(structure, start: start, warm: warmStart[programmeActive])
            timings.lp += Date().timeIntervalSince(lpStart)
            iterations += result.iterations
            nextWarmStart[programmeActive] = WarmStart(plans: Array(result.plans.suffix(300)), center: result.duals,
                                                       structure: structure)
            if !result.infeasible { cases.append(result) }
        }
        return (cases.sorted { $0.bound > $1.bound }, iterations, nextWarmStart)
    }

    /// Recovers plans case by case, growing the free set until the gap to the best case bound
    /// closes, a case cannot beat the incumbent, or the time is up. `provenInfeasible` is true
    /// only when the solver proved every case has no plan.
    private func recoverBest(_ cases: [CaseResult], settings: SolverSettings, start: Date, timings: inout PhaseTimings)
        throws -> (best: Recovered?, bound: Double, withinGap: Bool, provenInfeasible: Bool) {
        let fixed = fixedPart
        // The bound of each case tightens when its restricted MIP was the whole case.
        var caseBounds = cases.map(\.bound)
        var proven = [Bool](repeating: false, count: cases.count)
        var best: Recovered?
        func gapClosed() -> Bool {
            guard let incumbent = best else { return false }
            return caseBounds.max()! - incumbent.objective <= settings.mipGap * max(1, abs(incumbent.objective - fixed))
        }
        for (index, result) in cases.enumerated() {
            if let incumbent = best, caseBounds[index] <= incumbent.objective { continue }
            var freeAccounts = thorough ? 64 + 16 * result.structure.rowCount : 16 + 2 * result.structure.rowCount
            var lastCoreDelta = Double.infinity
            while true {
                if options.stop?.isRequested == true { throw PlanningInterrupted() }
                let remaining = settings.timeLimit - Date().timeIntervalSince(start)
                if remaining <= 0 { break }
                let mipStart = Date()
                // Any plan this close to the case's bound closes the gap: the restricted MIP stops there.
                let tolerance = 0.95 * settings.mipGap * max(1, abs(caseBounds[index] - fixed))
                let attempt = try recover(result, freeAccounts: freeAccounts, timeLimit: remaining,
                                          target: caseBounds[index] - tolerance, firstPlan: best == nil)
                let recovered = attempt.recovered
                timings.mip += Date().timeIntervalSince(mipStart) - (recovered?.dualSeconds ?? 0)
                timings.duals += recovered?.dualSeconds ?? 0
                if let exact = recovered?.exactBound { caseBounds[index] = min(caseBounds[index], exact) }
                if case .provenInfeasible = attempt {
                    proven[index] = true
                    caseBounds[index] = -.infinity
                }
                if let recovered, best == nil || recovered.objective > best!.objective { best = recovered }
                if gapClosed() { break }
                if let incumbent = best, caseBounds[index] <= incumbent.objective { break }
                if let incumbent = best, let core = CoreOptions(self, result, incumbent: incumbent.objective),
                   core.freeAccounts <= Self.coreAccountLimit, core.delta < 0.9 * lastCoreDelta {
                    // The exact core: a bound the Lagrangian one cannot give, and often the optimum.
                    lastCoreDelta = core.delta
                    let coreStart = Date()
                    let left = settings.timeLimit - Date().timeIntervalSince(start)
                    let found = try solveCore(result, core, incumbent: incumbent, tolerance: tolerance, timeLimit: 0.5 * left)
                    timings.mip += Date().timeIntervalSince(coreStart) - (found.recovered?.dualSeconds ?? 0)
                    timings.duals += found.recovered?.dualSeconds ?? 0
                    if let bound = found.bound { caseBounds[index] = min(caseBounds[index], bound) }
                    if let recovered = found.recovered, recovered.objective > incumbent.objective { best = recovered }
                    if gapClosed() { break }
                    if let incumbent = best, caseBounds[index] <= incumbent.objective { break }
                }
                if freeAccounts >= result.structure.accountCount { break }
                freeAccounts *= 4
            }
        }
        return (best, caseBounds.max()!, gapClosed(), proven.allSatisfy { $0 })
    }

    // MARK: - Recovering a plan

    /// Which decisions the restricted MIP leaves free.
    private struct FreeSet {
        /// Per account: its tier and effort are free.
        var accounts: [Bool]
        /// Free effort pairs of fixed accounts, as `account · stride + pair`.
        var pairs: Set<Int>
        var stride: Int
        /// Every account that has a choice is free: the restricted MIP is the whole case.
        var everything: Bool

        func isFree(account a: Int, pair e: Int) -> Bool { pairs.contains(a * stride + e) }
    }

    /// The `freeAccounts` accounts closest to indifference between their two best options,
    /// and, among the others, twice as many effort pairs nearest to break-even.
    private func freeSet(_ result: CaseResult, _ choices: [BlockPricing.Choice], freeAccounts: Int) -> FreeSet {
        let structure = result.structure
        let accounts = structure.accountCount
        let indifference = choices.map { $0.reducedValue - $0.runnerUp }
        var free = [Bool](repeating: false, count: accounts)
        for a in Self.smallest(freeAccounts, of: indifference) where choices[a].runnerUp > -.infinity { free[a] = true }
        let nearBreakEven = structure.pairsNearBreakEven(result.duals, skipping: free)
        let everything = freeAccounts >= accounts
        var set = FreeSet(accounts: free, pairs: [], stride: 1 + (structure.pairs.map(\.count).max() ?? 0),
                          everything: everything)
        let chosen = everything ? Array(nearBreakEven.indices) : Self.smallest(freeAccounts * 2, of: nearBreakEven.map(\.closeness))
        for index in chosen {
            set.pairs.insert(nearBreakEven[index].account * set.stride + nearBreakEven[index].pair)
        }
        return set
    }

    /// The indices of the `count` smallest `keys`, ties to the lower index — the first `count`
    /// of a stable sort — found with a bounded heap: a free set needs tens of the smallest among
    /// hundreds of thousands, which a full sort of every point of a sweep paid for.
    static func smallest(_ count: Int, of keys: [Double]) -> [Int] {
        guard count < keys.count else { return Array(keys.indices) }
        guard count > 0 else { return [] }
        // A max-heap on (key, index): its top is the largest of the kept ones.
        func above(_ i: Int, _ j: Int) -> Bool { keys[i] > keys[j] || (keys[i] == keys[j] && i > j) }
        var heap: [Int] = []
        heap.reserveCapacity(count)
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1, right = left + 1
                var largest = parent
                if left < heap.count, above(heap[left], heap[largest]) { largest = left }
                if right < heap.count, above(heap[right], heap[largest]) { largest = right }
                if largest == parent { return }
                heap.swapAt(parent, largest)
                parent = largest
            }
        }
        for index in keys.indices {
            if heap.count < count {
                heap.append(index)
                var child = heap.count - 1
                while child > 0, above(heap[child], heap[(child - 1) / 2]) {
                    heap.swapAt(child, (child - 1) / 2)
                    child = (child - 1) / 2
                }
            } else if above(heap[0], index) {
                heap[0] = index
                siftDown(0)
            }
        }
        return heap
    }

    /// The restricted MIP, built like the monolithic program: free decisions as variables,
    /// fixed ones (at the pricing's choices) folded into the right-hand sides.
    private func restrictedProgram(_ structure: LinkingStructure, _ choices: [BlockPricing.Choice], _ free: FreeSet)
        -> (program: LinearProgram, rows: [ConstraintIndex], tiers: [[VariableIndex]?], optionIndices: [[Int]?],
            effort: [[[VariableIndex]]], coverage: [ConstraintIndex]) {
        let accounts = structure.accountCount
        var builder = ProgramBuilder(formulation: structure.formulation, programmeActive: structure.programmeActive)
        var tierVariables = [[VariableIndex]?](repeating: nil, count: accounts)
        var optionIndices = [[Int]?](repeating: nil, count: accounts)
        var effortVariables = [[[VariableIndex]]](repeating: [], count: accounts)
        for a in 0..<accounts {
            if free.accounts[a] {
                let kept = Self.keptOptions(structure, account: a, choices[a], everything: free.everything)
                let tierChoices = kept.map { structure.options[a][$0].choice }
                let ys = builder.addTierChoices(account: a, tierChoices, shiftToFloor: false)
                tierVariables[a] = ys
                optionIndices[a] = kept
                effortVariables[a] = structure.pairs[a].indices.map { e in
                    builder.addEffort(account: a, pair: e, choices: Array(zip(tierChoices, ys)))
                }
                continue
            }
            let option = structure.options[a][choices[a].option]
            builder.fix(option.choice, usage: structure.usage(account: a, option: choices[a].option))
            effortVariables[a] = structure.pairs[a].indices.map { e in
                if free.isFree(account: a, pair: e) {
                    return builder.addEffort(account: a, pair: e, choices: [], fixedMinimum: option.minimumFTE[e])
                }
                let pair = structure.pairs[a][e]
                builder.fixEffort(account: a, pair: e, fte: choices[a].fte[e], segments: (pair.widths, pair.revenuePerFTE))
                return []
            }
        }
        let (lp, limits, _) = builder.finish()
        return (lp, limits.map(\.constraint), tierVariables, optionIndices, effortVariables, builder.coverageRows)
    }

    /// The most GAMs a free account keeps per global tier in a restricted program (named GAMs).
    static let keptLeads = 4

    /// The options a free account keeps in a restricted program: all of them, but with named
    /// GAMs only the `keptLeads` best leads of each global tier at the pricing's prices (and the
    /// priced choice), unless the program is the whole case.
    static func keptOptions(_ structure: LinkingStructure, account a: Int, _ choice: BlockPricing.Choice, everything: Bool) -> [Int] {
        let all = Array(structure.options[a].indices)
        guard structure.instance.dataset.hasNamedGAMs, !everything, choice.optionValues.count == all.count else { return all }
        var byTier: [Int: [Int]] = [:]
        for o in all { byTier[structure.options[a][o].tier, default: []].append(o) }
        var kept: Set<Int> = [choice.option]
        for (_, options) in byTier {
            kept.formUnion(options.sorted { choice.optionValues[$0] > choice.optionValues[$1] || (choice.optionValues[$0] == choice.optionValues[$1] && $0 < $1) }
                .prefix(keptLeads))
        }
        return kept.sorted()
    }

    /// Fixes every clear decision at the prices of `result`, leaves the `freeAccounts` most
    /// nearly indifferent accounts (and the nearly break-even effort segments) to a small MIP,
    /// and returns the plan it finds (nil when that MIP has none).
    private func recover(_ result: CaseResult, freeAccounts: Int, timeLimit: Double, target: Double,
                         firstPlan: Bool) throws -> Attempt {
        let structure = result.structure
        // With named GAMs the option values pick the leads a free account keeps.
        let choices = BlockPricing(structure: structure).price(result.duals, recordChoices: true,
                                                               recordOptionValues: structure.instance.dataset.hasNamedGAMs).choices
        let free = freeSet(result, choices, freeAccounts: freeAccounts)
        let restricted = restrictedProgram(structure, choices, free)
        let problem = try options.backend.makeSession(restricted.program)
        let deadline = Date().addingTimeInterval(timeLimit)
        // Without any plan yet, branch and bound gets half the time; the fallbacks the rest.
        let solution = try problem.solve(options: SolveOptions(relativeGap: 1e-9, timeLimit: max(0.001, firstPlan ? 0.5 * timeLimit : timeLimit),
                                                               verbose: options.verbose, cuttingPlanes: true,
                                                               stop: options.stop, targetObjective: target))
        var values: [Double], objective: Double, exactBound: Double?
        if solution.termination.hasSolution, let value = solution.objectiveValue {
            values = solution.variableValues
            objective = value
            // With every decision free the restricted MIP is the whole case, and the solver's bound holds.
            exactBound = free.everything && solution.termination == .optimal ? solution.bestBound : nil
        } else {
            // Only the whole case, found infeasible by the solver, proves the case has no plan;
            // a time limit, a numerical failure or a restricted set of free decisions does not.
            let proof = free.everything && (solution.termination == .infeasible || solution.termination == .infeasibleOrUnbounded)
            if proof { return .provenInfeasible }
            guard firstPlan, solution.termination != .interrupted, Date() < deadline,
                  let found = try leastExpensePlan(problem, restricted.program, budget: zip(structure.kinds, restricted.rows)
                                                      .first { $0.0 == .budget }?.1,
                                                   coverage: restricted.coverage, tiers: restricted.tiers, deadline: deadline)
                      ?? dive(problem, restricted.program, tiers: restricted.tiers, deadline: deadline)
            else { return .noPlan }
            values = found
            objective = restricted.program.objectiveValue(of: found)
            exactBound = nil
        }
        let decisions = planDecisions(structure, values: values, tiers: restricted.tiers,
                                      optionIndices: restricted.optionIndices,
                                      effort: restricted.effort, choices: choices)
        let (duals, dualSeconds) = try fixedTierDuals(problem, values, restricted.tiers, restricted.rows, structure.kinds)
        return .plan(Recovered(decisions: decisions, objective: objective, duals: duals, exactBound: exactBound, dualSeconds: dualSeconds))
    }

    /// The plan in a restricted program's `values`: free accounts take the option whose binary
    /// is set (`optionIndices` maps each binary to its option), fixed ones the pricing's choice;
    /// effort is the sum of a pair's segments, or the pricing's when the pair was fixed.
    func planDecisions(_ structure: LinkingStructure, values: [Double], tiers: [[VariableIndex]?], optionIndices: [[Int]?],
                       effort: [[[VariableIndex]]], choices: [BlockPricing.Choice]) -> PlanDecisions {
        var chosenTiers: [Int] = []
        var leads: [Int?] = []
        var fte: [[Double]] = []
        for a in 0..<structure.accountCount {
            let options = structure.options[a], ys = tiers[a], efforts = effort[a]
            let option = ys.map { ys in options[optionIndices[a]![ys.indices.max { values[ys[$0].rawValue] < values[ys[$1].rawValue] }!]] }
                ?? options[choices[a].option]
            chosenTiers.append(option.tier)
            leads.append(option.choice.gam)
            fte.append(efforts.indices.map { e in
                efforts[e].isEmpty && ys == nil ? choices[a].fte[e] : max(0, efforts[e].reduce(0) { $0 + values[$1.rawValue] })
            })
        }
        return PlanDecisions(tiers: chosenTiers, fte: fte, programmeActive: structure.programmeActive,
                             leads: structure.instance.dataset.hasNamedGAMs ? leads : [])
    }

    /// What one recovery attempt found.
    enum Attempt {
        case plan(Recovered)
        /// The whole case (every decision free) has no plan: the solver proved it.
        case provenInfeasible
        /// No plan, and no proof there is none (a restricted free set, a time limit, a failure).
        case noPlan

        var recovered: Recovered? {
            if case .plan(let recovered) = self { return recovered }
            return nil
        }
    }

    /// Shadow prices: the restricted model with its binaries fixed at `values`, as an LP.
    func fixedTierDuals(_ problem: any SolverSession, _ values: [Double], _ tiers: [[VariableIndex]?],
                                _ rows: [ConstraintIndex], _ kinds: [LimitKind]) throws -> ([LimitKind: Double]?, Double) {
        for ys in tiers.compactMap({ $0 }) {
            for y in ys { try problem.setBounds(of: y, lower: values[y.rawValue].rounded(), upper: values[y.rawValue].rounded()) }
        }
        let start = Date()
        // Fixing binaries moves bounds only: the basis the search left stays dual feasible.
        var lpOptions = SolveOptions(relaxIntegrality: true, verbose: options.verbose)
        lpOptions.dualSimplex = true
        let fixedLP = try problem.solve(options: lpOptions)
        let seconds = Date().timeIntervalSince(start)
        guard fixedLP.termination == .optimal, let rowDuals = fixedLP.constraintDuals else { return (nil, seconds) }
        return (Dictionary(uniqueKeysWithValues: zip(kinds, rows.map { rowDuals[$0.rawValue] })), seconds)
    }

    /// A plan recovered for one programme case.
    struct Recovered {
        var decisions: PlanDecisions
        var objective: Double
        var duals: [LimitKind: Double]?
        /// The case's proven bound when the restricted MIP was the whole case.
        var exactBound: Double?
        var dualSeconds: Double
    }
}
