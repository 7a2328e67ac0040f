// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

@Suite struct HardProblemTests {
    /// Many accounts whose premium tier needs a different amount of paid local coverage: the
    /// budget row becomes a strongly correlated knapsack (each account's gain from premium is its
    /// cost plus 10k), the classic hard case for branch and bound at gap 0.
    /// Premium costs w = 100k + 0.5·s·100k with s = revenue/10M; it gains
    /// 0.5·revenue·competition·0.5 in gross profit, so competition = (2w + 10k)/(0.25·revenue).
    static func knapsackInstance(accounts count: Int, timeLimit: Double) throws -> AllocationInstance {
        var numbers = SeededNumbers(seed: 7)
        let region = Region(id: "R", localCapacityFTE: 1e6, localFTECost: 100_000, productivity: 10_000_000)
        var totalWeight = 0.0
        let accounts = (0..<count).map { i -> Account in
            let revenue = 5e6 + 45e6 * numbers.next()
            let weight = 100_000 + 0.5 * revenue / 10_000_000 * 100_000
            totalWeight += weight
            return Account(id: "A\(i)", headquarters: 0, revenue: revenue, margin: 0.5, growthPotential: 0,
                           competition: (weight + weight + 10_000) / (0.25 * revenue))
        }
        var premium = TinyInstanceTests.premium
        premium.minLocalCoverage = 0.5
        let model = AllocationModel(tiers: [TinyInstanceTests.local, premium], costs: CostRates(gamFTECost: 100_000),
                                    limits: Limits(budget: (totalWeight / 2).rounded()),
                                    solver: SolverSettings(mipGap: 0, timeLimit: timeLimit))
        return try AllocationInstance(dataset: Dataset(accounts: accounts, regions: [region]), model: model)
    }

    /// A first solve to a loose gap gives a plan quickly; the second, at gap 0 with a one-second
    /// limit, starts from that plan (so a busy machine cannot leave it without one) and must stop
    /// at the limit, returning the best plan found with its bound and gap.
    @Test func aTimeLimitReturnsTheBestPlanWithItsGap() throws {
        let instance = try Self.knapsackInstance(accounts: 400, timeLimit: 30)
        let session = try WhatIfSession(instance: instance, options: .glpk)
        try session.set(try WhatIfKey("solver.mip_gap"), to: 0.05)
        #expect(try session.solve().plan != nil)
        try session.set(try WhatIfKey("solver.mip_gap"), to: 0)
        try session.set(try WhatIfKey("solver.time_limit"), to: 1)
        let result = try session.solve()
        #expect(result.status == .timeLimit, "\(result.rawStatus)")
        let plan = try #require(result.plan)
        #expect(plan.salesExpense <= instance.model.limits.budget! * (1 + 1e-9))
        let bound = try #require(result.bestBound)
        #expect(bound >= plan.netContribution - 1e-6)
        #expect((result.relativeGap ?? 0) > 0)
    }

    /// The capacity instance of ``TinyInstanceTests`` with money scaled up 1000-fold and effort
    /// down 100-fold, plus a 1e10 revenue base: revenues of 1e10 beside FTE of 0.01.
    /// P: growth 1e10, productivity 1e12, s = 0.01 FTE; Q: growth 2e10, s = 0.02 FTE; capacity
    /// 0.015 FTE at 1e8 per FTE. As before P fills its 0.01 FTE and Q takes 0.005:
    /// 0.5·1e10·c − 1e6 + 0.005·(0.3·2e10·c/0.02 − 1e8) = 6.5e9·c − 1.5e6, plus the kept base
    /// 0.5·1e10 of a third account R0 with no local potential.
    @Test func awkwardScalesStillSolveExactly() throws {
        let c = 1 - exp(-1.0)
        let region = Region(id: "R", localCapacityFTE: 0.015, localFTECost: 1e8, productivity: 1e12)
        let accounts = [
            Account(id: "P", headquarters: 0, revenue: 0, margin: 0.5, growthPotential: 1e10),
            Account(id: "Q", headquarters: 0, revenue: 0, margin: 0.3, growthPotential: 2e10),
            Account(id: "R0", headquarters: 0, revenue: 1e10, margin: 0.5, growthPotential: 0),
        ]
        let model = AllocationModel(tiers: [TinyInstanceTests.local], breakpoints: [1.0], solver: SolverSettings(mipGap: 0))
        let (result, _) = try TinyInstanceTests.solve(accounts, model: model, regions: [region])
        let plan = try #require(result.plan)
        // R0 keeps revenue·(1 − 0·…) = 1e10 at margin 0.5.
        #expect(isApproximatelyEqual(plan.netContribution, 6.5e9 * c - 1.5e6 + 5e9, relative: 1e-12))
        #expect(abs(plan.accounts[0].localFTE - 0.01) < 1e-12)
        #expect(abs(plan.accounts[1].localFTE - 0.005) < 1e-12)
        #expect(isApproximatelyEqual(plan.regions[0].shadowPrice, 3e11 * c - 1e8, relative: 1e-9))
    }
}
