// SPDX-License-Identifier: GPL-3.0-or-later

internal import Foundation
internal import LinearProgramming

/// One year of a solved roadmap, with every figure undiscounted (roadmap.md).
public struct RoadmapYear: Sendable {
    /// From 1.
    public var year: Int
    /// `(1 + r)^-(year-1)`.
    public var discountFactor: Double
    /// The year as a single-year instance: every account pinned to its tier of the year, its
    /// current tier the year before's (today's in year 1), the year's values and limits.
    public var instance: AllocationInstance
    /// The year's plan, from the LP with the tiers fixed (effort, totals, limits, shadow prices).
    public var result: PlanningResult

    public var plan: StaffingPlan { result.plan! }
    /// The year's net contribution times its discount factor.
    public var discounted: Double { plan.netContribution * discountFactor }
}

/// What `salesmotion roadmap` finds: the status, the years, and why there is no plan.
public struct RoadmapResult: Sendable {
    public var status: PlanStatus
    /// One per year when there is a plan; empty otherwise.
    public var years: [RoadmapYear]
    /// `Σ_k (1 + r)^-(k-1) · NC_k`.
    public var objective: Double?
    public var bestBound: Double?
    /// As in summary.json: relative to the objective less `fixedPart`.
    public var relativeGap: Double?
    public var absoluteGap: Double?
    public var fixedPart: Double
    public var timings: PhaseTimings
    public var rawStatus: String
    /// When infeasible: each year that admits no plan alone, with why.
    public var yearDiagnoses: [(year: Int, diagnosis: InfeasibilityDiagnosis)] = []
    /// When infeasible although every year alone admits a plan: what ties the years.
    public var couplingExplanation: String?
}

/// Plans years `1..Y` together (roadmap.md).
public enum RoadmapPlanner {
    /// Solves the roadmap's program within the model's gap and time limit, then reports every
    /// year from the LP with its tiers fixed; when no plan satisfies every year's limits,
    /// explains it year by year.
    public static func plan(_ roadmap: RoadmapInstance, options: PlanningOptions,
                            inputTimings: PhaseTimings = PhaseTimings()) throws -> RoadmapResult {
        let search = try search(roadmap, options: options)
        var timings = inputTimings
        (timings.build, timings.lp, timings.mip) = (search.timings.build, search.timings.lp, search.timings.mip)
        var result = RoadmapResult(status: search.status, years: [], objective: nil, bestBound: nil, relativeGap: nil, absoluteGap: nil,
                                   fixedPart: search.fixedPart, timings: timings, rawStatus: search.rawStatus)
        guard search.status.hasPlan, let found = search.found else {
            if search.status == .infeasible {
                let start = Date()
                try explainInfeasibility(roadmap, options: options, into: &result)
                result.timings.diagnosis = Date().timeIntervalSince(start)
            }
            result.timings.peakMemoryBytes = PhaseTimings.currentPeakMemory()
            return result
        }
        // Each year reported as `solve` reports one: the plan recomputed from the decisions with
        // the specification's formulas, against that year's instance (tiers pinned, the year
        // before's tiers current), with the year's undiscounted shadow prices.
        let reportStart = Date()
        let tiers = found.decisions.map(\.tiers)
        for k in 1...roadmap.years {
            let instance = try roadmap.reportingInstance(year: k, tiers: tiers)
            let plan = PlanAssembler(instance: instance, decisions: found.decisions[k - 1], limitDuals: found.duals[k - 1]).plan()
            let year = PlanningResult(status: search.status, plan: plan, bestBound: nil, relativeGap: nil, absoluteGap: nil,
                                      fixedPart: 0, timings: PhaseTimings(), rawStatus: search.rawStatus)
            result.years.append(RoadmapYear(year: k, discountFactor: roadmap.settings.discountFactor(year: k), instance: instance,
                                            result: year))
        }
        result.timings.duals = search.timings.duals + Date().timeIntervalSince(reportStart)
        // The years' figures are recomputed from the decisions: their total is the search's
        // objective up to solver tolerance; the bound never falls below it.
        let objective = result.years.reduce(0) { $0 + $1.discounted }
        let bound = max(objective, search.bound ?? objective)
        // A difference within the rounding of a long sum of money is no gap.
        let gap = bound - objective <= 1e-12 * max(1, abs(objective)) ? 0 : bound - objective
        result.objective = objective
        result.bestBound = objective + gap
        result.absoluteGap = gap
        result.relativeGap = gap / max(Double.ulpOfOne, abs(objective - search.fixedPart))
        result.timings.peakMemoryBytes = PhaseTimings.currentPeakMemory()
        return result
    }

