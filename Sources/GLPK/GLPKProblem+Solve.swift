// SPDX-License-Identifier: GPL-3.0-or-later

internal import CGLPK
import Foundation
public import LinearProgramming

/// Solving: the LP by the simplex (in slices, so that a stop signal is seen), the MIP by
/// branch and bound, cold or from the current basis and a known plan.
extension GLPKProblem {
    /// Solves the problem as it stands: the LP relaxation with `glp_simplex` when the program is
    /// continuous or `options.relaxIntegrality` is set, else the MIP with `glp_intopt` (presolve on).
    ///
    /// With `warmStart`, a MIP is solved from the current basis: the LP relaxation is re-solved
    /// with the simplex first, then branch and bound runs without presolve, and `incumbent`
    /// (a previous solution, used only when it is feasible now) is offered as its first plan.
    public func solve(options: SolveOptions, warmStart: Bool, incumbent: [Double]?) throws -> SolveResult {
        guard options.relativeGap >= 0, options.relativeGap.isFinite else {
            throw InvalidProgramError("relative gap must be a finite number ≥ 0, got \(options.relativeGap)")
        }
        if let limit = options.timeLimit, !(limit > 0) {
            throw InvalidProgramError("time limit must be > 0 seconds, got \(limit)")
        }
        options.verbose ? TerminalOutput.toStandardError() : TerminalOutput.silence()
        defer { TerminalOutput.silence() }
        let start = Date()
        var result: SolveResult
        if options.relaxIntegrality || !program.hasIntegerVariables {
            result = solveLinear(options: options)
        } else {
            result = warmStart ? solveIntegerWarm(options: options, incumbent: incumbent)
                               : solveInteger(options: options, presolve: true, incumbent: nil)
        }
        result.seconds = Date().timeIntervalSince(start)
        return result
    }

    /// How often a stop signal is looked at while the simplex runs, in iterations (a few
    /// thousand take well under a second on the programs SalesMotion builds).
    static let stopCheckIterations: Int32 = 5000

    /// The largest integer variables × nonzeros for which branch and bound uses pseudocosts.
    static let pseudocostLimit = 1e7

    /// Whether branch and bound on `program` branches by pseudocosts (see ``solveInteger``).
    static func usesPseudocosts(_ program: LinearProgram) -> Bool {
        let integers = program.variableKinds.lazy.filter { $0 == .integer }.count
        return Double(integers) * Double(program.nonzeroCount) <= pseudocostLimit
    }

    private static func timeLimitMilliseconds(_ seconds: Double?) -> Int32 {
        guard let seconds else { return Int32.max }
        return Int32(min(Double(Int32.max), max(1, (seconds * 1000).rounded(.up))))
    }

