// SPDX-License-Identifier: GPL-3.0-or-later

/// Settings shared by every backend.
public struct SolveOptions: Sendable {
    /// Relative MIP gap at which the search stops (0 = prove optimality).
    public var relativeGap: Double = 1e-4
    /// Wall-clock limit in seconds; nil for none.
    public var timeLimit: Double? = nil
    /// Solve the LP relaxation even when the program has integer variables.
    public var relaxIntegrality: Bool = false
    /// Forward the solver's own log lines to standard error.
    public var verbose: Bool = false
    /// Generate cutting planes (Gomory mixed-integer cuts) in branch and bound.
    public var cuttingPlanes: Bool = false
    /// Checked during the search; when raised the solve stops as interrupted.
    public var stop: StopSignal? = nil
    /// Absolute MIP gap (objective units) at which the search also stops, as optimal; nil for none.
    public var absoluteGap: Double? = nil
    /// A good-enough objective (constant included): the search stops, as `feasibleWithLimit`,
    /// as soon as it holds a solution at least this good; nil for none.
    public var targetObjective: Double? = nil
    /// Solve LPs with the dual simplex (falling back to the primal): the method of choice from
    /// a dual feasible starting basis, or after bounds changed.
    public var dualSimplex: Bool = false
    /// Seconds after the root relaxation by which the search must hold a solution: without one
    /// then it stops, as `noSolutionWithLimit` (for a caller with another way to a first
    /// solution); nil for no such limit.
    public var firstSolutionTimeLimit: Double? = nil

    public init(relativeGap: Double = 1e-4, timeLimit: Double? = nil,
                relaxIntegrality: Bool = false, verbose: Bool = false, cuttingPlanes: Bool = false,
                stop: StopSignal? = nil, absoluteGap: Double? = nil, targetObjective: Double? = nil) {
        self.absoluteGap = absoluteGap
        self.targetObjective = targetObjective
        self.cuttingPlanes = cuttingPlanes
        self.stop = stop
        self.relativeGap = relativeGap
        self.timeLimit = timeLimit
        self.relaxIntegrality = relaxIntegrality
        self.verbose = verbose
    }
}

/// A problem the program cannot hand to a solver, found before the solver is called.
public struct InvalidProgramError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A solver failure that is not a property of the model (out of memory, a file not written).
public struct SolverFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A program loaded into a solver for a series of solves: bounds, objective coefficients and
/// rows are changed in place, and each solve may start from the previous basis and plan.
///
/// Infeasibility and limits are results, not errors; errors mean the program or a change was
/// invalid (``InvalidProgramError``) or the solver broke (``SolverFailure``). A session belongs
/// to the thread that made it: make, use and release it on one thread (see
/// ``SolverBackend/runOnWorkers(_:)``).
public protocol SolverSession: AnyObject {
    /// The program as it stands after every change made through the session.
    var currentProgram: LinearProgram { get }
    func setBounds(of variable: VariableIndex, lower: Double, upper: Double) throws
    func setBounds(of constraint: ConstraintIndex, lower: Double, upper: Double) throws
    func setObjectiveCoefficient(_ value: Double, for variable: VariableIndex) throws
    /// Replaces the program by one of the same shape (same variables, kinds and rows; values,
    /// bounds and coefficients may differ), keeping the basis.
    func update(to program: LinearProgram) throws
    /// Replaces the program by `program`, which has the same constraints and this one's
    /// variables first, unchanged, and more after them (``LinearProgram/addColumns(_:)``),
    /// keeping the basis: the new variables start nonbasic at their lower bounds, so the basis
    /// stays primal feasible and the next warm solve goes on from it.
    func extend(to program: LinearProgram) throws
    /// Solves the program as it stands: the LP when it has no integer variables or
    /// `options.relaxIntegrality` is set, else the MIP. With `warmStart` the solve starts from
    /// the current basis, and `incumbent` (a previous solution, used only when feasible) is
    /// offered as the first plan.
    func solve(options: SolveOptions, warmStart: Bool, incumbent: [Double]?) throws -> SolveResult
    /// Makes the next warm solve start from the basis in which every constraint is basic and
    /// every variable is at its lower bound, or at its upper bound when it is in `atUpper` —
    /// except that each pair of `basicFor` makes the variable basic in place of the constraint,
    /// which then sits at its lower bound. A hint that lets the simplex start from a point known
    /// to be nearly optimal; an invalid basis is replaced by the solver's own. Solvers without
    /// bases may ignore it.
    func setStartingBasis(atUpper: [VariableIndex], basicFor: [(VariableIndex, ConstraintIndex)]) throws
    /// Writes the program in CPLEX LP format (the objective sense and 15 digits kept).
    func writeCPLEXLP(to path: String) throws
    /// Writes the program in free MPS format, as a minimisation (a maximisation with its objective
    /// negated): MPS has no standard objective sense.
    func writeMPS(to path: String) throws
}

