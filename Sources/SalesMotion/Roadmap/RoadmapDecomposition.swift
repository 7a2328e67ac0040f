// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import LinearProgramming

/// Solves large roadmaps as the single-year decomposition solves one year: the roadmap is one
/// block per account — its path through the years — tied by every year's limit rows
/// (``RoadmapBlocks``).
///
/// 1. The programme case that runs it every year is priced by column generation
///    (``ColumnGeneration``, shared with ``DecompositionSolver``); every pricing is a
///    Lagrangian bound on that case.
/// 2. At the best prices, every account but the most nearly indifferent is fixed on its best
///    path, with its effort (bar the pairs nearest break-even); the restricted roadmap program
///    (``RoadmapProgram/Restriction``) is solved exactly; the free set grows fourfold until the
///    plan is within the gap of the bound, or the program is the whole case.
/// 3. Every other programme case (off in some years) is priced once at those prices: a case
///    whose bound cannot beat the plan is done; any other gets the same two steps.
/// The bound reported is the largest case bound, on the decision-dependent part.
struct RoadmapDecomposition {
    let roadmap: RoadmapInstance
    let options: PlanningOptions

    /// The most years whose programme cases (2^Y) are enumerated; longer roadmaps are solved whole.
    static let maximumYears = 6

    /// A plan of the roadmap: each year's decisions and shadow prices (undiscounted).
    struct Found {
        var objective: Double
        var decisions: [PlanDecisions]
        var duals: [[LimitKind: Double]?]
    }

    struct Outcome {
        var status: PlanStatus
        var found: Found?
        var objective: Double?
        var bound: Double?
        var fixedPart: Double
        var rawStatus: String
        var timings = PhaseTimings()
    }

    func solve() throws -> Outcome {
        let start = Date()
        let settings = roadmap.base.model.solver
        let timeLimit = options.timeLimit(settings.timeLimit) * 5 / 6
        var timings = PhaseTimings()
        let fixedPart = RoadmapProgram.fixedPart(of: roadmap)
        let generation = ColumnGeneration(options: options, mipGap: settings.mipGap, fixedPart: fixedPart, timeLimit: timeLimit)
        let years = roadmap.years
        // Cases as bit masks, the programme running every year first.
        let cases = (0..<(1 << years)).reversed().map { mask in (0..<years).map { mask & (1 << $0) != 0 } }
        var best: Found?
        var caseBounds: [Double] = []
        var iterations = 0
        var firstDuals: [Double]?
        var proven = true
        for programme in cases {
            if options.stop?.isRequested == true { throw PlanningInterrupted() }
            let buildStart = Date()
            let blocks: RoadmapBlocks
            do {
                blocks = try RoadmapBlocks(roadmap, programme: programme)
            } catch RoadmapBlocks.Failure.noPath {
                continue
            }
            timings.build += Date().timeIntervalSince(buildStart)
            let lpStart = Date()
            // A case after the first is priced once at the first case's prices: its bound may
            // already show it cannot beat the plan.
            if let duals = firstDuals, let incumbent = best?.objective {
                let quick = BlockPricing(structure: blocks).price(blocks.signedDuals(duals)).bound
                if quick <= incumbent + settings.mipGap * max(1, abs(incumbent - fixedPart)) {
                    caseBounds.append(quick)
                    timings.lp += Date().timeIntervalSince(lpStart)
                    continue
                }
            }
            let priced = try generation.run(blocks, start: start, warm: nil)
            timings.lp += Date().timeIntervalSince(lpStart)
            iterations += priced.iterations
            if firstDuals == nil { firstDuals = priced.duals }
            if priced.infeasible {
                caseBounds.append(-.infinity)
                continue
            }
            var bound = priced.bound
            let recovery = try recover(blocks, priced, bound: &bound, incumbent: best?.objective, fixedPart: fixedPart,
                                       start: start, timeLimit: timeLimit, timings: &timings)
            if !recovery.proven { proven = false }
            caseBounds.append(bound)
            if let found = recovery.best, best == nil || found.objective > best!.objective { best = found }
        }
        guard let best else {
            let infeasible = proven && caseBounds.allSatisfy { $0 == -.infinity }
            return Outcome(status: infeasible ? .infeasible : .noSolution, fixedPart: fixedPart,
                           rawStatus: "roadmap decomposition: \(iterations) pricing rounds, no plan", timings: timings)
        }
        let bound = max(best.objective, caseBounds.max() ?? best.objective)
        let within = bound - best.objective <= settings.mipGap * max(1, abs(best.objective - fixedPart))
        return Outcome(status: within ? .optimal : .timeLimit, found: best, objective: best.objective, bound: bound,
                       fixedPart: fixedPart, rawStatus: "roadmap decomposition: \(iterations) pricing rounds; bound from Lagrangian prices",
                       timings: timings)
    }

