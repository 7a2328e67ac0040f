// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import GLPK
import LinearProgramming
import Testing

/// max 3x + 2y  s.t.  x + y ≤ 4 (capacity),  x + 3y ≤ 9 (slack),  0 ≤ x ≤ 3,  y ≥ 0.
/// By hand: x is worth more, so x = 3 (its bound), then y = 4 − 3 = 1; objective 9 + 2 = 11.
/// Dual of capacity = 2 (one more unit goes to y), of the slack row 0; reduced cost of x = 3 − 2 = 1.
private func smallLP() -> (LinearProgram, VariableIndex, VariableIndex, ConstraintIndex, ConstraintIndex) {
    var lp = LinearProgram(sense: .maximize)
    let x = lp.addVariable(name: "x", lower: 0, upper: 3, objective: 3)
    let y = lp.addVariable(name: "y", objective: 2)
    let capacity = lp.addConstraint(name: "capacity", terms: [(x, 1), (y, 1)], upper: 4)
    let loose = lp.addConstraint(name: "loose", terms: [(x, 1), (y, 3)], upper: 9)
    return (lp, x, y, capacity, loose)
}

@Suite struct GLPKSolverTests {
    @Test func linearProgramWithKnownOptimumAndDuals() throws {
        let (lp, x, y, capacity, loose) = smallLP()
        let result = try GLPKSolver().solve(lp, options: SolveOptions())
        #expect(result.termination == .optimal)
        #expect(abs(result.objectiveValue! - 11) < 1e-9)
        #expect(abs(result.value(of: x)! - 3) < 1e-9)
        #expect(abs(result.value(of: y)! - 1) < 1e-9)
        #expect(abs(result.dual(of: capacity)! - 2) < 1e-9)
        #expect(abs(result.dual(of: loose)!) < 1e-9)
        #expect(abs(result.reducedCosts![x.rawValue] - 1) < 1e-9)
    }

    @Test func objectiveConstantIsAddedBack() throws {
        var (lp, _, _, _, _) = smallLP()
        lp.objectiveConstant = 100
        let result = try GLPKSolver().solve(lp, options: SolveOptions())
        #expect(abs(result.objectiveValue! - 111) < 1e-9)
    }

    @Test func warmResolveAfterBoundChange() throws {
        let (lp, _, y, capacity, _) = smallLP()
        let problem = try GLPKProblem(lp)
        _ = try problem.solve()
        // Capacity 5: x stays at 3, y = 2; objective 9 + 4 = 13.
        try problem.setBounds(of: capacity, lower: -.infinity, upper: 5)
        let second = try problem.solve()
        #expect(abs(second.objectiveValue! - 13) < 1e-9)
        #expect(abs(second.value(of: y)! - 2) < 1e-9)
        // y fixed at 0: x = 3 alone gives 9.
        try problem.setBounds(of: y, lower: 0, upper: 0)
        #expect(abs(try problem.solve().objectiveValue! - 9) < 1e-9)
    }

    /// A column added to the solved small LP: z earns 5 per unit of capacity (x 3, y 2) and
    /// uses the loose row no more than x, so the optimum is z = 4 alone, 20, with capacity's
    /// price 5 — from the previous basis. Extensions that change what was loaded are refused.
    @Test func extendedByAColumnAndResolvedWarm() throws {
        let (lp, x, y, capacity, loose) = smallLP()
        let problem = try GLPKProblem(lp)
        #expect(abs(try problem.solve().objectiveValue! - 11) < 1e-9)
        var extended = lp
        let z = extended.addColumns([LinearProgram.Column(objective: 5, terms: [(capacity, 1), (loose, 1)])])[0]
        try problem.extend(to: extended)
        let result = try problem.solve(options: SolveOptions(), warmStart: true)
        #expect(result.termination == .optimal)
        #expect(abs(result.objectiveValue! - 20) < 1e-9)
        #expect(abs(result.value(of: z)! - 4) < 1e-9 && abs(result.value(of: x)!) < 1e-9 && abs(result.value(of: y)!) < 1e-9)
        #expect(abs(result.dual(of: capacity)! - 5) < 1e-9)
        #expect(problem.currentProgram.variableCount == 3)

        var changedObjective = extended
        changedObjective.setObjectiveCoefficient(4, for: x)
        changedObjective.addColumns([LinearProgram.Column(objective: 1, terms: [(capacity, 1)])])
        #expect(throws: InvalidProgramError.self) { try problem.extend(to: changedObjective) }
        var moreRows = extended
        moreRows.addConstraint(terms: [(x, 1)], upper: 1)
        #expect(throws: InvalidProgramError.self) { try problem.extend(to: moreRows) }
        var otherCoefficient = LinearProgram(sense: .maximize)
        let x2 = otherCoefficient.addVariable(name: "x", lower: 0, upper: 3, objective: 3)
        let y2 = otherCoefficient.addVariable(name: "y", objective: 2)
        let z2 = otherCoefficient.addVariable(objective: 5)
        otherCoefficient.addConstraint(terms: [(x2, 1), (y2, 1), (z2, 1)], upper: 4)
        otherCoefficient.addConstraint(terms: [(x2, 2), (y2, 3), (z2, 1)], upper: 9)
        #expect(throws: InvalidProgramError.self) { try problem.extend(to: otherCoefficient) }
    }

