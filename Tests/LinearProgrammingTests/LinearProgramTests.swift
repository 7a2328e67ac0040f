// SPDX-License-Identifier: GPL-3.0-or-later

import LinearProgramming
import Testing

@Suite struct LinearProgramTests {
    @Test func repeatedVariablesAreMergedAndZerosDropped() {
        var lp = LinearProgram(sense: .minimize)
        let x = lp.addVariable(), y = lp.addVariable(), z = lp.addVariable()
        lp.addConstraint(terms: [(x, 1), (y, 2), (x, 3), (z, 0), (y, -2)], upper: 1)
        lp.addConstraint(terms: [(x, 5)], upper: 1)
        #expect(lp.nonzeroCount == 2)
        #expect(lp.coefficientValues == [4, 5])
        #expect(lp.coefficientRows == [0, 1])
    }

    /// Columns added to existing rows: each row's coefficients stay together, the old ones
    /// first; a zero coefficient is dropped.
    @Test func columnsAreAddedRowByRow() {
        var lp = LinearProgram(sense: .maximize)
        let x = lp.addVariable(), y = lp.addVariable()
        let first = lp.addConstraint(terms: [(x, 1), (y, 2)], upper: 10)
        let second = lp.addConstraint(terms: [(y, 3)], upper: 10)
        let added = lp.addColumns([LinearProgram.Column(objective: 7, terms: [(second, 4), (first, 5)]),
                                   LinearProgram.Column(upper: 1, objective: 1, terms: [(second, 0)])])
        #expect(added == [VariableIndex(2), VariableIndex(3)])
        #expect(lp.variableCount == 4 && lp.objectiveCoefficients == [0, 0, 7, 1] && lp.variableUpperBounds[3] == 1)
        #expect(lp.coefficientRows == [0, 0, 0, 1, 1])
        #expect(lp.coefficientColumns == [0, 1, 2, 1, 2])
        #expect(lp.coefficientValues == [1, 2, 5, 3, 4])
        #expect(lp.coefficientRange(of: second) == 3..<5)
    }

    @Test func activitiesAndObjective() {
        var lp = LinearProgram(sense: .maximize)
        lp.objectiveConstant = 10
        let x = lp.addVariable(objective: 2), y = lp.addVariable(objective: -1)
        lp.addConstraint(terms: [(x, 1), (y, 1)])
        lp.addConstraint(terms: [(y, 4)])
        #expect(lp.objectiveValue(of: [3, 1]) == 15)
        #expect(lp.constraintActivities(of: [3, 1]) == [4, 4])
    }

    /// x in [0, 2], y in [0, 3], z ≥ 0. x + y reaches 5 at most, x − y falls to −3 at least.
    /// Binding or possibly violated: x + y ≤ 5 (reached, no room), x + z ≤ 100 (z unbounded),
    /// 2 ≤ x + y ≤ 10 (x + y may be 0). Never violated: x + y ≤ 6, x − y ≥ −4.
    @Test func redundantConstraintsAreEmptiedAndFreed() {
        var lp = LinearProgram(sense: .maximize)
        let x = lp.addVariable(upper: 2), y = lp.addVariable(upper: 3), z = lp.addVariable()
        lp.addConstraint(terms: [(x, 1), (y, 1)], upper: 5)
        lp.addConstraint(terms: [(x, 1), (y, 1)], upper: 6)
        lp.addConstraint(terms: [(x, 1), (y, -1)], lower: -4)
        lp.addConstraint(terms: [(x, 1), (z, 1)], upper: 100)
        lp.addConstraint(terms: [(x, 1), (y, 1)], lower: 2, upper: 10)
        let reduced = lp.droppingRedundantConstraints()
        #expect(reduced.constraintCount == 5 && reduced.variableCount == 3)
        #expect(reduced.coefficientRows == [0, 0, 3, 3, 4, 4])
        #expect(reduced.constraintStarts == [0, 2, 2, 2, 4])
        let none = Double.infinity
        let lower: [Double] = [-none, -none, -none, -none, 2], upper: [Double] = [5, none, none, 100, 10]
        #expect(reduced.constraintLowerBounds == lower)
        #expect(reduced.constraintUpperBounds == upper)
        #expect(reduced.constraintActivities(of: [2, 3, 1]) == [5, 0, 0, 3, 5])
        // Nothing to drop: the same program.
        #expect(reduced.droppingRedundantConstraints().coefficientRows == reduced.coefficientRows)
    }

    @Test func validationNamesTheOffender() {
        var lp = LinearProgram(sense: .minimize)
        lp.addVariable(name: "budget_slack", lower: 1, upper: 0)
        #expect(throws: InvalidProgramError.self) { try lp.validate() }
        do { try lp.validate() } catch { #expect("\(error)".contains("budget_slack")) }
    }
}
