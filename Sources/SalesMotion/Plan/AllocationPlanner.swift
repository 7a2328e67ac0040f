// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
public import LinearProgramming

/// The solver broke down (not infeasibility, not a time limit): exit code 3.
public struct PlanningFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The user stopped the solve (Ctrl-C); nothing should be written.
public struct PlanningInterrupted: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}

/// How a single solve is carried out.
public enum SolutionMethod: String, Sendable, CaseIterable {
    /// Decomposition for large instances (more than ``automaticThreshold`` accounts), else monolithic.
    case automatic = "auto"
    /// The whole MIP handed to the solver at once: the reference path.
    case monolithic
    /// Column generation on the linking rows, then a small MIP over the undecided accounts.
    case decomposition

    /// Accounts above which ``automatic`` decomposes.
    public static let automaticThreshold = 500
}

/// Settings of one solve that do not belong in the model file.
public struct PlanningOptions: Sendable {
    /// The solver every program of the solve is handed to.
    public var backend: any SolverBackend
    /// Show the solver's own log on standard error.
    public var verbose = false
    /// Raised (by a Ctrl-C handler, say) to stop the solve; it then throws ``PlanningInterrupted``.
    public var stop: StopSignal?
    public var method: SolutionMethod = .automatic
    /// When the whole command must be done (its time limit counted from its start): every
    /// solve gets at most the time left, and long phases stop when it has passed.
    public var deadline: Date?

    public init(backend: any SolverBackend, verbose: Bool = false, stop: StopSignal? = nil,
                method: SolutionMethod = .automatic, deadline: Date? = nil) {
        self.backend = backend
        self.verbose = verbose
        self.stop = stop
        self.method = method
        self.deadline = deadline
    }

    /// The seconds one solve may take: the model's time limit, cut to what is left before the
    /// deadline (at least a millisecond, so the solver returns at once with what it has).
    public func timeLimit(_ configured: Double) -> Double {
        guard let deadline else { return configured }
        return max(0.001, min(configured, deadline.timeIntervalSinceNow))
    }

    /// Whether the deadline has passed.
    public var isPastDeadline: Bool { deadline.map { $0.timeIntervalSinceNow <= 0 } ?? false }
}

/// Solves an ``AllocationInstance`` with the backend of its options and turns the solution into a ``StaffingPlan``.
public enum AllocationPlanner {
    /// Builds the program, solves the MIP within the model's gap and time limit, then fixes
    /// the tier choices and re-solves the LP for shadow prices.
    public static func solve(_ instance: AllocationInstance, options: PlanningOptions) throws -> PlanningResult {
        usesDecomposition(instance, options)
            ? try result(of: DecompositionSolver(instance: instance, options: options), keepWarmStart: false).planning
            : try MonolithicEngine(instance: instance, options: options).solve()
    }

    /// What `salesmotion solve` does, as one complete result: the solve, and when no plan
    /// satisfies the limits the diagnosis of why; every phase's seconds (`inputTimings` gives
    /// reading and validating) and the peak memory so far.
    public static func plan(_ instance: AllocationInstance, options: PlanningOptions,
                            inputTimings: PhaseTimings = PhaseTimings()) throws -> PlanningResult {
        var result = try solve(instance, options: options)
        // Within a tenth of the limit of the deadline, as the summary's rule for runs without one.
        result.reachedDeadline = options.deadline.map { $0.timeIntervalSinceNow <= 0.1 * instance.model.solver.timeLimit } ?? false
        result.timings.read = inputTimings.read
        result.timings.validate = inputTimings.validate
        if result.status == .infeasible {
            let start = Date()
            result.diagnosis = try InfeasibilityDiagnosis.diagnose(instance, options: options)
            result.timings.diagnosis = Date().timeIntervalSince(start)
        }
        if let plan = result.plan { result.warnings = Plausibility.warnings(instance, plan) }
        result.timings.peakMemoryBytes = PhaseTimings.currentPeakMemory()
        return result
    }

    /// Runs a decomposition and reports it like any other solve.
    /// `keepWarmStart` false lets the search's structures go before the plan is assembled (a
    /// single solve: at a million accounts they are hundreds of megabytes).
    static func result(of solver: DecompositionSolver, keepWarmStart: Bool = true)
        throws -> (planning: PlanningResult, warmStart: [Bool: DecompositionSolver.WarmStart], refinement: LeadPools.Refinement) {
        let instance = solver.exact
        let fixedPart = solver.fixedPart
        var outcome = try solver.solve()
        if !keepWarmStart { outcome.warmStart = [:] }
        let timings = outcome.timings
        guard let decisions = outcome.decisions, let objective = outcome.objective else {
            return (PlanningResult(status: outcome.status, plan: nil, bestBound: nil, relativeGap: nil, absoluteGap: nil,
                                   fixedPart: fixedPart, timings: timings, rawStatus: outcome.rawStatus), outcome.warmStart, outcome.refinement)
        }
        let plan = PlanAssembler(instance: instance, decisions: decisions, limitDuals: outcome.limitDuals).plan()
        let bound = outcome.bound ?? objective
        let absolute = max(0, bound - objective)
        return (PlanningResult(status: outcome.status, plan: plan, bestBound: bound,
                               relativeGap: absolute / max(Double.ulpOfOne, abs(objective - fixedPart)),
                               absoluteGap: absolute, fixedPart: fixedPart, timings: timings, rawStatus: outcome.rawStatus),
                outcome.warmStart, outcome.refinement)
    }
}