    @Test func infeasibleLinearProgram() throws {
        var lp = LinearProgram(sense: .minimize)
        let x = lp.addVariable(lower: 0, upper: 1, objective: 1)
        let y = lp.addVariable(lower: 0, upper: 1, objective: 1)
        lp.addConstraint(terms: [(x, 1), (y, 1)], lower: 5)
        let result = try GLPKSolver().solve(lp, options: SolveOptions())
        #expect(result.termination == .infeasible)
        #expect(result.objectiveValue == nil)
        #expect(result.variableValues.isEmpty)
    }

    @Test func unboundedLinearProgram() throws {
        var lp = LinearProgram(sense: .maximize)
        let x = lp.addVariable(objective: 1)
        lp.addConstraint(terms: [(x, 1)], lower: 1)
        let result = try GLPKSolver().solve(lp, options: SolveOptions())
        #expect(result.termination == .unbounded)
    }

    /// 2x = 1 has the LP solution x = 0.5 but no integer one.
    @Test func infeasibleMixedIntegerProgram() throws {
        var lp = LinearProgram(sense: .maximize)
        let x = lp.addVariable(lower: 0, upper: 5, kind: .integer, objective: 1)
        lp.addConstraint(terms: [(x, 2)], lower: 1, upper: 1)
        let result = try GLPKSolver().solve(lp, options: SolveOptions())
        #expect(result.termination == .infeasible)
    }

    /// Knapsack by hand: items (value, weight) (10,5) (7,4) (4,3), capacity 8.
    /// Subsets within weight 8: {1,3} = 14, {2,3} = 11, {1} = 10, {2} = 7. Optimum 14; the LP
    /// relaxation would take item 1 and 3/4 of item 2 (15.25), so integrality matters.
    @Test func smallKnapsackIsSolvedExactly() throws {
        var lp = LinearProgram(sense: .maximize)
        let items = [(10.0, 5.0), (7.0, 4.0), (4.0, 3.0)].map { value, weight in
            (lp.addBinaryVariable(objective: value), weight)
        }
        lp.addConstraint(terms: items.map { ($0.0, $0.1) }, upper: 8)
        let result = try GLPKSolver().solve(lp, options: SolveOptions(relativeGap: 0))
        #expect(result.termination == .optimal)
        #expect(abs(result.objectiveValue! - 14) < 1e-9)
        #expect(result.variableValues == [1, 0, 1])
        let relaxed = try GLPKSolver().solve(lp, options: SolveOptions(relaxIntegrality: true))
        #expect(abs(relaxed.objectiveValue! - 15.25) < 1e-9)
    }

    /// Σ 2·x_i = 2k + 1 over binaries has no integer solution, yet every LP relaxation
    /// along the search is feasible: branch and bound must enumerate, so a short time
    /// limit stops it with no plan.
    @Test func timeLimitedMixedIntegerProgram() throws {
        var lp = LinearProgram(sense: .maximize)
        let xs = (0..<60).map { _ in lp.addBinaryVariable(objective: 1) }
        lp.addConstraint(terms: xs.map { ($0, 2) }, lower: 59, upper: 59)
        let result = try GLPKSolver().solve(lp, options: SolveOptions(timeLimit: 0.5))
        #expect(result.termination == .noSolutionWithLimit)
        #expect(result.variableValues.isEmpty)
    }

