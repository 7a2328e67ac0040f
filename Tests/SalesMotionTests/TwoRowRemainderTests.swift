// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OutputFiles
@testable import SalesMotion
import SyntheticData
import Testing

/// The two-row remainder bound (issue 11): the budget's money and the share floor's steps at
/// once, searched exactly, with the options of its least (`global-share`).
@Suite struct TwoRowRemainderTests {
    typealias Step = DecompositionSolver.TwoRowStep

    /// `2·|C|` for the combination, and for the budget's sum `A` up to 4 what is left (4 − A),
    /// past 4 none allowed.
    static func penalty(_ c: Double, _ a: Double) -> Double { a > 4 ? .infinity : 2 * abs(c) + (4 - a) }

    static func least(cap: Double) -> (least: Double, choices: [Int]?)? {
        // X: stay, or move 3 of money and 1 step for a loss of 1; Y: stay, or move 2 and 2 steps for 0.5.
        let sets = [[Step(money: 0, multiple: 0, loss: 0), Step(money: 3, multiple: 1, loss: 1)],
                    [Step(money: 0, multiple: 0, loss: 0), Step(money: 2, multiple: 2, loss: 0.5)]]
        return DecompositionSolver.leastTwoRowLoss(sets, remainder: 3, unit: 1, reach: (-cap / 2, cap / 2),
                                                   combination: { 2 * abs($0) }, penalty: Self.penalty, cap: cap)
    }

    /// By hand, from a remainder of 3: none 6 + 4 = 10; X 1 + (C 2, A 3) 4 + 1 = 6; Y 0.5 +
    /// (C 1, A 2) 2 + 2 = 4.5; both C 0 but A 5, past 4: none. The least is Y's 4.5; under a
    /// cap of 4 nothing, the cap.
    @Test func leastByHand() throws {
        let found = try #require(Self.least(cap: 100))
        #expect(abs(found.least - 4.5) < 1e-12)
        #expect(found.choices == [0, 1])
        let capped = try #require(Self.least(cap: 4))
        #expect(capped.least == 4 && capped.choices == nil)
    }

    /// Against every combination, on random small programmes: the least itself (capped), and
    /// its options reach it.
    @Test func theLeastOfEveryCombination() throws {
        var random = SplitMix64(seed: 5)
        func uniform(_ range: ClosedRange<Double>) -> Double { random.uniform(range.lowerBound, range.upperBound) }
        for _ in 0..<300 {
            let sets = (0..<Int(uniform(1...7.99))).map { _ in
                [Step(money: 0, multiple: 0, loss: 0)] + (0..<Int(uniform(1...3.99))).map { _ in
                    Step(money: uniform(-50...50), multiple: Int(uniform(-3...3.99).rounded(.down)), loss: uniform(0...20))
                }
            }
            let (a, b, limit, remainder) = (uniform(0.5...3), uniform(0...2), uniform(-40...60), Double(Int(uniform(-6...6))))
            let unit = uniform(0.5...2)
            func penalty(_ c: Double, _ use: Double) -> Double { use > limit ? .infinity : a * abs(c) + b * (limit - use) }
            var least = Double.infinity
            func visit(_ k: Int, _ n: Int, _ use: Double, _ loss: Double) {
                guard k < sets.count else { least = min(least, loss + penalty(remainder - unit * Double(n), use)); return }
                for option in sets[k] { visit(k + 1, n + option.multiple, use + option.money, loss + option.loss) }
            }
            visit(0, 0, 0, 0)
            let cap = uniform(5...60)
            // Spending less costs b a unit here: states may be dropped as dominated at that rate.
            let dominance = random.next() % 2 == 0 ? b : nil
            let found = try #require(DecompositionSolver.leastTwoRowLoss(sets, remainder: remainder, unit: unit,
                                                                         reach: (-cap / a, cap / a), combination: { a * abs($0) },
                                                                         penalty: penalty, cap: cap, dominance: dominance))
            #expect(abs(found.least - min(least, cap)) < 1e-9, "\(found.least) vs \(least), cap \(cap)")
            if let choices = found.choices {
                let picked = zip(sets, choices).map { $0[$1] }
                let n = picked.reduce(0) { $0 + $1.multiple }, use = picked.reduce(0) { $0 + $1.money }
                let value = picked.reduce(0) { $0 + $1.loss } + penalty(remainder - unit * Double(n), use)
                #expect(abs(value - found.least) < 1e-9 && found.least < cap)
            } else {
                #expect(least >= cap - 1e-9)
            }
        }
    }

    /// On `global-share` instances (the share floor and the budget both priced), below the
    /// optimum by 1e-4 of the decision-dependent part: the two-row bound applies, is never below
    /// the optimum, and the plan its options make is above the threshold.
    @Test(arguments: [UInt64(1), 2, 3])
    func itsPlanOnGlobalShare(_ seed: UInt64) throws {
        let instance = try CoreSearchTests.instance(.globalShare, seed: seed, accounts: 300)
        let (optimum, decisionPart, solver, result) = try DecompositionTests.optimumAndItsCase(instance)
        let priced = BlockPricing(structure: result.structure).price(result.duals, recordChoices: true, recordOptionValues: true)
        let threshold = optimum.netContribution - 1e-4 * decisionPart
        let core = try #require(DecompositionSolver.CoreOptions(priced, threshold: threshold))
        let found = try #require(DecompositionSolver.twoRowRemainderBound(result.structure, prices: result.duals, priced: priced, core: core))
        #expect(found.bound >= optimum.netContribution - 1e-9 * decisionPart, "\(found.bound) vs \(optimum.netContribution)")
        let choices = try #require(found.choices)
        let plan = try #require(try solver.plan(of: choices, result, priced: priced, threshold: threshold, tolerance: 0, timeLimit: 30))
        #expect(plan.objective > threshold && plan.objective <= optimum.netContribution + 1e-9 * decisionPart)
    }
}
