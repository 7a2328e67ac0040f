// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OutputFiles
@testable import SalesMotion
import SyntheticData
import Testing

/// The remainder bound (issue 11): a knapsack over the tier costs' steps in a combination of
/// rows without effort, which the Lagrangian bound spreads fractionally.
@Suite struct RemainderBoundTests {
    typealias Step = DecompositionSolver.RemainderStep

    /// A remainder above zero costs `up` a unit, below zero `down`.
    static func penalty(up: Double, down: Double) -> (Double) -> Double {
        { $0 > 0 ? $0 * up : $0 < 0 ? -$0 * down : 0 }
    }

    static func least(_ remainder: Double, up: Double, down: Double = .infinity, cap: Double = 100) -> Double? {
        // A: stay (0) or move 3 for a loss of 1; B: stay or move 5 for a loss of 2.
        let steps = [[Step(step: 0, loss: 0), Step(step: 3, loss: 1)], [Step(step: 0, loss: 0), Step(step: 5, loss: 2)]]
        return DecompositionSolver.leastRemainderLoss(steps, remainder: remainder, penalty: Self.penalty(up: up, down: down), cap: cap,
                                                      tolerance: 1e-9)
    }

    /// By hand, with a remainder above zero costing 10 a unit and none below allowed:
    /// remainder 8 — none 80, A 1 + 50, B 2 + 30, both 3 + 0: 3. Remainder 9 — 90, 61, 42,
    /// 3 + 10: 13. Remainder 7 with 4 a unit below zero — 70, 1 + 40, 2 + 20, 3 + 4: 7, and
    /// without a way below zero, B's 22. Nothing below a cap of 5: the cap.
    @Test func knapsackByHand() throws {
        // (A remainder within the 1e-9 tolerance of zero counts as zero: 1e-8 less at most.)
        for (found, expected) in [(Self.least(8, up: 10), 3.0), (Self.least(9, up: 10), 13), (Self.least(7, up: 10, down: 4), 7),
                                  (Self.least(7, up: 10), 22), (Self.least(9, up: 10, cap: 5), 5)] {
            let value = try #require(found)
            #expect(value <= expected && value > expected - 1e-7, "\(value) vs \(expected)")
        }
    }

    /// The tiers' steps of global expense in the `global-share` profile (98,500, 253,000,
    /// 520,000) have 500 in common; steps without a common one give no programme.
    @Test func commonSteps() {
        let step = DecompositionSolver.commonStep(DecompositionSolver.commonStep(98_500, 253_000, tolerance: 1e-6), 520_000,
                                                  tolerance: 1e-6)
        #expect(abs(step - 500) < 1e-6)
        // 98,500 × 3 + 253,000 = 548,500: from a remainder of 548,700 the least is 200 above zero.
        let steps = [[Step(step: 0, loss: 0), Step(step: 98_500, loss: 0)], [Step(step: 0, loss: 0), Step(step: 98_500, loss: 0)],
                     [Step(step: 0, loss: 0), Step(step: 98_500, loss: 0)], [Step(step: 0, loss: 0), Step(step: 253_000, loss: 0)]]
        #expect(DecompositionSolver.leastRemainderLoss(steps, remainder: 548_700, penalty: Self.penalty(up: 1, down: .infinity),
                                                       cap: 1e9, tolerance: 1e-6).map { abs($0 - 200) < 1e-6 } == true)
        let incommensurable = [[Step(step: 0, loss: 0), Step(step: 1, loss: 0)], [Step(step: 0, loss: 0), Step(step: 2.0.squareRoot(), loss: 0)]]
        #expect(DecompositionSolver.leastRemainderLoss(incommensurable, remainder: 0, penalty: Self.penalty(up: 1, down: 1), cap: 1e9,
                                                       tolerance: 1e-9) == nil)
    }

    /// A bound never below the whole program's optimum, on instances whose share band, GAM
    /// headcount or change limit binds (the rows effort does not enter, alone or combined), and
    /// one that bites where the share floor binds.
    @Test(arguments: [(ProfileDataset.Profile.globalShare, UInt64(1)), (.globalShare, 2), (.globalShare, 3),
                      (.gamHeadcount, 1), (.maxChanges, 1)])
    func neverBelowTheOptimum(_ profile: ProfileDataset.Profile, _ seed: UInt64) throws {
        let instance = try CoreSearchTests.instance(profile, seed: seed, accounts: 300)
        let (optimum, decisionPart, solver, result) = try DecompositionTests.optimumAndItsCase(instance)
        #expect(!DecompositionSolver.effortFreeCombinations(result.structure, prices: result.duals).isEmpty)
        for below in [1e-6, 1e-4, 1e-2] {
            let threshold = optimum.netContribution - below * decisionPart
            guard let bound = solver.remainderBound(result, threshold: threshold) else { continue }
            #expect(bound >= optimum.netContribution - 1e-9 * decisionPart, "\(bound) vs \(optimum.netContribution)")
            #expect(bound <= result.bound + 1e-6 * decisionPart)
            // Where the share floor binds the steps cost something the LP bound does not see
            // (0.17 % to 1.5 % of the decision-dependent part on these three).
            if profile == .globalShare { #expect(bound < result.bound - 1e-4 * decisionPart, "\(bound) vs \(result.bound)") }
        }
    }
}

/// The money remainder bound (issue 11): the budget alone priced, effort paying for what the
/// tier choices leave (`near-ties`, where the plans must find counts whose costs add up).
@Suite struct MoneyRemainderTests {
    typealias Step = DecompositionSolver.RemainderStep
    typealias Rate = DecompositionSolver.Rate

