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
/// 2. Where no linking row weighs revenue, the core search (``searchCores``) comes first: cores
///    of growing Δ, in which only options within Δ of an account's best and only the effort a
///    better plan could move are decisions; each proves what it finds. What it leaves open goes on:
/// 3. At the best prices, most accounts have one clearly best block. The few that are nearly
///    indifferent, and the effort segments that are nearly break-even, are left free; every
///    other decision is fixed; the solver solves the remaining small MIP exactly. If that misses the
///    gap, the free set grows.
/// 4. When the Lagrangian bound itself is what keeps the gap open, the exact core
///    (``solveCore``) drops every option that cannot be part of a better plan, keeps the effort
///    that can move, and solves what is left: its bound is exact.
/// The answer is a plan with a proven bound: the gap reported is measured against the
/// Lagrangian bound or the exact core's, on the decision-dependent part of the objective.
struct DecompositionSolver {
    /// The model the search solves: the instance with interchangeable GAMs pooled
    /// (``LeadPools``); the persons are named at the end (``LeadPacking``).
    let instance: AllocationInstance
    /// The instance as given: the plan is assembled on it.
    let exact: AllocationInstance
    /// How far the GAM pools are split (what earlier searches learnt).
    let refinement: LeadPools.Refinement
    var options: PlanningOptions
    /// Plans and prices from an earlier solve of the same instance with other limit values,
    /// keyed by the programme decision; column generation restarts from them.
    var warmStart: [Bool: WarmStart] = [:]
    /// Start the recovery with a wide free set (single solves: the plan is then usually the
    /// optimum itself) or a narrow one (what-if series: faster, still within the gap).
    var thorough = true

    /// How many of a case's last plans a warm start keeps (each a column per group of accounts
    /// in the master): 300 before the master was split by groups; 40 kept a sweep of 100,000
    /// accounts fastest (20 and 100 were slower).
    static let keptPlans = 40

    /// What column generation keeps between solves whose limits differ only in their values.
    struct WarmStart {
        var plans: [BlockPricing.Plan]
        var center: [Double]
        /// The plan at zero prices (the first of every column generation): it depends on no
        /// limit value, so a warm solve need not price it again.
        var first: BlockPricing.Plan?
        /// The case's linking structure: only the bounds of its rows move between warm solves.
        var structure: LinkingStructure?
        /// The GAM pools the structure was built on; a solve pooled otherwise starts cold.
        var refinement = LeadPools.Refinement()
    }

    /// What the next warm solve keeps of a case's column generation: its last `keptPlans`
    /// plans, its prices, its plan at zero prices and its structure.
    func warmStart(keeping result: CaseResult) -> WarmStart {
        WarmStart(plans: Array(result.plans.suffix(Self.keptPlans)), center: result.duals, first: result.plans.first,
                  structure: result.structure, refinement: refinement)
    }

    /// What one programme case produced.
    struct CaseResult {
        var structure: LinkingStructure
        var bound: Double
        var duals: [Double]
        var infeasible: Bool
        var iterations: Int
        var plans: [BlockPricing.Plan]
        /// Priced once, at the other case's prices: `bound` is a valid bound, but the case has
        /// had no column generation (it runs when the case must be recovered).
        var provisional = false
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
        /// How far the search split the GAM pools (the next solve starts from there).
        var refinement = LeadPools.Refinement()
    }

    /// The value of every account in its least valuable open tier (as in ``AllocationProgram``),
    /// computed once: it takes a pass over every account's tiers, and every phase needs it.
    let fixedPart: Double

    /// A solver for `instance`; `fixedPart`, when given, is the fixed part of an instance that
    /// differs from this one only in limit values (it does not depend on them).
    /// `refinement`: how far to split the GAM pools from the start (what an earlier solve learnt).
    init(instance: AllocationInstance, options: PlanningOptions, fixedPart: Double? = nil,
         refinement: LeadPools.Refinement = .init()) {
        exact = instance
        self.refinement = refinement
        // Pooling changes no choice's value: the fixed part is the exact model's.
        self.instance = instance.pooledLeads(refinement)
        self.options = options
        self.fixedPart = fixedPart ?? Self.fixedPart(of: self.instance)
    }

    static func fixedPart(of instance: AllocationInstance) -> Double {
        let formulation = Formulation(instance: instance)
        return instance.openTiers.indices.reduce(0) { total, a in
            total + (formulation.choices(account: a).map(\.value).min() ?? 0)
        }
    }

