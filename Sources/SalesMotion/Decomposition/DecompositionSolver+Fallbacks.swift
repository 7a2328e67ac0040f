// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import LinearProgramming

/// The recovery's fallbacks, for when the first restricted MIP finds no plan in its time (see
/// ``DecompositionSolver``): a least-expense MIP, then diving. Both work on the restricted
/// MIP's own solver session and leave it as they found it.
extension DecompositionSolver {
    /// A plan when the budget is at the edge of feasibility: the plans that keep it are the few
    /// that spend nearly the least possible, which branch and bound on net contribution does not
    /// find in time. This MIP minimises sales expense instead, with every effort held at its
    /// tier's minimum coverage (the coverage rows as equalities): its LP relaxation is then that
    /// of a multiple-choice knapsack, tight, where the free-effort form's is weak. The plan found
    /// is then improved by branch and bound on the real objective, starting from it, in the time
    /// left. Nil without a budget row, or when no plan is found in time.
    func leastExpensePlan(_ problem: any SolverSession, _ program: LinearProgram, budget: ConstraintIndex?,
                                  coverage: [ConstraintIndex], tiers: [[VariableIndex]?], deadline: Date) throws -> [Double]? {
        guard let budget else { return nil }
        var expense = [Double](repeating: 0, count: program.variableCount)
        for k in program.coefficientRange(of: budget) {
            expense[Int(program.coefficientColumns[k])] = program.coefficientValues[k]
        }
        for j in 0..<program.variableCount { try problem.setObjectiveCoefficient(-expense[j], for: VariableIndex(j)) }
        for row in coverage {
            try problem.setBounds(of: row, lower: program.constraintLowerBounds[row.rawValue],
                                  upper: program.constraintLowerBounds[row.rawValue])
        }
        let half = 0.5 * deadline.timeIntervalSinceNow
        guard half > 0 else { return nil }
        let cheapest = try problem.solve(options: SolveOptions(relativeGap: 1e-9, timeLimit: half, verbose: options.verbose,
                                                               cuttingPlanes: true, stop: options.stop))
        if cheapest.termination == .interrupted { throw PlanningInterrupted() }
        // Back to the real objective and rows, whatever was found.
        for j in 0..<program.variableCount {
            try problem.setObjectiveCoefficient(program.objectiveCoefficients[j], for: VariableIndex(j))
        }
        for row in coverage {
            try problem.setBounds(of: row, lower: program.constraintLowerBounds[row.rawValue],
                                  upper: program.constraintUpperBounds[row.rawValue])
        }
        guard cheapest.termination.hasSolution, program.isFeasible(cheapest.variableValues) else { return nil }
        // Its tiers with the effort set for net contribution (the budget left over is spent well).
        var plan = cheapest.variableValues
        for ys in tiers.compactMap({ $0 }) {
            for y in ys { try problem.setBounds(of: y, lower: plan[y.rawValue].rounded(), upper: plan[y.rawValue].rounded()) }
        }
        let effort = try problem.solve(options: SolveOptions(timeLimit: max(0.01, deadline.timeIntervalSinceNow),
                                                             relaxIntegrality: true, verbose: options.verbose, stop: options.stop))
        if effort.termination == .interrupted { throw PlanningInterrupted() }
        for ys in tiers.compactMap({ $0 }) {
            for y in ys { try problem.setBounds(of: y, lower: program.variableLowerBounds[y.rawValue], upper: program.variableUpperBounds[y.rawValue]) }
        }
        if effort.termination == .optimal {
            var values = effort.variableValues
            for ys in tiers.compactMap({ $0 }) { for y in ys { values[y.rawValue] = values[y.rawValue].rounded() } }
            if program.isFeasible(values), program.objectiveValue(of: values) > program.objectiveValue(of: plan) { plan = values }
        }
        // Then branch and bound on net contribution from that plan, in the time left.
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0.01 else { return plan }
        let improved = try problem.solve(options: SolveOptions(relativeGap: 1e-9, timeLimit: remaining, verbose: options.verbose,
                                                               cuttingPlanes: true, stop: options.stop),
                                         warmStart: true, incumbent: plan)
        if improved.termination == .interrupted { throw PlanningInterrupted() }
        guard improved.termination.hasSolution, program.isFeasible(improved.variableValues),
              program.objectiveValue(of: improved.variableValues) > program.objectiveValue(of: plan)
        else { return plan }
        return improved.variableValues
    }

