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

    @Test func activitiesAndObjective() {
        var lp = LinearProgram(sense: .maximize)
        lp.objectiveConstant = 10
        let x = lp.addVariable(objective: 2), y = lp.addVariable(objective: -1)
        lp.addConstraint(terms: [(x, 1), (y, 1)])
        lp.addConstraint(terms: [(y, 4)])
        #expect(lp.objectiveValue(of: [3, 1]) == 15)
        #expect(lp.constraintActivities(of: [3, 1]) == [4, 4])
    }

    @Test func validationNamesTheOffender() {
        var lp = LinearProgram(sense: .minimize)
        lp.addVariable(name: "budget_slack", lower: 1, upper: 0)
        #expect(throws: InvalidProgramError.self) { try lp.validate() }
        do { try lp.validate() } catch { #expect("\(error)".contains("budget_slack")) }
    }
}