    /// Solves the pooled model, then names the persons (``LeadPacking``). When a pool's
    /// accounts do not fit on its persons, or the continuity its overloaded GAMs lose opens the
    /// gap, the pools are refined and the search runs again, without warm start, in the time left.
    func solve() throws -> Outcome {
        guard instance.leadPools != nil else {
            var outcome = try solvePooled()
            outcome.refinement = refinement
            return outcome
        }
        var solver = self
        if solver.options.deadline == nil {
            solver.options.deadline = Date().addingTimeInterval(instance.model.solver.timeLimit)
        }
        var spent = PhaseTimings(), iterations = 0
        while true {
            var outcome = try solver.solvePooled()
            outcome.refinement = solver.refinement
            outcome.iterations += iterations
            outcome.timings.build += spent.build
            outcome.timings.lp += spent.lp
            outcome.timings.mip += spent.mip
            outcome.timings.duals += spent.duals
            guard let pools = solver.instance.leadPools, let decisions = outcome.decisions, let objective = outcome.objective
            else { return outcome }
            var packing = LeadPacking(instance: solver.instance, backend: options.backend)
            packing.stop = options.stop
            packing.timeLimit = solver.options.timeLimit(packing.timeLimit)
            let packingStart = Date()
            let packed = try packing.name(decisions)
            outcome.timings.mip += Date().timeIntervalSince(packingStart)
            spent = outcome.timings
            iterations = outcome.iterations
            var refinement = LeadPools.Refinement()
            switch packed {
            case .named(let named, let continuity, let overloaded):
                let value = objective + continuity
                outcome.decisions = named
                outcome.objective = value
                outcome.bound = outcome.bound.map { max($0, value) }
                let gap = (outcome.bound ?? value) - value
                if outcome.status != .optimal || gap <= instance.model.solver.mipGap * max(1, abs(value - fixedPart)) {
                    return outcome
                }
                // The continuity lost opens the gap: the overloaded GAMs get rows of their own.
                outcome.status = .timeLimit
                refinement.ownRows = overloaded
            case .unpacked(let failed):
                for c in failed { refinement = refinement.union(pools.splitting(c, in: instance.dataset, solver.refinement)) }
                outcome = Outcome(status: .noSolution, rawStatus: "decomposition: the accounts of a GAM pool could not be packed in time",
                                  iterations: outcome.iterations, timings: outcome.timings, refinement: solver.refinement)
            }
            if solver.options.isPastDeadline || refinement.isEmpty { return outcome }
            let next = solver.refinement.union(refinement)
            if options.verbose {
                FileHandle.standardError.write(Data("named GAMs: pools refined (\(next.regionsByClass.count) regions by class, \(next.apart.count) GAMs apart, \(next.ownRows.count) with rows of their own); searching again\n".utf8))
            }
            var again = DecompositionSolver(instance: exact, options: solver.options, fixedPart: fixedPart, refinement: next)
            again.thorough = thorough
            solver = again
        }
    }

    private func solvePooled() throws -> Outcome {
        let start = Date()
        var settings = instance.model.solver
        settings.timeLimit = options.timeLimit(settings.timeLimit)
        var timings = PhaseTimings()
        var (cases, iterations, nextWarmStart) = try priceCases(start: start, timings: &timings)
        guard !cases.isEmpty else {
            return Outcome(status: .infeasible, rawStatus: "decomposition: no programme case admits a plan",
                           iterations: iterations, timings: timings, warmStart: nextWarmStart)
        }
        let recovery = try recoverBest(cases, settings: settings, start: start, timings: &timings, warmStarts: &nextWarmStart,
                                       iterations: &iterations)
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
        var sibling: LinkingStructure?
        // The second case is first priced at the first one's prices: that bound often shows it
        // cannot beat the first case's plan, and its column generation is then never needed.
        var firstPrices: [Double]?
        for programmeActive in [true, false] {
            let buildStart = Date()
            // A warm solve differs from the last only in bounds: its structure takes the new ones
            // (when it was built on the same GAM pools).
            let warm = warmStart[programmeActive].flatMap { $0.refinement == refinement ? $0 : nil }
            let structure = warm?.structure.map { $0.withBounds(of: instance) }
                ?? LinkingStructure(instance: instance, programmeActive: programmeActive, sibling: sibling)
            timings.build += Date().timeIntervalSince(buildStart)
            guard let structure else { continue }
            sibling = structure
            let lpStart = Date()
            if let prices = firstPrices, prices.count == structure.rowCount {
                let plan = BlockPricing(structure: structure).price(structure.signedDuals(prices))
                timings.lp += Date().timeIntervalSince(lpStart)
                iterations += 1
                cases.append(CaseResult(structure: structure, bound: plan.bound, duals: prices, infeasible: false, iterations: 1,
                                        plans: [plan], provisional: true))
                // The structure travels on (only bounds move); so do earlier plans, or these prices.
                nextWarmStart[programmeActive] = WarmStart(plans: warm?.plans ?? [], center: warm?.center ?? prices,
                                                           first: warm?.first, structure: structure, refinement: refinement)
                continue
            }
            let result = try priceLinkingRows(structure, start: start, warm: warm)
            timings.lp += Date().timeIntervalSince(lpStart)
            iterations += result.iterations
            nextWarmStart[programmeActive] = warmStart(keeping: result)
            if !result.infeasible {
                cases.append(result)
                firstPrices = result.duals
            }
        }
        return (cases.sorted { $0.bound > $1.bound }, iterations, nextWarmStart)
    }