    /// The same trap with a first-solution limit: without a solution 0.1 s after the root the
    /// callback ends the search (GLPK's ESTOP, not its time limit of 20 s), with no plan.
    @Test func aSearchWithoutASolutionStopsAtItsFirstSolutionLimit() throws {
        var lp = LinearProgram(sense: .maximize)
        let xs = (0..<60).map { _ in lp.addBinaryVariable(objective: 1) }
        lp.addConstraint(terms: xs.map { ($0, 2) }, lower: 59, upper: 59)
        var options = SolveOptions(timeLimit: 20)
        options.firstSolutionTimeLimit = 0.1
        let result = try GLPKSolver().solve(lp, options: options)
        #expect(result.termination == .noSolutionWithLimit)
        #expect(result.rawStatus.contains("GLP_ESTOP"), "\(result.rawStatus)")
    }

    /// The same parity trap with an escape: z = 1 makes Σ 2·x_i = 58 reachable (objective
    /// 29 − 0.5), while the bound keeps hoping for z = 0 (up to 29.5). The search finds the plan
    /// but cannot close the gap in time, so it stops with a feasible plan and a known gap.
    @Test func timeLimitedMixedIntegerProgramKeepsItsPlan() throws {
        var lp = LinearProgram(sense: .maximize)
        let xs = (0..<60).map { _ in lp.addBinaryVariable(objective: 1) }
        let z = lp.addBinaryVariable(objective: -0.5)
        lp.addConstraint(terms: xs.map { ($0, 2) } + [(z, 1)], lower: 59, upper: 59)
        let result = try GLPKSolver().solve(lp, options: SolveOptions(relativeGap: 0, timeLimit: 0.5))
        #expect(result.termination == .feasibleWithLimit)
        #expect(abs(result.objectiveValue! - 28.5) < 1e-9)
        #expect(result.value(of: z) == 1)
        #expect(result.bestBound! >= 29 - 1e-9)
        #expect(result.relativeGap! > 0.01)
    }

    /// The same trap with a good-enough objective: any plan worth at least 28 ends the search at
    /// once (the callback's stop, not the 20 s limit), as `feasibleWithLimit` with that plan;
    /// an absolute gap of 1.5 (the bound stays within 29.5, the plan is 28.5) ends it as optimal.
    @Test func targetObjectiveAndAbsoluteGapEndTheSearch() throws {
        var lp = LinearProgram(sense: .maximize)
        let xs = (0..<60).map { _ in lp.addBinaryVariable(objective: 1) }
        let z = lp.addBinaryVariable(objective: -0.5)
        lp.addConstraint(terms: xs.map { ($0, 2) } + [(z, 1)], lower: 59, upper: 59)
        lp.objectiveConstant = 100
        // The target counts the constant, as every objective the interface reports does.
        let target = try GLPKSolver().solve(lp, options: SolveOptions(relativeGap: 0, timeLimit: 20, targetObjective: 128))
        #expect(target.termination == .feasibleWithLimit)
        #expect(target.rawStatus.contains("GLP_ESTOP"), "\(target.rawStatus)")
        #expect(abs(target.objectiveValue! - 128.5) < 1e-9)
        #expect(target.value(of: z) == 1)
        let gap = try GLPKSolver().solve(lp, options: SolveOptions(relativeGap: 0, timeLimit: 20, absoluteGap: 1.5))
        #expect(gap.termination == .optimal)
        #expect(gap.rawStatus.contains("GLP_ESTOP"), "\(gap.rawStatus)")
        #expect(abs(gap.objectiveValue! - 128.5) < 1e-9)
        #expect(gap.bestBound! - gap.objectiveValue! <= 1.5 + 1e-9)
    }

