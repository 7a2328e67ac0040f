// SPDX-License-Identifier: GPL-3.0-or-later

/// A typed handle to a variable (column) of a ``LinearProgram``; 0-based.
public struct VariableIndex: Hashable, Sendable, Comparable {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A typed handle to a constraint (row) of a ``LinearProgram``; 0-based.
public struct ConstraintIndex: Hashable, Sendable, Comparable {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Whether the objective is minimised or maximised.
public enum OptimizationSense: Sendable {
    case minimize
    case maximize
}

/// The domain of a variable.
public enum VariableKind: Sendable {
    case continuous
    /// Integer-valued; with bounds 0 and 1 this is a binary decision.
    case integer
}

/// A mixed-integer linear program held as a plain value, independent of any solver.
///
/// Bounds use `-Double.infinity` / `+Double.infinity` for "none". Coefficients are kept as
/// a sparse triplet list: a variable named twice in one constraint is merged when the
/// constraint is added, so a (row, column) pair appears at most once. The objective constant
/// is carried separately so that solvers can report gaps on the decision-dependent part.
public struct LinearProgram: Sendable {
    public var sense: OptimizationSense
    /// A constant added to the objective; solvers do not see it, results include it.
    public var objectiveConstant: Double = 0

    public private(set) var variableNames: [String] = []
    public private(set) var variableLowerBounds: [Double] = []
    public private(set) var variableUpperBounds: [Double] = []
    public private(set) var variableKinds: [VariableKind] = []
    public private(set) var objectiveCoefficients: [Double] = []

    public private(set) var constraintNames: [String] = []
    public private(set) var constraintLowerBounds: [Double] = [], constraintUpperBounds: [Double] = []

    /// Row of each nonzero coefficient (0-based).
    public private(set) var coefficientRows: [Int32] = []
    /// Column of each nonzero coefficient (0-based).
    public private(set) var coefficientColumns: [Int32] = []
    public private(set) var coefficientValues: [Double] = []
    /// Where each constraint's coefficients start in the triplet arrays; a constraint's
    /// coefficients are contiguous and end where the next one starts.
    public private(set) var constraintStarts: [Int] = []

    /// Scratch position map used to merge duplicate variables inside one constraint.
    private var mergeSlot: [Int32] = []

    public init(sense: OptimizationSense) {
        self.sense = sense
    }

    public var variableCount: Int { variableKinds.count }
    public var constraintCount: Int { constraintNames.count }
    public var nonzeroCount: Int { coefficientValues.count }
    public var hasIntegerVariables: Bool { variableKinds.contains(.integer) }

    /// Adds a variable and returns its handle.
    @discardableResult
    public mutating func addVariable(
        name: String = "",
        lower: Double = 0,
        upper: Double = .infinity,
        kind: VariableKind = .continuous,
        objective: Double = 0
    ) -> VariableIndex {
        variableNames.append(name)
        variableLowerBounds.append(lower)
        variableUpperBounds.append(upper)
        variableKinds.append(kind)
        objectiveCoefficients.append(objective)
        mergeSlot.append(-1)
        return VariableIndex(variableKinds.count - 1)
    }

    /// Adds a binary (0/1 integer) variable.
    @discardableResult
    public mutating func addBinaryVariable(name: String = "", objective: Double = 0) -> VariableIndex {
        addVariable(name: name, lower: 0, upper: 1, kind: .integer, objective: objective)
    }