    /// Recovers plans case by case, growing the free set until the gap to the best case bound
    /// closes, a case cannot beat the incumbent, or the time is up. `provenInfeasible` is true
    /// only when the solver proved every case has no plan.
    private func recoverBest(_ cases: [CaseResult], settings: SolverSettings, start: Date, timings: inout PhaseTimings,
                             warmStarts: inout [Bool: WarmStart], iterations: inout Int)
        throws -> (best: Recovered?, bound: Double, withinGap: Bool, provenInfeasible: Bool) {
        var cases = cases
        let fixed = fixedPart
        // The bound of each case tightens when its restricted MIP was the whole case.
        var caseBounds = cases.map(\.bound)
        var proven = [Bool](repeating: false, count: cases.count)
        var best: Recovered?
        func gapClosed() -> Bool {
            guard let incumbent = best else { return false }
            return caseBounds.max()! - incumbent.objective <= settings.mipGap * max(1, abs(incumbent.objective - fixed))
        }
        for index in cases.indices {
            if let incumbent = best, caseBounds[index] <= incumbent.objective { continue }
            if cases[index].provisional {
                // The case may beat the incumbent: its column generation now.
                let programmeActive = cases[index].structure.programmeActive
                let lpStart = Date()
                let priced = try priceLinkingRows(cases[index].structure, start: start, warm: warmStarts[programmeActive])
                timings.lp += Date().timeIntervalSince(lpStart)
                iterations += priced.iterations
                warmStarts[programmeActive] = warmStart(keeping: priced)
                cases[index] = priced
                caseBounds[index] = min(caseBounds[index], priced.bound)
                if priced.infeasible {
                    proven[index] = true
                    caseBounds[index] = -.infinity
                    continue
                }
                if let incumbent = best, caseBounds[index] <= incumbent.objective { continue }
            }
            let result = cases[index]
            // A free set sized by the rows that link accounts; a named GAM's own rows link few.
            let broad = result.structure.broadRowCount, own = result.structure.rowCount - broad
            var freeAccounts = thorough ? 64 + 16 * broad + 2 * own : 16 + 2 * broad + own
            var lastCoreDelta = Double.infinity
            var remainderTried: Double?
            // The case at its prices with every option valued, for the remainder bound and the
            // exact cores: priced once, when first needed (the prices do not change here).
            var priced: BlockPricing.Plan?
            func pricedCase() -> BlockPricing.Plan {
                if let priced { return priced }
                let plan = BlockPricing(structure: result.structure).price(result.duals, recordChoices: true, recordOptionValues: true)
                priced = plan
                return plan
            }
            // Cores of growing Δ first, when effort windows keep them small; the restricted MIPs
            // take over with what they leave (a plan, a tighter bound, the time left).
            let searchStart = Date()
            let tolerance = 0.95 * settings.mipGap * max(1, abs(caseBounds[index] - fixed))
            let deadline = start.addingTimeInterval(settings.timeLimit)
            let found = try searchCores(result, incumbent: best, tolerance: tolerance, deadline: deadline,
                                        timeLimit: settings.timeLimit) { bound, plan in
                caseBounds[index] = min(caseBounds[index], bound)
                if let plan, best == nil || plan.objective > best!.objective { best = plan }
                return gapClosed() || best.map { caseBounds[index] <= $0.objective } == true
            }
            timings.mip += Date().timeIntervalSince(searchStart) - found.dualSeconds
            timings.duals += found.dualSeconds
            if found.closed { continue }
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
                // The exact core: a bound the Lagrangian one cannot give, and often the optimum. It
                // need only hold the plans that would beat the best by more than 90 % of the tolerance.
                let threshold = Self.coreThreshold(bound: caseBounds[index], delta: .infinity, best: best?.objective, tolerance: tolerance).value
                // The remainder bound first: where tier costs come in steps, often all it takes.
                if let incumbent = best, remainderTried != incumbent.objective {
                    remainderTried = incumbent.objective
                    if let bound = remainderBound(result, threshold: threshold, priced: pricedCase()) {
                        caseBounds[index] = min(caseBounds[index], bound)
                    }
                    if gapClosed() { break }
                    if caseBounds[index] <= incumbent.objective { break }
                }
                if let incumbent = best, let core = CoreOptions(pricedCase(), threshold: threshold, structure: result.structure),
                   core.freeAccounts <= Self.coreAccountLimit, core.delta < 0.9 * lastCoreDelta {
                    lastCoreDelta = core.delta
                    let coreStart = Date()
                    let left = settings.timeLimit - Date().timeIntervalSince(start)
                    let found = try solveCore(result, core, incumbent: threshold, start: incumbent, tolerance: tolerance,
                                              timeLimit: 0.5 * left)
                    timings.mip += Date().timeIntervalSince(coreStart) - (found.recovered?.dualSeconds ?? 0)
                    timings.duals += found.recovered?.dualSeconds ?? 0
                    if let bound = found.bound { caseBounds[index] = min(caseBounds[index], bound) }
                    if let recovered = found.recovered, recovered.objective > incumbent.objective { best = recovered }
                    if gapClosed() { break }
                    if let incumbent = best, caseBounds[index] <= incumbent.objective { break }
                }
                if freeAccounts >= result.structure.accountCount { break }
                freeAccounts *= Self.freeSetGrowth
            }
        }
        return (best, caseBounds.max()!, gapClosed(), proven.allSatisfy { $0 })
    }
}