    fileprivate func solveLinear(options: SolveOptions) -> SolveResult {
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = options.verbose ? GLP_MSG_ON : GLP_MSG_OFF
        parameters.presolve = GLP_OFF
        if options.dualSimplex {
            // The long-step ratio test flips many bounded columns in one iteration: effort
            // segments cross their break-even together when a limit's price moves.
            parameters.meth = GLP_DUALP
            parameters.r_test = GLP_RT_FLIP
        }
        // glp_simplex has no callback: with a stop signal it runs in slices of a fixed number of
        // iterations, each resuming from the basis the last one left, and the signal is checked in
        // between. Slices by count, not by time: a resumed simplex takes another path, and where
        // the slices end must not depend on the machine's speed (same input, same plan).
        let start = Date()
        if options.stop != nil { parameters.it_lim = Self.stopCheckIterations }
        func slice() -> Int32 {
            Self.timeLimitMilliseconds(options.timeLimit.map { max(0.001, $0 - Date().timeIntervalSince(start)) })
        }
        if !hasBasis { glp_adv_basis(problem, 0) }
        parameters.tm_lim = slice()
        var code = glp_simplex(problem, &parameters)
        if code == GLP_EBADB || code == GLP_ESING || code == GLP_ECOND {
            glp_adv_basis(problem, 0)
            parameters.tm_lim = slice()
            code = glp_simplex(problem, &parameters)
        }
        while code == GLP_EITLIM, let stop = options.stop {
            if stop.isRequested {
                hasBasis = false
                return SolveResult(termination: .interrupted, rawStatus: "glp_simplex stopped on request")
            }
            if let limit = options.timeLimit, Date().timeIntervalSince(start) >= limit {
                code = GLP_ETMLIM
                break
            }
            parameters.tm_lim = slice()
            code = glp_simplex(problem, &parameters)
        }
        hasBasis = code == 0
        let status = glp_get_status(problem)
        let raw = "glp_simplex returned \(ReturnCode.name(code)); status \(ReturnCode.statusName(status))"
        guard code == 0 else {
            let reason: TerminationReason
            switch code {
            case GLP_ETMLIM, GLP_EITLIM:
                reason = status == GLP_FEAS ? .feasibleWithLimit : .noSolutionWithLimit
            case GLP_ESING, GLP_ECOND, GLP_EFAIL: reason = .numericalError
            default: reason = .other
            }
            return SolveResult(termination: reason, rawStatus: raw)
        }
        switch status {
        case GLP_OPT:
            let rows = program.constraintCount, columns = program.variableCount
            var values = [Double](repeating: 0, count: columns)
            var reduced = [Double](repeating: 0, count: columns)
            var duals = [Double](repeating: 0, count: rows)
            for j in 0..<columns {
                values[j] = glp_get_col_prim(problem, Int32(j + 1))
                reduced[j] = glp_get_col_dual(problem, Int32(j + 1))
            }
            for i in 0..<rows { duals[i] = glp_get_row_dual(problem, Int32(i + 1)) }
            let objective = glp_get_obj_val(problem) + program.objectiveConstant
            return SolveResult(termination: .optimal, objectiveValue: objective, bestBound: objective,
                               relativeGap: 0, variableValues: values, constraintDuals: duals,
                               reducedCosts: reduced, rawStatus: raw)
        case GLP_NOFEAS: return SolveResult(termination: .infeasible, rawStatus: raw)
        case GLP_UNBND: return SolveResult(termination: .unbounded, rawStatus: raw)
        default: return SolveResult(termination: .other, rawStatus: raw)
        }
    }

    fileprivate func solveIntegerWarm(options: SolveOptions, incumbent: [Double]?) -> SolveResult {
        let start = Date()
        let relaxation = solveLinear(options: options)
        switch relaxation.termination {
        case .optimal:
            break
        case .infeasible:
            // No LP point means no integer point either.
            return SolveResult(termination: .infeasible, rawStatus: "LP relaxation: " + relaxation.rawStatus)
        case .unbounded:
            return SolveResult(termination: .infeasibleOrUnbounded, rawStatus: "LP relaxation: " + relaxation.rawStatus)
        case .interrupted:
            return relaxation
        case .feasibleWithLimit, .noSolutionWithLimit:
            return SolveResult(termination: .noSolutionWithLimit, rawStatus: "LP relaxation: " + relaxation.rawStatus)
        default:
            return solveInteger(options: options, presolve: true, incumbent: nil)
        }
        var remaining = options
        let relaxationSeconds = Date().timeIntervalSince(start)
        if let limit = options.timeLimit { remaining.timeLimit = max(0.001, limit - relaxationSeconds) }
        let usable = incumbent.flatMap { program.isFeasible($0) ? $0 : nil }
        var result = solveInteger(options: remaining, presolve: false, incumbent: usable)
        result.rootRelaxationSeconds = relaxationSeconds + (result.rootRelaxationSeconds ?? 0)
        return result
    }