    /// A starting basis is a hint: from any of them, valid or not, the simplex ends at the
    /// optimum. max 3x + 2y + z with x, y ∈ [0, 3], z ∈ [0, 5], x + y + z ≤ 4, z ≥ 1: z takes
    /// its minimum 1, x (worth most) the 3 left, y nothing — 10. The starts: every column at
    /// its upper bound (primal infeasible), z basic for its row (valid), y basic for z's row
    /// (y is not in it: a singular basis, replaced by GLPK's own); an index out of range is an
    /// error, not an abort.
    @Test(arguments: [0, 1, 2])
    func aStartingBasisIsOnlyAHint(_ variant: Int) throws {
        var lp = LinearProgram(sense: .maximize)
        let x = lp.addVariable(lower: 0, upper: 3, objective: 3)
        let y = lp.addVariable(lower: 0, upper: 3, objective: 2)
        let z = lp.addVariable(lower: 0, upper: 5, objective: 1)
        lp.addConstraint(terms: [(x, 1), (y, 1), (z, 1)], upper: 4)
        let coverage = lp.addConstraint(terms: [(z, 1)], lower: 1)
        let session = try GLPKSolver().makeSession(lp)
        switch variant {
        case 0: try session.setStartingBasis(atUpper: [x, y, z], basicFor: [])
        case 1: try session.setStartingBasis(atUpper: [x], basicFor: [(z, coverage)])
        default: try session.setStartingBasis(atUpper: [y], basicFor: [(y, coverage)])
        }
        var options = SolveOptions()
        options.dualSimplex = variant != 1
        let result = try session.solve(options: options, warmStart: true)
        #expect(result.termination == .optimal)
        #expect(abs(result.objectiveValue! - 10) < 1e-9)
        #expect(abs(result.value(of: x)! - 3) < 1e-9 && abs(result.value(of: z)! - 1) < 1e-9)
        #expect(throws: InvalidProgramError.self) {
            try session.setStartingBasis(atUpper: [VariableIndex(7)], basicFor: [])
        }
    }

    enum Damage: String, CaseIterable, Sendable {
        case nanCoefficient, crossedBounds, infiniteObjective, nanRowBound

        func apply(to lp: inout LinearProgram) {
            switch self {
            case .nanCoefficient:
                let x = lp.addVariable()
                lp.addConstraint(terms: [(x, .nan)], upper: 1)
            case .crossedBounds: lp.addVariable(lower: 2, upper: 1)
            case .infiniteObjective: lp.addVariable(objective: .infinity)
            case .nanRowBound:
                let x = lp.addVariable()
                lp.addConstraint(terms: [(x, 1)], upper: .nan)
            }
        }
    }

    @Test(arguments: Damage.allCases)
    func invalidProgramIsRejectedNotAborted(_ damage: Damage) {
        var lp = LinearProgram(sense: .maximize)
        damage.apply(to: &lp)
        #expect(throws: InvalidProgramError.self) {
            _ = try GLPKSolver().solve(lp, options: SolveOptions())
        }
    }

    @Test func invalidChangesAreRejected() throws {
        let (lp, x, _, capacity, _) = smallLP()
        let problem = try GLPKProblem(lp)
        #expect(throws: InvalidProgramError.self) { try problem.setBounds(of: VariableIndex(99), lower: 0, upper: 1) }
        #expect(throws: InvalidProgramError.self) { try problem.setBounds(of: capacity, lower: 3, upper: 2) }
        #expect(throws: InvalidProgramError.self) { try problem.setObjectiveCoefficient(.nan, for: x) }
        #expect(throws: InvalidProgramError.self) { try problem.solve(options: SolveOptions(relativeGap: -1)) }
    }
}

@Suite struct GLPKWarmStartTests {
    /// The knapsack of ``GLPKSolverTests/smallKnapsackIsSolvedExactly()``: optimum 14 at
    /// capacity 8. At capacity 9 items 1 and 2 fit together (weight 9, value 17).
    private func knapsack(capacity: Double) -> LinearProgram {
        var lp = LinearProgram(sense: .maximize)
        let items = [(10.0, 5.0), (7.0, 4.0), (4.0, 3.0)].map { value, weight in
            (lp.addBinaryVariable(objective: value), weight)
        }
        lp.addConstraint(terms: items.map { ($0.0, $0.1) }, upper: capacity)
        return lp
    }