    /// Adds `lower ≤ Σ coefficient·variable ≤ upper`. Zero coefficients are dropped and
    /// repeated variables are summed.
    @discardableResult
    public mutating func addConstraint(
        name: String = "",
        terms: [(VariableIndex, Double)],
        lower: Double = -.infinity,
        upper: Double = .infinity
    ) -> ConstraintIndex {
        let row = Int32(constraintNames.count)
        constraintStarts.append(coefficientValues.count)
        constraintNames.append(name)
        constraintLowerBounds.append(lower)
        constraintUpperBounds.append(upper)
        let start = coefficientValues.count
        for (variable, value) in terms {
            precondition(variable.rawValue >= 0 && variable.rawValue < variableCount,
                         "variable \(variable.rawValue) does not belong to this program")
            let slot = mergeSlot[variable.rawValue]
            if slot >= 0 {
                coefficientValues[Int(slot)] += value
            } else {
                mergeSlot[variable.rawValue] = Int32(coefficientValues.count)
                coefficientRows.append(row)
                coefficientColumns.append(Int32(variable.rawValue))
                coefficientValues.append(value)
            }
        }
        var write = start
        for read in start..<coefficientValues.count {
            mergeSlot[Int(coefficientColumns[read])] = -1
            if coefficientValues[read] != 0 {
                coefficientRows[write] = coefficientRows[read]
                coefficientColumns[write] = coefficientColumns[read]
                coefficientValues[write] = coefficientValues[read]
                write += 1
            }
        }
        coefficientRows.removeLast(coefficientValues.count - write)
        coefficientColumns.removeLast(coefficientValues.count - write)
        coefficientValues.removeLast(coefficientValues.count - write)
        return ConstraintIndex(Int(row))
    }

    /// A variable to add to constraints that exist already (``addColumns(_:)``).
    public struct Column {
        public var lower: Double, upper: Double, objective: Double
        /// Its coefficients, at most one per constraint.
        public var terms: [(ConstraintIndex, Double)]
        public init(lower: Double = 0, upper: Double = .infinity, objective: Double, terms: [(ConstraintIndex, Double)]) {
            self.lower = lower
            self.upper = upper
            self.objective = objective
            self.terms = terms
        }
    }

    /// Adds continuous variables with their coefficients in existing constraints (column
    /// generation's master: its rows stay, its columns grow) and returns their handles. Zero
    /// coefficients are dropped; the triplets are laid out again in constraint order, once.
    @discardableResult
    public mutating func addColumns(_ columns: [Column]) -> [VariableIndex] {
        let first = variableCount
        var added = [[(column: Int32, value: Double)]](repeating: [], count: constraintCount)
        for (k, column) in columns.enumerated() {
            addVariable(lower: column.lower, upper: column.upper, objective: column.objective)
            for (constraint, value) in column.terms where value != 0 {
                precondition(constraint.rawValue >= 0 && constraint.rawValue < constraintCount,
                             "constraint \(constraint.rawValue) does not belong to this program")
                added[constraint.rawValue].append((Int32(first + k), value))
            }
        }
        var rows: [Int32] = [], columnsOut: [Int32] = [], values: [Double] = [], starts: [Int] = []
        let total = nonzeroCount + added.reduce(0) { $0 + $1.count }
        rows.reserveCapacity(total)
        columnsOut.reserveCapacity(total)
        values.reserveCapacity(total)
        starts.reserveCapacity(constraintCount)
        for i in 0..<constraintCount {
            starts.append(values.count)
            for t in coefficientRange(of: ConstraintIndex(i)) {
                rows.append(coefficientRows[t])
                columnsOut.append(coefficientColumns[t])
                values.append(coefficientValues[t])
            }
            for (column, value) in added[i] {
                rows.append(Int32(i))
                columnsOut.append(column)
                values.append(value)
            }
        }
        coefficientRows = rows
        coefficientColumns = columnsOut
        coefficientValues = values
        constraintStarts = starts
        return (first..<variableCount).map { VariableIndex($0) }
    }

    public mutating func setObjectiveCoefficient(_ value: Double, for variable: VariableIndex) {
        objectiveCoefficients[variable.rawValue] = value
    }

    public mutating func setBounds(of variable: VariableIndex, lower: Double, upper: Double) {
        variableLowerBounds[variable.rawValue] = lower
        variableUpperBounds[variable.rawValue] = upper
    }

    public mutating func setBounds(of constraint: ConstraintIndex, lower: Double, upper: Double) {
        constraintLowerBounds[constraint.rawValue] = lower
        constraintUpperBounds[constraint.rawValue] = upper
    }

    /// The positions in the triplet arrays of one constraint's coefficients.
    public func coefficientRange(of constraint: ConstraintIndex) -> Range<Int> {
        let start = constraintStarts[constraint.rawValue]
        let end = constraint.rawValue + 1 < constraintCount ? constraintStarts[constraint.rawValue + 1] : nonzeroCount
        return start..<end
    }