    fileprivate func solveInteger(options: SolveOptions, presolve: Bool, incumbent: [Double]?) -> SolveResult {
        var parameters = glp_iocp()
        glp_init_iocp(&parameters)
        parameters.msg_lev = options.verbose ? GLP_MSG_ON : GLP_MSG_OFF
        parameters.presolve = presolve ? GLP_ON : GLP_OFF
        if options.cuttingPlanes { parameters.gmi_cuts = GLP_ON }
        // Hybrid pseudocost branching rather than GLPK's default (Driebeck–Tomlin): the search
        // learns which choices move the bound. Restricted MIPs and cores of the decomposition
        // closed 2–6× sooner (docs/benchmarks.md, "Fourth session" of issue 11). But GLPK
        // initialises the pseudocosts by trial branching on every candidate, each on a copy of the
        // problem, without looking at the clock or the callback: on a program of 3,328 integer
        // variables and 57,463 nonzeros that took 33 s past a 20 s limit. Only where integer
        // variables × nonzeros stays within `pseudocostLimit` (about 5 s at worst, measured).
        parameters.br_tech = Self.usesPseudocosts(program) ? GLP_BR_PCH : GLP_BR_DTH
        parameters.mip_gap = options.relativeGap
        parameters.tm_lim = Self.timeLimitMilliseconds(options.timeLimit)
        let tracker = SearchTracker(incumbent: incumbent, stop: options.stop)
        let direction = program.sense == .maximize ? 1.0 : -1.0
        tracker.absoluteGap = options.absoluteGap
        // The tracker compares GLPK's objective, which leaves the constant out, in the maximising direction.
        tracker.target = options.targetObjective.map { direction * ($0 - program.objectiveConstant) }
        tracker.direction = direction
        // GLPK looks at tm_lim between nodes only; the callback also holds the deadline.
        tracker.deadline = options.timeLimit.map { Date().addingTimeInterval($0) }
        tracker.firstSolutionTimeLimit = options.firstSolutionTimeLimit
        parameters.cb_func = SearchTracker.callback
        let unmanaged = Unmanaged.passRetained(tracker)
        defer { unmanaged.release() }
        parameters.cb_info = unmanaged.toOpaque()
        let code = glp_intopt(problem, &parameters)
        let rootSeconds = (tracker.rootSolved ?? Date()).timeIntervalSince(tracker.start)
        let status = glp_mip_status(problem)
        let raw = "glp_intopt returned \(ReturnCode.name(code)); status \(ReturnCode.statusName(status))"
        let hasIncumbent = status == GLP_OPT || status == GLP_FEAS
        var reason: TerminationReason
        switch code {
        case 0:
            switch status {
            case GLP_OPT: reason = .optimal
            case GLP_FEAS: reason = .optimal
            case GLP_NOFEAS: reason = .infeasible
            default: reason = .other
            }
        case GLP_EMIPGAP: reason = .optimal
        case GLP_ETMLIM: reason = hasIncumbent ? .feasibleWithLimit : .noSolutionWithLimit
        case GLP_ESTOP where tracker.stopReason == .absoluteGap: reason = .optimal
        case GLP_ESTOP where tracker.stopReason == .target: reason = .feasibleWithLimit
        case GLP_ESTOP where tracker.stopReason == .deadline: reason = hasIncumbent ? .feasibleWithLimit : .noSolutionWithLimit
        case GLP_ESTOP: reason = .interrupted
        case GLP_ENOPFS: reason = .infeasible
        case GLP_ENODFS: reason = .infeasibleOrUnbounded
        case GLP_EFAIL: reason = .numericalError
        default: reason = .other
        }
        guard reason.hasSolution, hasIncumbent else {
            var result = SolveResult(termination: reason == .optimal ? .other : reason, rawStatus: raw)
            result.rootRelaxationSeconds = rootSeconds
            return result
        }
        if options.stop?.isRequested == true {
            return SolveResult(termination: .interrupted, rawStatus: raw)
        }
        let columns = program.variableCount
        var values = [Double](repeating: 0, count: columns)
        for j in 0..<columns {
            let value = glp_mip_col_val(problem, Int32(j + 1))
            values[j] = program.variableKinds[j] == .integer ? value.rounded() : value
        }
        let solverObjective = glp_mip_obj_val(problem)
        let solverBound: Double
        if code == 0 && status == GLP_OPT {
            solverBound = solverObjective
        } else if let tracked = tracker.bestBound {
            solverBound = tracked
        } else {
            solverBound = program.sense == .maximize ? .infinity : -.infinity
        }
        let gap = abs(solverObjective - solverBound) / (abs(solverObjective) + Double.ulpOfOne)
        var result = SolveResult(termination: reason,
                                 objectiveValue: solverObjective + program.objectiveConstant,
                                 bestBound: solverBound + program.objectiveConstant,
                                 relativeGap: gap, variableValues: values, rawStatus: raw)
        result.rootRelaxationSeconds = rootSeconds
        return result
    }
}