extension SolverSession {
    public func setStartingBasis(atUpper: [VariableIndex], basicFor: [(VariableIndex, ConstraintIndex)]) throws {}

    /// Starts the next warm solve of `program` (a maximisation held by this session) from the
    /// basis in which every row is basic and every variable sits at the bound its objective
    /// favours: dual feasible, so the dual simplex mends the violated rows in long steps instead of
    /// the primal simplex moving columns one by one. Variables with a positive objective need a
    /// finite upper bound; those without one stay at their lower bound.
    public func setDualFeasibleStart(for program: LinearProgram) throws {
        var atUpper: [VariableIndex] = []
        for j in 0..<program.variableCount where program.objectiveCoefficients[j] > 0 && program.variableUpperBounds[j].isFinite {
            atUpper.append(VariableIndex(j))
        }
        try setStartingBasis(atUpper: atUpper, basicFor: [])
    }

    /// Solves the program as it stands, cold unless `warmStart`.
    public func solve(options: SolveOptions = SolveOptions(), warmStart: Bool = false) throws -> SolveResult {
        try solve(options: options, warmStart: warmStart, incumbent: nil)
    }
}

/// A solver: makes sessions and runs work on the threads its sessions need. The one place a
/// backend is chosen is the caller that builds ``SolverBackend`` values (the command-line tool).
public protocol SolverBackend: Sendable {
    /// Loads `program` (validated first: the solver never sees an invalid program).
    func makeSession(_ program: LinearProgram) throws -> any SolverSession
    /// Runs each job on a worker thread of its own, all at once, and returns when every job has
    /// finished. A job makes, uses and releases its sessions itself; the backend frees its
    /// per-thread state when the job ends.
    func runOnWorkers(_ jobs: [@Sendable () -> Void])
}

extension SolverBackend {
    /// Loads `program`, solves it once and releases it.
    public func solve(_ program: LinearProgram, options: SolveOptions = SolveOptions()) throws -> SolveResult {
        try makeSession(program).solve(options: options)
    }
}

extension LinearProgram {
    /// Checks what a solver needs to hold: finite coefficients, bounds that are not NaN and
    /// not crossed, indices in range. Throws ``InvalidProgramError`` naming the offender.
    public func validate() throws {
        func variableLabel(_ j: Int) -> String {
            variableNames[j].isEmpty ? "variable \(j)" : "variable '\(variableNames[j])'"
        }
        func constraintLabel(_ i: Int) -> String {
            constraintNames[i].isEmpty ? "constraint \(i)" : "constraint '\(constraintNames[i])'"
        }
        if !objectiveConstant.isFinite {
            throw InvalidProgramError("objective constant is \(objectiveConstant)")
        }
        for j in 0..<variableCount {
            let lower = variableLowerBounds[j], upper = variableUpperBounds[j]
            if lower.isNaN || upper.isNaN || lower == .infinity || upper == -.infinity || lower > upper {
                throw InvalidProgramError("\(variableLabel(j)) has invalid bounds [\(lower), \(upper)]")
            }
            if !objectiveCoefficients[j].isFinite {
                throw InvalidProgramError("\(variableLabel(j)) has objective coefficient \(objectiveCoefficients[j])")
            }
        }
        for i in 0..<constraintCount {
            let lower = constraintLowerBounds[i], upper = constraintUpperBounds[i]
            if lower.isNaN || upper.isNaN || lower == .infinity || upper == -.infinity || lower > upper {
                throw InvalidProgramError("\(constraintLabel(i)) has invalid bounds [\(lower), \(upper)]")
            }
        }
        for k in 0..<nonzeroCount {
            let row = Int(coefficientRows[k]), column = Int(coefficientColumns[k])
            guard row >= 0, row < constraintCount, column >= 0, column < variableCount else {
                throw InvalidProgramError("coefficient \(k) refers to row \(row), column \(column) out of range")
            }
            if !coefficientValues[k].isFinite {
                throw InvalidProgramError("\(constraintLabel(row)) has coefficient \(coefficientValues[k]) for \(variableLabel(column))")
            }
        }
    }
}
