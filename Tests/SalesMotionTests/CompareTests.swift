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
            account_id,name,change,tier_before,tier_after,local_fte_before,local_fte_after,net_contribution_before,net_contribution_after,delta_net_contribution
            Y,Y,tier,premium,local,0,0,2300000,2000000,-300000

            """)
    }

    @Test func aModelComparedWithItselfChangesNothing() throws {
        let out = TemporaryFolder()
        let run = try CommandRun.run(["compare", "--out", parentOf(out.path), "--name", nameOf(out.path)])
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
        let run = try CommandRun.run(["compare", "--today", "--out", parentOf(out.path), "--name", nameOf(out.path),
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

    /// Issue 10, finding 1: without current tiers there is no "today" to compare with.
    @Test func todayNeedsCurrentTiers() throws {
        let data = TemporaryFolder()
        for name in ["regions.csv", "footprint.csv"] {
            try FileManager.default.copyItem(atPath: packageRoot + "/data/sample/" + name, toPath: data.file(name))
        }
        let accounts = try String(contentsOfFile: packageRoot + "/data/sample/accounts.csv", encoding: .utf8)
        let withoutColumn = accounts.split(separator: "\n").map { line in line.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }
        data.write("accounts.csv", withoutColumn.joined(separator: "\n") + "\n")
        let run = try CommandRun.run(["compare", "--today", "--data", data.path, "--out", data.path + "/out"])
        #expect(run.status == 2, "\(run.output)")
        #expect(run.errors.contains("--today: accounts.csv has no current_tier; today's handling is known only when every account has one"),
                "\(run.errors)")
    }

    /// Issue 10, finding 2: today's handling keeps every limit in the comparison and says which
    /// it breaks (today spends 32,899,196 against the 28M budget and needs 9.5 GAM FTE against
    /// 6), and the headline difference is reconciled: accounts, programme, tier changes.
    @Test func todayIsComparedUnderEveryLimitAndReconciled() throws {
        let out = TemporaryFolder()
        let run = try CommandRun.run(["compare", "--today", "--out", parentOf(out.path), "--name", nameOf(out.path)])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("with local effort re-optimised for those tiers"))
        #expect(run.output.contains("Today breaks 3 limits: budget (32,899,196 against 28,000,000, by 4,899,196); gam_headcount (9.5 against 6, by 3.5)"),
                "\(run.output)")
        let summary = try PlanTable(out.file("compare_summary.csv"))
        func figure(_ name: String) -> [String: String]? { summary.rows.first { $0["figure"] == name } }
        let budget = try #require(figure("budget.used"))
        #expect(summary.number(budget, "after") <= 28_000_000 * (1 + 1e-12))
        #expect(summary.number(try #require(figure("budget.broken_by")), "before") > 0)
        #expect(figure("gam_headcount.used") != nil)
        let objective = summary.number(try #require(figure("objective")), "delta")
        let accounts = summary.number(try #require(figure("reconciliation.accounts_net_contribution")), "delta")
        let programme = summary.number(try #require(figure("reconciliation.programme_cost")), "delta")
        let changes = summary.number(try #require(figure("reconciliation.tier_change_cost")), "delta")
        #expect(isApproximatelyEqual(objective, accounts - programme - changes, relative: 1e-12))
        #expect(changes == 1_150_000)
        // The printed headline adds up as printed.
        let headline = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("Net contribution ") })
        let numbers = headline.split(separator: " ").compactMap { Double($0.replacingOccurrences(of: ",", with: "")) }
        #expect(numbers.count == 4 && numbers[0] == numbers[1] - numbers[2] - numbers[3], "\(headline)")
    }

    /// Today's local FTE come from footprint.csv's current_local_fte when it is there.
    @Test func todayTakesLocalEffortFromTheData() throws {
        let data = TemporaryFolder()
        for name in ["regions.csv", "accounts.csv"] {
            try FileManager.default.copyItem(atPath: packageRoot + "/data/sample/" + name, toPath: data.file(name))
        }
        let footprint = try String(contentsOfFile: packageRoot + "/data/sample/footprint.csv", encoding: .utf8)
        var lines = footprint.split(separator: "\n").enumerated().map { index, line in
            String(line) + (index == 0 ? ",current_local_fte" : ",0.25")
        }
        // Accounts without footprint rows buy only in their HQ region: list them so that every
        // pair has today's FTE.
        let listed = Set(lines.dropFirst().map { String($0.prefix { $0 != "," }) })
        let sample = try sampleInstance()
        for account in sample.dataset.accounts where !listed.contains(account.id) {
            lines.append("\(account.id),\(sample.dataset.regions[account.headquarters].id),1,0.25")
        }
        data.write("footprint.csv", lines.joined(separator: "\n") + "\n")
        let instance = try AllocationInstance.load(dataFolder: data.path, modelFile: packageRoot + "/models/standard.toml")
        let today = try AllocationPlanner.today(instance, options: .glpk)
        #expect(today.localEffortFromData)
        for (a, staffing) in today.plan.accounts.enumerated() {
            #expect(instance.model.tiers[staffing.tier].id == instance.dataset.accounts[a].currentTier)
            #expect(staffing.local.allSatisfy { $0.localFTE == 0.25 })
        }
    }

    /// Issue 10, finding 5: a budget cut that moves no tier says so — "0 accounts change tier" —
    /// and lists the local-effort moves apart (it used to say "29 accounts change" with rows
    /// reading "local → local").
    @Test func effortMovesAreNotCalledTierChanges() throws {
        let out = TemporaryFolder()
        let run = try CommandRun.run(["compare", "--budget", "24M", "--out", parentOf(out.path), "--name", nameOf(out.path)])
        #expect(run.status == 0, "\(run.errors)")
        let comparison = run.output
        #expect(comparison.contains("0 accounts change tier; "), "\(comparison)")
        #expect(!comparison.contains("Tier moves"))
        #expect(comparison.contains("Local effort moves (same tier)"))
        let accounts = try PlanTable(out.file("compare_accounts.csv"))
        #expect(accounts.rows.allSatisfy { $0["change"] == "local effort" && $0["tier_before"] == $0["tier_after"] })
    }
}