/// The monolithic model loaded into the solver for a series of solves.
///
/// The solver's problem and its basis are kept between solves: a change of a limit or a
/// capacity moves one row bound; any other change rebuilds the program in Swift and loads only
/// what differs. Each solve after the first starts warm, from the previous basis with the
/// previous plan offered as the first incumbent. Solver state belongs to one OS thread:
/// create, use and release an engine on the same thread, never across `await`.
final class MonolithicEngine: SessionEngine {
    private(set) var instance: AllocationInstance
    let options: PlanningOptions
    private var built: AllocationProgram
    private var problem: any SolverSession
    private var previousSolution: [Double]?
    private var buildSeconds: Double

    init(instance: AllocationInstance, options: PlanningOptions) throws {
        let start = Date()
        self.instance = instance
        self.options = options
        built = AllocationProgram(instance: instance)
        problem = try Self.load(built, into: options.backend)
        buildSeconds = Date().timeIntervalSince(start)
    }

    private static func load(_ built: AllocationProgram, into backend: any SolverBackend) throws -> any SolverSession {
        do {
            return try backend.makeSession(built.program)
        } catch {
            throw PlanningFailure("the model could not be handed to the solver: \(error)")
        }
    }

    func limitMoved(_ kind: LimitKind, in newInstance: AllocationInstance) throws {
        let start = Date()
        let row = Formulation.row(of: kind, in: newInstance)
        if let constraint = built.limitConstraints.first(where: { $0.kind == kind })?.constraint {
            try problem.setBounds(of: constraint, lower: row.sense == .atLeast ? row.bound : -.infinity,
                                  upper: row.sense == .atMost ? row.bound : .infinity)
            instance = newInstance
        } else {
            try rebuild(newInstance)
        }
        buildSeconds = Date().timeIntervalSince(start)
    }

    func rebuild(_ newInstance: AllocationInstance) throws {
        let start = Date()
        let newBuilt = AllocationProgram(instance: newInstance)
        if newBuilt.program.hasSameShape(as: built.program) {
            try problem.update(to: newBuilt.program)
        } else {
            problem = try Self.load(newBuilt, into: options.backend)
            previousSolution = nil
        }
        instance = newInstance
        built = newBuilt
        buildSeconds = Date().timeIntervalSince(start)
    }

    /// Solves the instance as it stands now.
    func solve() throws -> PlanningResult {
        var timings = PhaseTimings()
        timings.build = buildSeconds
        let settings = instance.model.solver
        let mipStart = Date()
        let mip = try problem.solve(
            options: SolveOptions(relativeGap: settings.mipGap, timeLimit: options.timeLimit(settings.timeLimit), verbose: options.verbose,
                                  cuttingPlanes: true, stop: options.stop),
            warmStart: previousSolution != nil, incumbent: previousSolution)
        let mipSeconds = Date().timeIntervalSince(mipStart)
        timings.lp = min(mipSeconds, mip.rootRelaxationSeconds ?? mipSeconds)
        timings.mip = mipSeconds - timings.lp
        if options.stop?.isRequested == true { throw PlanningInterrupted() }
        let status = try PlanStatus.of(mip)
        let fixedPart = built.program.objectiveConstant
        guard status.hasPlan else {
            return PlanningResult(status: status, plan: nil, bestBound: nil, relativeGap: nil, absoluteGap: nil,
                                  fixedPart: fixedPart, timings: timings, rawStatus: mip.rawStatus)
        }
        previousSolution = mip.variableValues
        let dualStart = Date()
        let duals = try fixedTierDuals(solution: mip.variableValues)
        timings.duals = Date().timeIntervalSince(dualStart)
        let plan = PlanAssembler(instance: instance, decisions: built.decisions(from: mip.variableValues),
                                 limitDuals: duals.map(built.limitDuals)).plan()
        let absoluteGap = mip.bestBound.flatMap { bound in mip.objectiveValue.map { abs(bound - $0) } }
        return PlanningResult(status: status, plan: plan, bestBound: mip.bestBound, relativeGap: mip.relativeGap,
                              absoluteGap: absoluteGap, fixedPart: fixedPart, timings: timings,
                              rawStatus: mip.rawStatus)
    }

    /// Row duals of the LP with every binary fixed at its value in `solution`; nil when that
    /// LP does not solve to optimality (the plan is then reported without shadow prices).
    /// The binaries' bounds are restored afterwards.
    private func fixedTierDuals(solution: [Double]) throws -> [Double]? {
        var binaries = built.tierVariables.flatMap { $0 }
        binaries.append(built.programmeVariable)
        let program = built.program
        for variable in binaries {
            let value = solution[variable.rawValue].rounded()
            try problem.setBounds(of: variable, lower: value, upper: value)
        }
        defer {
            for variable in binaries {
                try? problem.setBounds(of: variable, lower: program.variableLowerBounds[variable.rawValue],
                                       upper: program.variableUpperBounds[variable.rawValue])
            }
        }
        let lp = try problem.solve(options: SolveOptions(relaxIntegrality: true, verbose: options.verbose))
        return lp.termination == .optimal ? lp.constraintDuals : nil
    }
}