    /// Whether two programs have the same variables (count and kinds) and constraints (count),
    /// so one can be turned into the other by changing bounds and coefficients only.
    public func hasSameShape(as other: LinearProgram) -> Bool {
        variableKinds == other.variableKinds && constraintCount == other.constraintCount && sense == other.sense
    }

    /// The program with every constraint that no point within the variables' bounds can
    /// violate left empty and free: its activity, over the box of the bounds, stays inside its
    /// own bounds with room to spare (1e-9 of their size, at least 1e-9). Indices are unchanged;
    /// such a row's dual is 0 and its activity 0. Solvers then skip rows that only cost time (a
    /// budget far from binding runs through every effort column of a program).
    public func droppingRedundantConstraints() -> LinearProgram {
        var redundant = [Bool](repeating: false, count: constraintCount)
        for i in 0..<constraintCount {
            var lowest = 0.0, highest = 0.0
            for k in coefficientRange(of: ConstraintIndex(i)) {
                let value = coefficientValues[k], j = Int(coefficientColumns[k])
                let (low, high) = (variableLowerBounds[j], variableUpperBounds[j])
                lowest += value > 0 ? value * low : value * high
                highest += value > 0 ? value * high : value * low
            }
            let (lower, upper) = (constraintLowerBounds[i], constraintUpperBounds[i])
            let room = { (bound: Double) in 1e-9 * Swift.max(1, abs(bound)) }
            redundant[i] = lowest.isFinite && highest.isFinite && (lower == -.infinity || lowest >= lower + room(lower))
                && (upper == .infinity || highest <= upper - room(upper))
        }
        guard redundant.contains(true) else { return self }
        var result = self
        result.coefficientRows.removeAll(keepingCapacity: true)
        result.coefficientColumns.removeAll(keepingCapacity: true)
        result.coefficientValues.removeAll(keepingCapacity: true)
        for i in 0..<constraintCount {
            result.constraintStarts[i] = result.coefficientValues.count
            if redundant[i] {
                result.constraintLowerBounds[i] = -.infinity
                result.constraintUpperBounds[i] = .infinity
                continue
            }
            let range = coefficientRange(of: ConstraintIndex(i))
            result.coefficientRows += coefficientRows[range]
            result.coefficientColumns += coefficientColumns[range]
            result.coefficientValues += coefficientValues[range]
        }
        return result
    }

    /// Whether `values` satisfies every bound, integrality and constraint within `tolerance`
    /// (relative to the size of the bound, absolute below 1).
    public func isFeasible(_ values: [Double], tolerance: Double = 1e-7) -> Bool {
        guard values.count == variableCount else { return false }
        func within(_ value: Double, _ lower: Double, _ upper: Double) -> Bool {
            value >= lower - tolerance * max(1, abs(lower)) && value <= upper + tolerance * max(1, abs(upper))
        }
        for j in 0..<variableCount {
            let value = values[j]
            guard value.isFinite, within(value, variableLowerBounds[j], variableUpperBounds[j]) else { return false }
            if variableKinds[j] == .integer, abs(value - value.rounded()) > tolerance { return false }
        }
        let activities = constraintActivities(of: values)
        for i in 0..<constraintCount where !within(activities[i], constraintLowerBounds[i], constraintUpperBounds[i]) {
            return false
        }
        return true
    }

    /// The objective value of `values` (one per variable), including the constant.
    public func objectiveValue(of values: [Double]) -> Double {
        precondition(values.count == variableCount)
        var total = objectiveConstant
        for j in 0..<variableCount { total += objectiveCoefficients[j] * values[j] }
        return total
    }

    /// The activity `Σ coefficient·value` of every constraint for the given variable values.
    public func constraintActivities(of values: [Double]) -> [Double] {
        precondition(values.count == variableCount)
        var activity = [Double](repeating: 0, count: constraintCount)
        for k in 0..<nonzeroCount {
            activity[Int(coefficientRows[k])] += coefficientValues[k] * values[Int(coefficientColumns[k])]
        }
        return activity
    }
}