    /// A plan by diving, for when branch and bound found none in its time (a budget at the edge
    /// of feasibility leaves a thin slice of plans): solve the LP relaxation, fix every account
    /// whose tier it already decides, then fix the least fractional account to its largest tier
    /// that keeps the LP feasible (the next largest when not), and repeat. When no tier of an
    /// account keeps the LP feasible, the tiers fixed only because the LP had decided them are
    /// freed again and the account is fixed against the others. The last LP sets the effort of
    /// the fixed tiers optimally. Nil when an account fits in no tier even so, or at the deadline.
    func dive(_ problem: any SolverSession, _ program: LinearProgram, tiers: [[VariableIndex]?], deadline: Date) throws -> [Double]? {
        func relaxation() throws -> [Double]? {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            let result = try problem.solve(options: SolveOptions(timeLimit: remaining, relaxIntegrality: true,
                                                                 verbose: options.verbose, stop: options.stop))
            if result.termination == .interrupted { throw PlanningInterrupted() }
            return result.termination == .optimal ? result.variableValues : nil
        }
        func fix(_ ys: [VariableIndex], to chosen: Int) throws {
            for (k, y) in ys.enumerated() { try problem.setBounds(of: y, lower: k == chosen ? 1 : 0, upper: k == chosen ? 1 : 0) }
        }
        // Leave the session as found: every tier binary back to the program's bounds.
        defer {
            for y in tiers.compactMap({ $0 }).joined() {
                try? problem.setBounds(of: y, lower: program.variableLowerBounds[y.rawValue],
                                       upper: program.variableUpperBounds[y.rawValue])
            }
        }
        guard var values = try relaxation() else { return nil }
        // Per account: fixed by a branching decision, fixed because the LP decided it, or free.
        enum Decision { case free, followsLP, branched }
        var decided = tiers.map { $0 == nil ? Decision.branched : .free }
        while true {
            var next: (account: Int, order: [Int], top: Double)?
            for a in tiers.indices where decided[a] == .free {
                let ys = tiers[a]!
                let order = ys.indices.sorted { values[ys[$0].rawValue] > values[ys[$1].rawValue] }
                let top = values[ys[order[0]].rawValue]
                if top > 1 - 1e-6 {
                    // The LP point stays feasible: no new solve needed.
                    try fix(ys, to: order[0])
                    decided[a] = .followsLP
                } else if next == nil || top > next!.top {
                    next = (a, order, top)
                }
            }
            guard let next else {
                for ys in tiers.compactMap({ $0 }) { for y in ys { values[y.rawValue] = values[y.rawValue].rounded() } }
                return values
            }
            var solved = try branch(next.account, next.order)
            if solved == nil {
                // Free what only followed the LP, and fit this account in first.
                for a in tiers.indices where decided[a] == .followsLP {
                    for y in tiers[a]! { try problem.setBounds(of: y, lower: 0, upper: 1) }
                    decided[a] = .free
                }
                solved = try branch(next.account, next.order)
            }
            guard let solved else { return nil }
            values = solved
            decided[next.account] = .branched
        }
        /// Fixes `account` to the first tier of `order` that keeps the LP feasible: the LP's values.
        func branch(_ account: Int, _ order: [Int]) throws -> [Double]? {
            for k in order {
                try fix(tiers[account]!, to: k)
                if let solved = try relaxation() { return solved }
                if Date() >= deadline { return nil }
            }
            return nil
        }
    }
}

extension DecompositionSolver {
    /// Prices near `duals` at which every account's best block, all together, keeps every
    /// linking row: each broken row's price raised (in the direction its sign allows) until its
    /// use fits — found by doubling, then a few halvings — over at most four rounds of the rows.
    /// Each account's block stays the best at prices a little off the case's, so the plan they
    /// make loses little; nil when the plan at `duals` breaks nothing or no such prices appear.
    func mendingPrices(_ structure: LinkingStructure, _ duals: [Double]) -> [Double]? {
        let pricing = BlockPricing(structure: structure)
        let senses = structure.senses, rightHandSides = structure.rightHandSides
        func excess(_ usage: [Double], _ i: Int) -> Double {
            let over = senses[i] == .atMost ? usage[i] - rightHandSides[i] : rightHandSides[i] - usage[i]
            return over - 1e-9 * max(1, abs(rightHandSides[i]))
        }
        var prices = duals
        var usage = pricing.price(prices).usage
        guard structure.rowCount > 0, (0..<structure.rowCount).contains(where: { excess(usage, $0) > 0 }) else { return nil }
        for _ in 0..<4 {
            var mended = true
            for i in 0..<structure.rowCount where excess(usage, i) > 0 {
                mended = false
                let direction = senses[i] == .atMost ? 1.0 : -1.0
                func use(at step: Double) -> [Double] {
                    var moved = prices
                    moved[i] += direction * step
                    return pricing.price(moved).usage
                }
                var low = 0.0, high = max(1e-9, 1e-3 * abs(prices[i]))
                var fitting = use(at: high)
                var doublings = 0
                while excess(fitting, i) > 0 {
                    doublings += 1
                    guard doublings <= 60 else { return nil }
                    (low, high) = (high, 4 * high)
                    fitting = use(at: high)
                }
                for _ in 0..<12 {
                    let middle = 0.5 * (low + high), at = use(at: middle)
                    if excess(at, i) > 0 { low = middle } else { (high, fitting) = (middle, at) }
                }
                prices[i] += direction * high
                usage = fitting
            }
            if mended { return prices }
        }
        return (0..<structure.rowCount).contains(where: { excess(usage, $0) > 0 }) ? nil : prices
    }
}