    @Test func updateInPlaceAndResolveWarmWithAnIncumbent() throws {
        let problem = try GLPKProblem(knapsack(capacity: 8))
        let first = try problem.solve(options: SolveOptions(relativeGap: 0))
        #expect(first.objectiveValue == 14)
        try problem.update(to: knapsack(capacity: 9))
        let second = try problem.solve(options: SolveOptions(relativeGap: 0), warmStart: true,
                                       incumbent: first.variableValues)
        #expect(second.termination == .optimal)
        #expect(second.objectiveValue == 17)
        #expect(second.variableValues == [1, 1, 0])
    }

    @Test func anInfeasibleIncumbentIsIgnored() throws {
        let problem = try GLPKProblem(knapsack(capacity: 8))
        _ = try problem.solve()
        let result = try problem.solve(options: SolveOptions(relativeGap: 0), warmStart: true, incumbent: [1, 1, 1])
        #expect(result.objectiveValue == 14)
    }

    @Test func changedCoefficientsAreLoaded() throws {
        // Item 3's value rises from 4 to 8: {1, 3} (weight 8) is now worth 18, {2, 3} 15, {1} 10.
        var changed = LinearProgram(sense: .maximize)
        let items = [(10.0, 5.0), (7.0, 4.0), (8.0, 3.0)].map { value, weight in
            (changed.addBinaryVariable(objective: value), weight)
        }
        changed.addConstraint(terms: items.map { ($0.0, $0.1) }, upper: 8)
        let problem = try GLPKProblem(knapsack(capacity: 8))
        _ = try problem.solve()
        try problem.update(to: changed)
        #expect(try problem.solve(options: SolveOptions(relativeGap: 0), warmStart: true).objectiveValue == 18)
    }

    @Test func anotherShapeIsRefused() throws {
        let problem = try GLPKProblem(knapsack(capacity: 8))
        var bigger = knapsack(capacity: 8)
        bigger.addVariable()
        #expect(throws: InvalidProgramError.self) { try problem.update(to: bigger) }
    }

    @Test func warmStartReportsInfeasibilityFromTheRelaxation() throws {
        let problem = try GLPKProblem(knapsack(capacity: 8))
        _ = try problem.solve()
        try problem.update(to: knapsack(capacity: -1))
        #expect(try problem.solve(warmStart: true).termination == .infeasible)
    }
}

@Suite struct GLPKStopTests {
    /// The parity trap runs until its time limit; a stop raised from another thread after
    /// 0.2 s ends it long before the 30 s limit, as interrupted.
    @Test func aStopSignalEndsTheSearch() throws {
        var lp = LinearProgram(sense: .maximize)
        let xs = (0..<60).map { _ in lp.addBinaryVariable(objective: 1) }
        lp.addConstraint(terms: xs.map { ($0, 2) }, lower: 59, upper: 59)
        let stop = StopSignal()
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.2)
            stop.request()
        }
        let start = Date()
        let result = try GLPKSolver().solve(lp, options: SolveOptions(timeLimit: 30, stop: stop))
        #expect(result.termination == .interrupted)
        #expect(Date().timeIntervalSince(start) < 10)
    }
}

/// GLPK starts pseudocost branching by trial branching on every candidate, each on a copy of
/// the problem, and looks at neither the clock nor the callback meanwhile: pseudocosts only
/// while integer variables × nonzeros ≤ 1e7. 1,000 binaries in one row: 1,000 × 1,000 = 1e6;
/// 4,000 binaries in one row and each in a row of its own: 4,000 × 8,000 = 3.2e7.
@Suite struct BranchingRuleTests {
    static func binaries(_ count: Int, ownRows: Bool) -> LinearProgram {
        var lp = LinearProgram(sense: .maximize)
        let xs = (0..<count).map { _ in lp.addBinaryVariable(objective: 1) }
        lp.addConstraint(terms: xs.map { ($0, 1.0) }, upper: Double(count / 2))
        if ownRows { for x in xs { lp.addConstraint(terms: [(x, 2)], upper: 1.5) } }
        return lp
    }

    @Test func pseudocostsOnlyWhereTheirStartIsBounded() {
        #expect(GLPKProblem.usesPseudocosts(Self.binaries(1_000, ownRows: false)))
        #expect(!GLPKProblem.usesPseudocosts(Self.binaries(4_000, ownRows: true)))
    }
}
