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

    public init(relativeGap: Double = 1e-4, timeLimit: Double? = nil,
                relaxIntegrality: Bool = false, verbose: Bool = false, cuttingPlanes: Bool = false,
                stop: StopSignal? = nil) {
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

/// Something that solves a ``LinearProgram``. The program is read, never changed.
public protocol Solver {
    /// Solves `program`. Infeasibility and limits are results, not errors; errors mean the
    /// program was invalid (``InvalidProgramError``) or the solver broke (``SolverFailure``).
    func solve(_ program: LinearProgram, options: SolveOptions) throws -> SolveResult
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
