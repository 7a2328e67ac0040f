// SPDX-License-Identifier: GPL-3.0-or-later

internal import CGLPK
import Foundation
public import LinearProgramming

/// A ``LinearProgram`` loaded into GLPK, kept for repeated solves.
///
/// Between solves, bounds and objective coefficients can be changed in place; the next LP
/// solve starts from the previous basis (warm start). GLPK keeps its state per OS thread, so an
/// instance must be created, used and released on one thread and never held across `await`.
/// Every argument is validated in Swift before it reaches GLPK, which would otherwise abort
/// the process.
public final class GLPKProblem: SolverSession {
    // Internal, not private: the solving code lives in GLPKProblem+Solve.swift.
    let problem: OpaquePointer
    var program: LinearProgram
    var hasBasis = false

    /// Loads `program` into a new GLPK problem in bulk (`glp_load_matrix`).
    /// Throws ``InvalidProgramError`` when the program is not valid for GLPK.
    public init(_ program: LinearProgram) throws {
        try program.validate()
        try Self.checkDuplicates(program)
        guard program.variableCount < Int(Int32.max), program.nonzeroCount < Int(Int32.max) else {
            throw InvalidProgramError("the program is too large for GLPK's 32-bit indices")
        }
        self.program = program
        problem = glp_create_prob()
        TerminalOutput.silence()
        load()
    }

    deinit {
        glp_delete_prob(problem)
    }

    public var variableCount: Int { program.variableCount }
    public var constraintCount: Int { program.constraintCount }

    private static func checkDuplicates(_ program: LinearProgram) throws {
        var lastRowOfColumn = [Int32](repeating: -1, count: program.variableCount)
        var order = Array(0..<program.nonzeroCount)
        if !zip(program.coefficientRows, program.coefficientRows.dropFirst()).allSatisfy({ $0 <= $1 }) {
            order.sort { program.coefficientRows[$0] < program.coefficientRows[$1] }
        }
        for k in order {
            let row = program.coefficientRows[k], column = Int(program.coefficientColumns[k])
            if lastRowOfColumn[column] == row {
                throw InvalidProgramError("row \(row) names column \(column) twice")
            }
            lastRowOfColumn[column] = row
        }
    }

    private func load() {
        if program.sense == .maximize { glp_set_obj_dir(problem, GLP_MAX) } else { glp_set_obj_dir(problem, GLP_MIN) }
        let rows = program.constraintCount, columns = program.variableCount
        if rows > 0 { glp_add_rows(problem, Int32(rows)) }
        if columns > 0 { glp_add_cols(problem, Int32(columns)) }
        for i in 0..<rows {
            if !program.constraintNames[i].isEmpty {
                glp_set_row_name(problem, Int32(i + 1), Self.glpkName(program.constraintNames[i]))
            }
            applyRowBounds(i, program.constraintLowerBounds[i], program.constraintUpperBounds[i])
        }
        for j in 0..<columns {
            let column = Int32(j + 1)
            if !program.variableNames[j].isEmpty { glp_set_col_name(problem, column, Self.glpkName(program.variableNames[j])) }
            if program.variableKinds[j] == .integer { glp_set_col_kind(problem, column, GLP_IV) }
            applyColumnBounds(j, program.variableLowerBounds[j], program.variableUpperBounds[j])
            glp_set_obj_coef(problem, column, program.objectiveCoefficients[j])
        }
        // GLPK's arrays are 1-based: slot 0 is a placeholder it never reads.
        let count = program.nonzeroCount
        var ia = [Int32](repeating: 0, count: count + 1)
        var ja = [Int32](repeating: 0, count: count + 1)
        var ar = [Double](repeating: 0, count: count + 1)
        for k in 0..<count {
            ia[k + 1] = program.coefficientRows[k] + 1
            ja[k + 1] = program.coefficientColumns[k] + 1
            ar[k + 1] = program.coefficientValues[k]
        }
        if count > 0 { glp_load_matrix(problem, Int32(count), &ia, &ja, &ar) }
        glp_scale_prob(problem, GLP_SF_AUTO)
    }