    /// Whether the roadmap is decomposed: as for one year, above the automatic threshold of
    /// accounts, when its programme cases can be enumerated.
    static func decomposes(_ roadmap: RoadmapInstance, _ options: PlanningOptions) -> Bool {
        guard roadmap.years <= RoadmapDecomposition.maximumYears else { return false }
        switch options.method {
        case .monolithic: return false
        case .decomposition: return true
        case .automatic: return roadmap.base.dataset.accounts.count > SolutionMethod.automaticThreshold
        }
    }

    /// The search for each year's tiers: the decomposition, or the whole program.
    private static func search(_ roadmap: RoadmapInstance, options: PlanningOptions) throws -> RoadmapDecomposition.Outcome {
        if decomposes(roadmap, options) {
            do {
                return try RoadmapDecomposition(roadmap: roadmap, options: options).solve()
            } catch RoadmapBlocks.Failure.tooManyPaths {
                // Accounts with more paths than the decomposition enumerates: solved whole.
            }
        }
        var timings = PhaseTimings()
        let buildStart = Date()
        let built = RoadmapProgram(roadmap)
        let session: any SolverSession
        do {
            session = try options.backend.makeSession(built.program)
        } catch {
            throw PlanningFailure("the roadmap could not be handed to the solver: \(error)")
        }
        timings.build = Date().timeIntervalSince(buildStart)
        let settings = roadmap.base.model.solver
        let mipStart = Date()
        // The search leaves a sixth of the time for evaluating the years with their tiers fixed.
        let mip = try session.solve(options: SolveOptions(relativeGap: settings.mipGap, timeLimit: options.timeLimit(settings.timeLimit) * 5 / 6,
                                                          verbose: options.verbose, cuttingPlanes: true, stop: options.stop))
        let mipSeconds = Date().timeIntervalSince(mipStart)
        timings.lp = min(mipSeconds, mip.rootRelaxationSeconds ?? mipSeconds)
        timings.mip = mipSeconds - timings.lp
        if options.stop?.isRequested == true { throw PlanningInterrupted() }
        let status = try PlanStatus.of(mip)
        var found: RoadmapDecomposition.Found?
        if status.hasPlan, let value = mip.objectiveValue {
            let dualStart = Date()
            let duals = try built.yearDuals(session, solution: mip.variableValues, verbose: options.verbose)
            timings.duals = Date().timeIntervalSince(dualStart)
            found = RoadmapDecomposition.Found(objective: value, decisions: built.decisions(from: mip.variableValues), duals: duals)
        }
        return RoadmapDecomposition.Outcome(status: status, found: found, objective: mip.objectiveValue, bound: mip.bestBound,
                                            fixedPart: built.program.objectiveConstant, rawStatus: mip.rawStatus, timings: timings)
    }

    /// Explains an infeasible roadmap: each year that admits no plan alone is diagnosed as
    /// `solve` would (year 1 against today's tiers, later years without changes); when every
    /// year does, the change limits that tie the years are named.
    private static func explainInfeasibility(_ roadmap: RoadmapInstance, options: PlanningOptions,
                                             into result: inout RoadmapResult) throws {
        for k in 1...roadmap.years {
            let instance = roadmap.standaloneInstance(year: k)
            if try AllocationPlanner.solve(instance, options: options).status == .infeasible {
                result.yearDiagnoses.append((k, try InfeasibilityDiagnosis.diagnose(instance, options: options)))
            }
        }
        if result.yearDiagnoses.isEmpty {
            let model = roadmap.base.model
            var ties: [String] = []
            if model.transition.maxChanges != nil { ties.append("transition.max_changes (tier changes per year)") }
            if let most = roadmap.settings.maxChangesPerAccount { ties.append("roadmap.max_changes_per_account = \(most)") }
            result.couplingExplanation = "every year alone admits a plan, but no path through the years does: the tier changes between years break "
                + (ties.isEmpty ? "the change limits" : ties.joined(separator: " or "))
                + "; allow more changes, or raise the limits of the years a path would need to change in"
        }
    }
}

extension PlanStatus {
    /// The status of a solve of a whole program; a breakdown of the solver throws
    /// ``PlanningFailure``, an interruption ``PlanningInterrupted``.
    static func of(_ result: SolveResult) throws -> PlanStatus {
        switch result.termination {
        case .optimal: return .optimal
        case .feasibleWithLimit: return .timeLimit
        case .infeasible, .infeasibleOrUnbounded: return .infeasible
        case .noSolutionWithLimit: return .noSolution
        case .interrupted: throw PlanningInterrupted()
        case .unbounded, .numericalError, .other:
            throw PlanningFailure("the solver could not solve the model (\(result.rawStatus))")
        }
    }
}
