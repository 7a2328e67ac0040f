// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

@Suite struct CompareTests {
    /// The tiny instance of ``TinyInstanceTests``: without a budget X and Y are both premium
    /// (7.1M); with budget 200k only X keeps premium and Y drops to local, worth
    /// 2.0M instead of 2.3M. So exactly one account moves, Y, by −0.3M, and the objective
    /// falls by 0.3M.
    @Test func tighterBudgetListsExactlyTheAccountsThatMove() throws {
        let accounts = [TinyInstanceTests.account("X", revenue: 10e6), TinyInstanceTests.account("Y", revenue: 5e6)]
        var model = AllocationModel(tiers: [TinyInstanceTests.local, TinyInstanceTests.premium],
                                    costs: CostRates(gamFTECost: 200_000), solver: SolverSettings(mipGap: 0))
        let (free, freeInstance) = try TinyInstanceTests.solve(accounts, model: model)
        model.limits.budget = 200_000
        let (tight, tightInstance) = try TinyInstanceTests.solve(accounts, model: model)
        let comparison = PlanComparison(before: freeInstance, beforePlan: free.plan!, after: tightInstance,
                                        afterPlan: tight.plan!)
        let changes = comparison.accountChanges
        #expect(changes.map { freeInstance.dataset.accounts[$0.account].id } == ["Y"])
        #expect(changes[0].tierBefore == 1 && changes[0].tierAfter == 0)
        #expect(isApproximatelyEqual(changes[0].delta, -300_000))
        let objective = comparison.figures.first { $0.name == "objective" }!
        #expect(isApproximatelyEqual(objective.delta, -300_000))
        #expect(comparison.figures.first { $0.name == "tier.premium" }!.delta == -1)

        let folder = TemporaryFolder()
        try comparison.write(to: folder.path)
        let csv = try String(contentsOfFile: folder.file("compare_accounts.csv"), encoding: .utf8)
        #expect(csv == """
            account_id,name,tier_before,tier_after,local_fte_before,local_fte_after,net_contribution_before,net_contribution_after,delta_net_contribution
            Y,Y,premium,local,0,0,2300000,2000000,-300000

            """)
    }

    @Test func aModelComparedWithItselfChangesNothing() throws {
        let out = TemporaryFolder()
        let run = try CommandRun.run(["compare", "--out", out.path])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("No account changes tier or local effort."))
        let accounts = try String(contentsOfFile: out.file("compare_accounts.csv"), encoding: .utf8)
        #expect(accounts.split(separator: "\n").count == 1)
        let summary = try PlanTable(out.file("compare_summary.csv"))
        #expect(summary.rows.allSatisfy { summary.number($0, "delta") == 0 })
    }

    /// Today's handling keeps every current tier. Without group limits, today's plan is one of
    /// the plans the optimiser may choose (zero changes, so no change cost), so the optimum is
    /// at least as good.
    @Test func todayAgainstTheOptimumWithoutLimits() throws {
        let out = TemporaryFolder()
        let run = try CommandRun.run(["compare", "--today", "--out", out.path,
                                      "--against", packageRoot + "/models/standard.toml",
                                      "--set", "limits.budget=none", "--set", "limits.gam_headcount=none",
                                      "--set", "limits.central_fte=none", "--set", "limits.exec_hours=none",
                                      "--set", "limits.max_cost_of_sales=none", "--set", "limits.max_global_accounts=none",
                                      "--set", "limits.global_share=none"])
        #expect(run.status == 0, "\(run.errors)")
        let summary = try PlanTable(out.file("compare_summary.csv"))
        let objective = summary.rows.first { $0["figure"] == "objective" }!
        #expect(summary.number(objective, "delta") >= 0)
    }
}