    /// A name GLPK accepts: it aborts on control characters and on more than 255 bytes, and
    /// the LP format wants no spaces.
    static func glpkName(_ name: String) -> String {
        var bytes = Array(name.utf8).map { $0 < 0x21 || $0 == 0x7F ? UInt8(ascii: "_") : $0 }
        if bytes.count > 255 {
            bytes = Array(bytes.prefix(255))
            while let last = bytes.last, last & 0xC0 == 0x80 { bytes.removeLast() }
            if let last = bytes.last, last >= 0xC0 { bytes.removeLast() }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func boundType(_ lower: Double, _ upper: Double) -> (Int32, Double, Double) {
        switch (lower.isFinite, upper.isFinite) {
        case (false, false): return (GLP_FR, 0, 0)
        case (true, false): return (GLP_LO, lower, 0)
        case (false, true): return (GLP_UP, 0, upper)
        case (true, true): return (lower == upper ? GLP_FX : GLP_DB, lower, upper)
        }
    }

    private func applyRowBounds(_ i: Int, _ lower: Double, _ upper: Double) {
        let (type, lb, ub) = Self.boundType(lower, upper)
        glp_set_row_bnds(problem, Int32(i + 1), type, lb, ub)
    }

    private func applyColumnBounds(_ j: Int, _ lower: Double, _ upper: Double) {
        let (type, lb, ub) = Self.boundType(lower, upper)
        glp_set_col_bnds(problem, Int32(j + 1), type, lb, ub)
    }

    private static func checkBounds(_ lower: Double, _ upper: Double, _ what: String) throws {
        if lower.isNaN || upper.isNaN || lower == .infinity || upper == -.infinity || lower > upper {
            throw InvalidProgramError("\(what): invalid bounds [\(lower), \(upper)]")
        }
    }

    /// Changes the bounds of one variable; the next solve starts from the current basis.
    public func setBounds(of variable: VariableIndex, lower: Double, upper: Double) throws {
        try Self.check(variable.rawValue, below: program.variableCount, "variable", lower, upper)
        program.setBounds(of: variable, lower: lower, upper: upper)
        applyColumnBounds(variable.rawValue, lower, upper)
    }

    /// Sets the basis the next warm solve starts from: every row basic, every column nonbasic at
    /// its lower bound, or at its upper bound when listed (a column without the bound named sits
    /// at the one it has, or is free); each pair of `basicFor` swaps a column into the basis
    /// for a row, which goes to its lower bound. When the result is not a valid basis,
    /// `glp_simplex` reports it and the solve starts from GLPK's own (see `solveLinear`).
    public func setStartingBasis(atUpper: [VariableIndex], basicFor: [(VariableIndex, ConstraintIndex)]) throws {
        for j in atUpper { try Self.check(j.rawValue, below: program.variableCount, "variable", 0, 0) }
        for (j, i) in basicFor {
            try Self.check(j.rawValue, below: program.variableCount, "variable", 0, 0)
            try Self.check(i.rawValue, below: program.constraintCount, "constraint", 0, 0)
        }
        var upper = [Bool](repeating: false, count: program.variableCount)
        for j in atUpper { upper[j.rawValue] = true }
        for i in 0..<program.constraintCount { glp_set_row_stat(problem, Int32(i + 1), GLP_BS) }
        for j in 0..<program.variableCount {
            let lower = program.variableLowerBounds[j], upperBound = program.variableUpperBounds[j]
            let status: Int32
            if lower == upperBound { status = GLP_NS }
            else if upperBound.isFinite && (upper[j] || !lower.isFinite) { status = GLP_NU }
            else if lower.isFinite { status = GLP_NL }
            else { status = GLP_NF }
            glp_set_col_stat(problem, Int32(j + 1), status)
        }
        for (j, i) in basicFor {
            let lower = program.constraintLowerBounds[i.rawValue], upperBound = program.constraintUpperBounds[i.rawValue]
            let status: Int32 = lower == upperBound ? GLP_NS : lower.isFinite ? GLP_NL : upperBound.isFinite ? GLP_NU : GLP_NF
            glp_set_row_stat(problem, Int32(i.rawValue + 1), status)
            glp_set_col_stat(problem, Int32(j.rawValue + 1), GLP_BS)
        }
        hasBasis = true
    }

    /// Changes the bounds of one constraint; the next solve starts from the current basis.
    public func setBounds(of constraint: ConstraintIndex, lower: Double, upper: Double) throws {
        try Self.check(constraint.rawValue, below: program.constraintCount, "constraint", lower, upper)
        program.setBounds(of: constraint, lower: lower, upper: upper)
        applyRowBounds(constraint.rawValue, lower, upper)
    }

    /// An index in range and bounds GLPK accepts, before GLPK sees them.
    private static func check(_ index: Int, below count: Int, _ what: String, _ lower: Double, _ upper: Double) throws {
        guard index >= 0, index < count else { throw InvalidProgramError("\(what) \(index) out of range") }
        try checkBounds(lower, upper, "\(what) \(index)")
    }

    /// Changes one objective coefficient.
    public func setObjectiveCoefficient(_ value: Double, for variable: VariableIndex) throws {
        guard variable.rawValue >= 0, variable.rawValue < program.variableCount else {
            throw InvalidProgramError("variable \(variable.rawValue) out of range")
        }
        guard value.isFinite else { throw InvalidProgramError("objective coefficient \(value) is not finite") }
        program.setObjectiveCoefficient(value, for: variable)
        glp_set_obj_coef(problem, Int32(variable.rawValue + 1), value)
    }

    /// Turns the loaded problem into `newProgram` by changing only what differs: bounds,
    /// objective coefficients and the coefficient rows that changed. The basis is kept, so the
    /// next solve starts warm. Throws ``InvalidProgramError`` when `newProgram` is invalid or
    /// has another shape (other variables or constraint count); build a new problem then.
    public func update(to newProgram: LinearProgram) throws {
        guard newProgram.hasSameShape(as: program) else {
            throw InvalidProgramError("the new program has another shape; load it as a new problem")
        }
        try newProgram.validate()
        try Self.checkDuplicates(newProgram)
        for j in 0..<newProgram.variableCount {
            if newProgram.variableLowerBounds[j] != program.variableLowerBounds[j]
                || newProgram.variableUpperBounds[j] != program.variableUpperBounds[j] {
                applyColumnBounds(j, newProgram.variableLowerBounds[j], newProgram.variableUpperBounds[j])
            }
            if newProgram.objectiveCoefficients[j] != program.objectiveCoefficients[j] {
                glp_set_obj_coef(problem, Int32(j + 1), newProgram.objectiveCoefficients[j])
            }
        }
        var ind: [Int32] = [0]
        var val: [Double] = [0]
        for i in 0..<newProgram.constraintCount {
            if newProgram.constraintLowerBounds[i] != program.constraintLowerBounds[i]
                || newProgram.constraintUpperBounds[i] != program.constraintUpperBounds[i] {
                applyRowBounds(i, newProgram.constraintLowerBounds[i], newProgram.constraintUpperBounds[i])
            }
            let row = ConstraintIndex(i)
            let old = program.coefficientRange(of: row), new = newProgram.coefficientRange(of: row)
            let same = old.count == new.count && zip(old, new).allSatisfy {
                program.coefficientColumns[$0] == newProgram.coefficientColumns[$1]
                    && program.coefficientValues[$0] == newProgram.coefficientValues[$1]
            }
            if !same {
                ind.removeSubrange(1...)
                val.removeSubrange(1...)
                for k in new {
                    ind.append(newProgram.coefficientColumns[k] + 1)
                    val.append(newProgram.coefficientValues[k])
                }
                glp_set_mat_row(problem, Int32(i + 1), Int32(new.count), &ind, &val)
            }
        }
        program = newProgram
    }

    /// Adds the variables `newProgram` has after this program's (``SolverSession/extend(to:)``):
    /// the constraints, the existing variables and their coefficients must be unchanged (each
    /// constraint's coefficients begin with its old ones). The new columns start nonbasic, so
    /// the basis is kept. Throws ``InvalidProgramError`` otherwise; build a new problem then.
    public func extend(to newProgram: LinearProgram) throws {
        let oldColumns = program.variableCount
        guard newProgram.sense == program.sense, newProgram.constraintCount == program.constraintCount,
              newProgram.variableCount >= oldColumns else {
            throw InvalidProgramError("the extended program must keep the constraints and variables; load it as a new problem")
        }
        try newProgram.validate()
        try Self.checkDuplicates(newProgram)
        guard newProgram.variableCount < Int(Int32.max), newProgram.nonzeroCount < Int(Int32.max) else {
            throw InvalidProgramError("the program is too large for GLPK's 32-bit indices")
        }
        for j in 0..<oldColumns where newProgram.variableLowerBounds[j] != program.variableLowerBounds[j]
            || newProgram.variableUpperBounds[j] != program.variableUpperBounds[j]
            || newProgram.objectiveCoefficients[j] != program.objectiveCoefficients[j]
            || newProgram.variableKinds[j] != program.variableKinds[j] {
            throw InvalidProgramError("the extended program changes variable \(j + 1); load it as a new problem")
        }
        // Each new column's coefficients, gathered from the rows (1-based for GLPK).
        var entries = [[(row: Int32, value: Double)]](repeating: [], count: newProgram.variableCount - oldColumns)
        for i in 0..<program.constraintCount {
            let row = ConstraintIndex(i)
            let old = program.coefficientRange(of: row), new = newProgram.coefficientRange(of: row)
            guard newProgram.constraintLowerBounds[i] == program.constraintLowerBounds[i],
                  newProgram.constraintUpperBounds[i] == program.constraintUpperBounds[i],
                  new.count >= old.count,
                  zip(old, new).allSatisfy({ program.coefficientColumns[$0] == newProgram.coefficientColumns[$1]
                      && program.coefficientValues[$0] == newProgram.coefficientValues[$1] }) else {
                throw InvalidProgramError("the extended program changes constraint \(i + 1); load it as a new problem")
            }
            for k in new.dropFirst(old.count) {
                let column = Int(newProgram.coefficientColumns[k])
                guard column >= oldColumns else {
                    throw InvalidProgramError("the extended program changes constraint \(i + 1); load it as a new problem")
                }
                entries[column - oldColumns].append((Int32(i + 1), newProgram.coefficientValues[k]))
            }
        }
        guard !entries.isEmpty else { return }
        let first = glp_add_cols(problem, Int32(entries.count))
        for (k, column) in entries.enumerated() {
            let j = oldColumns + k, index = first + Int32(k)
            if !newProgram.variableNames[j].isEmpty { glp_set_col_name(problem, index, Self.glpkName(newProgram.variableNames[j])) }
            if newProgram.variableKinds[j] == .integer { glp_set_col_kind(problem, index, GLP_IV) }
            applyColumnBounds(j, newProgram.variableLowerBounds[j], newProgram.variableUpperBounds[j])
            glp_set_obj_coef(problem, index, newProgram.objectiveCoefficients[j])
            var ind: [Int32] = [0] + column.map(\.row)
            var val: [Double] = [0] + column.map(\.value)
            glp_set_mat_col(problem, index, Int32(column.count), &ind, &val)
        }
        program = newProgram
    }

    /// The program as currently loaded (after every change made through this object).
    public var currentProgram: LinearProgram { program }

    /// Writes the problem in CPLEX LP format (keeps the objective sense and 15 digits).
    public func writeCPLEXLP(to path: String) throws {
        TerminalOutput.silence()
        let code = glp_write_lp(problem, nil, path)
        if code != 0 { throw SolverFailure("GLPK could not write the LP file \(path)") }
    }

    /// Writes the problem in free MPS format, always as a minimisation: MPS has no standard
    /// objective sense (readers assume minimise; GLPK reads no OBJSENSE section), so a
    /// maximisation is written with its objective negated and reads back with the opposite value.
    public func writeMPS(to path: String) throws {
        TerminalOutput.silence()
        let negate = program.sense == .maximize
        let columns = Int32(program.variableCount)
        func flipObjective() {
            for j in 0...columns { glp_set_obj_coef(problem, j, -glp_get_obj_coef(problem, j)) }
        }
        if negate { flipObjective() }
        let code = glp_write_mps(problem, GLP_MPS_FILE, nil, path)
        if negate { flipObjective() }
        if code != 0 { throw SolverFailure("GLPK could not write the MPS file \(path)") }
    }
}

/// Where GLPK's terminal output goes on the current thread.
enum TerminalOutput {
    private static let discard: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32 = { _, _ in 1 }
    private static let standardError: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32 = { _, text in
        if let text { _ = write(STDERR_FILENO, text, strlen(text)) }
        return 1
    }

    static func silence() { glp_term_hook(discard, nil) }
    static func toStandardError() { glp_term_hook(standardError, nil) }
}

/// Readable names for GLPK's return codes and statuses.
enum ReturnCode {
    static func name(_ code: Int32) -> String {
        let names: [Int32: String] = [
            0: "0", GLP_EBADB: "GLP_EBADB", GLP_ESING: "GLP_ESING", GLP_ECOND: "GLP_ECOND",
            GLP_EBOUND: "GLP_EBOUND", GLP_EFAIL: "GLP_EFAIL", GLP_EOBJLL: "GLP_EOBJLL",
            GLP_EOBJUL: "GLP_EOBJUL", GLP_EITLIM: "GLP_EITLIM", GLP_ETMLIM: "GLP_ETMLIM",
            GLP_ENOPFS: "GLP_ENOPFS", GLP_ENODFS: "GLP_ENODFS", GLP_EROOT: "GLP_EROOT",
            GLP_ESTOP: "GLP_ESTOP", GLP_EMIPGAP: "GLP_EMIPGAP",
        ]
        return names[code] ?? "code \(code)"
    }

    static func statusName(_ status: Int32) -> String {
        let names: [Int32: String] = [
            GLP_UNDEF: "GLP_UNDEF", GLP_FEAS: "GLP_FEAS", GLP_INFEAS: "GLP_INFEAS",
            GLP_NOFEAS: "GLP_NOFEAS", GLP_OPT: "GLP_OPT", GLP_UNBND: "GLP_UNBND",
        ]
        return names[status] ?? "status \(status)"
    }
}