    /// Recovers a plan of one case at its prices, growing the free set until the plan is within
    /// the gap of `bound` (tightened to the solver's bound when the program is the whole case).
    private func recover(_ blocks: RoadmapBlocks, _ priced: ColumnGeneration.Result, bound: inout Double, incumbent: Double?,
                         fixedPart: Double, start: Date, timeLimit: Double, timings: inout PhaseTimings)
        throws -> (best: Found?, proven: Bool) {
        let settings = roadmap.base.model.solver
        let plan = BlockPricing(structure: blocks).price(priced.duals, recordChoices: true)
        let choices = plan.choices
        let accounts = blocks.accountCount
        // As for one year: the free set grows with the rows of a year, not of the whole horizon.
        var freeCount = 64 + 4 * blocks.rowCount / roadmap.years
        var best: Found?
        while true {
            if options.stop?.isRequested == true { throw PlanningInterrupted() }
            let remaining = timeLimit - Date().timeIntervalSince(start)
            if remaining <= 0 { return (best, false) }
            let everything = freeCount >= accounts
            let restriction = self.restriction(blocks, priced.duals, choices, freeAccounts: freeCount)
            let mipStart = Date()
            let restricted = RoadmapProgram(roadmap, restriction: restriction)
            let tolerance = 0.95 * settings.mipGap * max(1, abs(bound - fixedPart))
            let session = try options.backend.makeSession(restricted.program)
            try session.setDualFeasibleStart(for: restricted.program)
            var solveOptions = SolveOptions(relativeGap: 1e-9, timeLimit: max(0.001, remaining), verbose: options.verbose,
                                            cuttingPlanes: true, stop: options.stop, targetObjective: bound - tolerance)
            solveOptions.dualSimplex = true
            let solution = try session.solve(options: solveOptions, warmStart: true, incumbent: nil)
            timings.mip += Date().timeIntervalSince(mipStart)
            if solution.termination == .interrupted { throw PlanningInterrupted() }
            if solution.termination.hasSolution, let value = solution.objectiveValue {
                if best == nil || value > best!.objective {
                    let dualStart = Date()
                    let duals = try restricted.yearDuals(session, solution: solution.variableValues, verbose: options.verbose)
                    timings.duals += Date().timeIntervalSince(dualStart)
                    best = Found(objective: value, decisions: restricted.decisions(from: solution.variableValues), duals: duals)
                }
                if everything, solution.termination == .optimal, let exact = solution.bestBound { bound = min(bound, max(exact, value)) }
            } else if everything, solution.termination == .infeasible || solution.termination == .infeasibleOrUnbounded {
                bound = -.infinity
                return (nil, true)
            }
            if let found = best?.objective, bound - found <= settings.mipGap * max(1, abs(found - fixedPart)) { return (best, true) }
            if let incumbent, bound <= incumbent { return (best, true) }
            if everything { return (best, solution.termination == .optimal) }
            freeCount *= 4
        }
    }

    /// The `freeAccounts` accounts closest to indifference between their two best paths are
    /// free; the others are fixed on their best path, with their effort, except twice as many
    /// pairs nearest break-even.
    private func restriction(_ blocks: RoadmapBlocks, _ duals: [Double], _ choices: [BlockPricing.Choice],
                             freeAccounts: Int) -> RoadmapProgram.Restriction {
        let accounts = blocks.accountCount
        var free = [Bool](repeating: false, count: accounts)
        for a in DecompositionSolver.smallest(freeAccounts, of: choices.map { $0.reducedValue - $0.runnerUp })
        where choices[a].runnerUp > -.infinity {
            free[a] = true
        }
        let nearBreakEven = blocks.pairsNearBreakEven(duals, skipping: free)
        var fte: [[Double?]] = choices.map { $0.fte.map { Optional($0) } }
        let everything = freeAccounts >= accounts
        let chosen = everything ? Array(nearBreakEven.indices) : DecompositionSolver.smallest(freeAccounts * 2, of: nearBreakEven.map(\.closeness))
        for index in chosen { fte[nearBreakEven[index].account][nearBreakEven[index].pair] = nil }
        return RoadmapProgram.Restriction(programme: blocks.programme, free: everything ? [Bool](repeating: true, count: accounts) : free,
                                          paths: choices.indices.map { blocks.paths[$0][choices[$0].option] }, fte: fte)
    }
}
