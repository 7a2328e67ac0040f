// SPDX-License-Identifier: GPL-3.0-or-later

/// Why a solve stopped. Each case says what the caller should do next.
public enum TerminationReason: String, Sendable, Equatable {
    /// Proven optimal (for a MIP: within the requested relative or absolute gap). Use the solution.
    case optimal
    /// No point satisfies the constraints. Relax a constraint or check the data.
    case infeasible
    /// The objective can improve without limit. The model misses a bound.
    case unbounded
    /// The solver proved one of the two but not which. Solve the LP relaxation to tell.
    case infeasibleOrUnbounded
    /// A limit (time, iterations, a target objective reached) stopped the solve with a feasible
    /// solution; the gap may be large.
    case feasibleWithLimit
    /// A limit stopped the solve before any feasible solution was found.
    case noSolutionWithLimit
    /// The caller interrupted the solve through a ``StopSignal``; any plan found is dropped.
    case interrupted
    /// The solver gave up for numerical reasons; rescale the data or loosen tolerances.
    case numericalError
    /// Anything else; see ``SolveResult/rawStatus``.
    case other

    /// Whether a primal solution comes with this reason.
    public var hasSolution: Bool { self == .optimal || self == .feasibleWithLimit }
}

/// The outcome of one solve: a value, detached from the solver that produced it.
public struct SolveResult: Sendable {
    public var termination: TerminationReason
    /// The objective of the solution, including ``LinearProgram/objectiveConstant``; nil without one.
    public var objectiveValue: Double?
    /// The best proven bound on the objective, including the constant; nil when unknown.
    public var bestBound: Double?
    /// The relative gap the solver reports, measured on the objective without the constant.
    public var relativeGap: Double?
    /// One value per variable; empty without a solution.
    public var variableValues: [Double]
    /// One dual value per constraint (∂objective/∂bound); only after an LP solve with a solution.
    public var constraintDuals: [Double]?
    /// One reduced cost per variable; only after an LP solve with a solution.
    public var reducedCosts: [Double]?
    /// The solver's own words for how it stopped (return code and status).
    public var rawStatus: String
    /// Wall-clock seconds spent inside the solver.
    public var seconds: Double
    /// For a MIP: seconds until the root LP relaxation was solved, when the solver reports it.
    public var rootRelaxationSeconds: Double? = nil

    public init(
        termination: TerminationReason,
        objectiveValue: Double? = nil,
        bestBound: Double? = nil,
        relativeGap: Double? = nil,
        variableValues: [Double] = [],
        constraintDuals: [Double]? = nil,
        reducedCosts: [Double]? = nil,
        rawStatus: String,
        seconds: Double = 0
    ) {
        self.termination = termination
        self.objectiveValue = objectiveValue
        self.bestBound = bestBound
        self.relativeGap = relativeGap
        self.variableValues = variableValues
        self.constraintDuals = constraintDuals
        self.reducedCosts = reducedCosts
        self.rawStatus = rawStatus
        self.seconds = seconds
    }

    /// The value of one variable, or nil without a solution.
    public func value(of variable: VariableIndex) -> Double? {
        variableValues.isEmpty ? nil : variableValues[variable.rawValue]
    }

    /// The dual of one constraint, or nil when duals are not available.
    public func dual(of constraint: ConstraintIndex) -> Double? {
        constraintDuals?[constraint.rawValue]
    }
}