    /// Adding costs 0.5 a unit for 10 units, then 2 (capped at the slack's price, 1) for 5, then
    /// slack at 1; removing costs 3 a unit for 10 units, and no more can be won back.
    static let penalty = DecompositionSolver.MoneyPenalty(add: [Rate(rate: 2, room: 5), Rate(rate: 0.5, room: 10)],
                                                          remove: [Rate(rate: 3, room: 10)], price: 1)

    /// By hand: 4 → 2; 12 → 5 + 2; 20 → 5 + 5 + 5 (past the segments, slack); −4 → 12;
    /// −11 → none (+∞); 0 → 0; the least over an interval is at its point nearest zero.
    @Test func penaltyByHand() {
        let pen = Self.penalty
        for (delta, expected) in [(4.0, 2.0), (12, 7), (20, 15), (-4, 12), (0, 0)] {
            #expect(abs(pen(delta) - expected) < 1e-12, "pen(\(delta)) = \(pen(delta))")
        }
        #expect(pen(-11) == .infinity)
        #expect(pen.least(-2, 3) == 0)
        #expect(abs(pen.least(4, 9) - 2) < 1e-12)
        #expect(abs(pen.least(-9, -4) - 12) < 1e-12)
        // How far a remainder may go under a cap: 7 is pen(12); 20 is 10 past the segments' 15
        // (whose 10 cost 10) at the slack's 1; below zero 12 is pen(−4), and no cap reaches past 10.
        for (cap, upward, expected) in [(7.0, true, 12.0), (20, true, 25), (12, false, 4), (100, false, 10)] {
            #expect(abs(pen.reach(under: cap, upward: upward) - expected) < 1e-12, "\(cap) \(upward)")
        }
    }

    /// By hand: A moves −30 for a loss of 1, B −50 for 2. Overspent by 80: both, 3 (alone, A
    /// leaves 50 and B 30 to win back from effort, past its 10 units). Overspent by 30: A, 1 (B
    /// 2 + pen(20) = 17). Overspent by 40: none +∞, A 1 + pen(−10) = 31, B 2 + pen(10) = 7,
    /// both 3 + pen(40) = 3 + 5 + 5 + 25 = 38: 7.
    @Test func knapsackByHand() throws {
        let sets = [[Step(step: 0, loss: 0), Step(step: -30, loss: 1)], [Step(step: 0, loss: 0), Step(step: -50, loss: 2)]]
        for (remainder, expected) in [(-80.0, 3.0), (-30, 1), (-40, 7)] {
            let least = try #require(DecompositionSolver.leastMoneyLoss(sets, remainder: remainder, penalty: Self.penalty, cap: 1e9))
            #expect(least <= expected && least > expected - 1e-6, "\(remainder): \(least) vs \(expected)")
        }
        // Nothing below the cap: the cap.
        #expect(DecompositionSolver.leastMoneyLoss(sets, remainder: -40, penalty: Self.penalty, cap: 5) == 5)
    }

    /// Against every combination, on random small programmes with real-valued steps: never
    /// above the least (a lower bound), and within the buckets' rounding of it.
    @Test func neverAboveEveryCombination() throws {
        var random = SplitMix64(seed: 11)
        func uniform(_ range: ClosedRange<Double>) -> Double { random.uniform(range.lowerBound, range.upperBound) }
        for _ in 0..<200 {
            let sets = (0..<Int(uniform(1...7))).map { _ in
                [Step(step: 0, loss: 0)] + (0..<Int(uniform(1...3.99))).map { _ in Step(step: uniform(-100...100), loss: uniform(0...20)) }
            }
            let penalty = DecompositionSolver.MoneyPenalty(add: [Rate(rate: uniform(0...2), room: uniform(0...50)), Rate(rate: uniform(0...2), room: uniform(0...50))],
                                                           remove: [Rate(rate: uniform(0...2), room: uniform(0...80))], price: uniform(0.1...3))
            let remainder = uniform(-150...150)
            var least = Double.infinity
            func visit(_ k: Int, _ sum: Double, _ loss: Double) {
                guard k < sets.count else { least = min(least, loss + penalty(remainder - sum)); return }
                for option in sets[k] { visit(k + 1, sum + option.step, loss + option.loss) }
            }
            visit(0, 0, 0)
            let cap = 1e6
            let found = try #require(DecompositionSolver.leastMoneyLoss(sets, remainder: remainder, penalty: penalty, cap: cap))
            #expect(found <= min(least, cap) + 1e-9, "\(found) vs \(least)")
            #expect(found >= min(least, cap) - 1e-3, "\(found) vs \(least)")
        }
    }

    /// A bound never below the whole program's optimum, nor above the Lagrangian one, where only
    /// the budget binds (the near-ties copies in counts, and two profiles of accounts all different).
    @Test(arguments: [(ProfileDataset.Profile.nearTies, UInt64(4), 200), (.nearTies, 7, 200), (.market, 3, 300), (.heavyTail, 1, 300)])
    func neverBelowTheOptimum(_ profile: ProfileDataset.Profile, _ seed: UInt64, _ accounts: Int) throws {
        let instance = try CoreSearchTests.instance(profile, seed: seed, accounts: accounts)
        let (optimum, decisionPart, solver, result) = try DecompositionTests.optimumAndItsCase(instance)
        #expect(DecompositionSolver.moneyRow(result.structure, prices: result.duals) != nil)
        for below in [1e-6, 1e-4, 1e-2] {
            let threshold = optimum.netContribution - below * decisionPart
            guard let bound = solver.remainderBound(result, threshold: threshold) else { continue }
            #expect(bound >= optimum.netContribution - 1e-9 * decisionPart, "\(bound) vs \(optimum.netContribution)")
            #expect(bound <= result.bound + 1e-6 * decisionPart)
        }
    }
}
