// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

@Suite(.serialized) struct EndToEndTests {
    @Test func sampleSolveWritesAFeasibleConsistentPlan() throws {
        let out = TemporaryFolder()
        let run = try CommandRun.run(["solve", "--out", parentOf(out.path), "--name", nameOf(out.path)])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("Status            optimal"))
        for name in ["plan_accounts.csv", "plan_local.csv", "plan_regions.csv", "summary.json"] {
            #expect(FileManager.default.fileExists(atPath: out.file(name)), "\(name)")
        }
        let accounts = try PlanTable(out.file("plan_accounts.csv"))
        let local = try PlanTable(out.file("plan_local.csv"))
        let regions = try PlanTable(out.file("plan_regions.csv"))
        #expect(accounts.header == ["account_id", "name", "hq_region", "tier", "gam_fte", "central_fte", "exec_hours",
                                    "local_fte", "expected_revenue", "gross_profit", "sales_expense", "net_contribution",
                                    "current_tier", "changed"])
        #expect(local.header == ["account_id", "region", "local_fte", "expected_revenue"])
        #expect(regions.header == ["region", "local_fte", "local_capacity_fte", "local_expense", "expected_revenue",
                                   "shadow_price"])
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.file("summary.json"))))
            as! [String: Any]
        #expect(summary["status"] as? String == "optimal")

        // Recompute every limit of models/standard.toml from the CSVs.
        let model = try AllocationModel.read(from: packageRoot + "/models/standard.toml")
        let dataset = try Dataset.read(from: packageRoot + "/data/sample")
        #expect(accounts.rows.count == dataset.accounts.count)
        let programmeActive = summary["program_active"] as! Bool
        let programmeCost = programmeActive ? model.costs.programmeFixedCost : 0
        let changes = accounts.rows.filter { $0["changed"] == "true" }.count
        let expense = accounts.sum("sales_expense") + programmeCost + Double(changes) * model.transition.changeCost
        let tierCost = accounts.rows.reduce(0) { total, row in
            total + accounts.number(row, "gam_fte") * model.costs.gamFTECost
                + accounts.number(row, "central_fte") * model.costs.centralFTECost
                + accounts.number(row, "exec_hours") * model.costs.execHourCost
        }
        let globalExpense = tierCost + programmeCost
        let revenue = accounts.sum("expected_revenue")
        let tolerance = 1e-6
        #expect(expense <= model.limits.budget! * (1 + tolerance))
        #expect(accounts.sum("gam_fte") <= model.limits.gamHeadcount! + tolerance)
        #expect(accounts.sum("central_fte") <= model.limits.centralFTE! + tolerance)
        #expect(accounts.sum("exec_hours") <= model.limits.execHours! + tolerance)
        #expect(expense <= model.limits.maxCostOfSales! * revenue * (1 + tolerance))
        #expect(globalExpense >= model.limits.globalShare!.lowerBound * expense * (1 - tolerance))
        #expect(globalExpense <= model.limits.globalShare!.upperBound * expense * (1 + tolerance))
        #expect(accounts.rows.filter { accounts.number($0, "gam_fte") > 0 }.count <= model.limits.maxGlobalAccounts!)
        if accounts.rows.contains(where: { accounts.number($0, "gam_fte") > 0 }) { #expect(programmeActive) }
        for row in regions.rows {
            let used = local.rows.filter { $0["region"] == row["region"] }.reduce(0) { $0 + local.number($1, "local_fte") }
            #expect(isApproximatelyEqual(used, regions.number(row, "local_fte"), relative: 1e-9))
            #expect(used <= regions.number(row, "local_capacity_fte") + tolerance)
        }
        // Minimum local coverage of each account's tier, from the raw data.
        for (row, account) in zip(accounts.rows, dataset.accounts) {
            #expect(row["account_id"] == account.id)
            let tier = model.tiers.first { $0.id == row["tier"] }!
            for share in account.footprint {
                let region = dataset.regions[share.region]
                let scale = share.share * (account.revenue + account.growthPotential) / region.productivity
                let fte = local.rows.first { $0["account_id"] == account.id && $0["region"] == region.id }
                    .map { local.number($0, "local_fte") } ?? 0
                #expect(fte >= tier.minLocalCoverage * scale - tolerance, "\(account.id) in \(region.id)")
            }
            #expect(isApproximatelyEqual(accounts.number(row, "net_contribution"),
                                         accounts.number(row, "gross_profit") - accounts.number(row, "sales_expense"),
                                         absolute: 1e-6))
        }
        // The objective is the sum of account contributions less the group-level costs.
        let objective = accounts.sum("net_contribution") - programmeCost - Double(changes) * model.transition.changeCost
        #expect(isApproximatelyEqual(objective, summary["objective"] as! Double, relative: 1e-12))
        #expect(isApproximatelyEqual(expense, summary["sales_expense"] as! Double, relative: 1e-12))
        #expect(isApproximatelyEqual(globalExpense, summary["global_expense"] as! Double, relative: 1e-12))
        #expect(changes == summary["tier_changes"] as! Int)

        // The sample is built so every tier is used and at least two limits bind.
        let tiers = summary["tiers"] as! [String: Int]
        #expect(model.tiers.allSatisfy { (tiers[$0.id] ?? 0) > 0 }, "\(tiers)")
        let limits = summary["limits"] as! [[String: Any]]
        #expect(limits.filter { $0["binding"] as! Bool }.count >= 2)
    }

    @Test func sameInputSameBytes() throws {
        let first = TemporaryFolder(), second = TemporaryFolder()
        #expect(try CommandRun.run(["solve", "--quiet", "--out", parentOf(first.path), "--name", nameOf(first.path)]).status == 0)
        #expect(try CommandRun.run(["solve", "--quiet", "--out", parentOf(second.path), "--name", nameOf(second.path)]).status == 0)
        for name in ["plan_accounts.csv", "plan_local.csv", "plan_regions.csv"] {
            #expect(FileManager.default.contents(atPath: first.file(name)) == FileManager.default.contents(atPath: second.file(name)))
        }
    }

    @Test func exitCodesForInfeasibleAndBadInput() throws {
        let out = TemporaryFolder()
        let infeasible = try CommandRun.run(["solve", "--budget", "1k", "--out", parentOf(out.path), "--name", nameOf(out.path)])
        #expect(infeasible.status == 1)
        #expect(infeasible.output.contains("infeasible"))
        #expect(!FileManager.default.fileExists(atPath: out.file("plan_accounts.csv")))
        let summary = try String(contentsOfFile: out.file("summary.json"), encoding: .utf8)
        #expect(summary.contains("\"status\": \"infeasible\""))

        let empty = TemporaryFolder()
        let bad = try CommandRun.run(["solve", "--set", "limits.budgte=3", "--out", parentOf(empty.path + "/new"), "--name", nameOf(empty.path + "/new")])
        #expect(bad.status == 2)
        #expect(bad.errors.contains("--set: limits.budgte: unknown key 'budgte' in [limits] (did you mean 'budget'?)"))
        #expect(!FileManager.default.fileExists(atPath: empty.path + "/new"))

        let missing = try CommandRun.run(["validate", "--data", empty.path])
        #expect(missing.status == 2)
        #expect(missing.errors.contains("accounts.csv: file not found"))
    }

    @Test func exportWritesLPAndMPS() throws {
        let out = TemporaryFolder()
        #expect(try CommandRun.run(["export", "--format", "lp", "--output", out.file("m.lp")]).status == 0)
        #expect(try CommandRun.run(["export", "--format", "mps", "--output", out.file("m.mps")]).status == 0)
        let lp = try String(contentsOfFile: out.file("m.lp"), encoding: .utf8)
        #expect(lp.contains("Maximize"))
        #expect(lp.contains("budget"))
        #expect(FileManager.default.fileExists(atPath: out.file("m.mps")))
    }

    /// The exported LP and MPS files are the program itself: glpsol solves each to the
    /// optimum `solve` finds, less the constant part the files leave out (`fixed_part`).
    @Test(.enabled(if: glpsolPath != nil, "glpsol is not installed (apt-get install glpk-utils)"),
          arguments: [[], ["--set", "limits.global_share=[0.15, 0.4]", "--set", "transition.max_changes=12"]])
    func exportedProgramsSolveToTheSameOptimum(_ variant: [String]) throws {
        let out = TemporaryFolder()
        let exact = ["--set", "solver.mip_gap=0"] + variant
        #expect(try CommandRun.run(["solve", "--quiet", "--out", parentOf(out.path + "/plan"), "--name", nameOf(out.path + "/plan")] + exact).status == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.path + "/plan/summary.json")))
            as! [String: Any]
        let gap = try #require(summary["mip_gap"] as? [String: Any])
        let expected = (summary["objective"] as! Double) - (gap["fixed_part"] as! Double)
        // MPS has no standard objective sense: the export is a minimisation of the negated
        // objective, so that any reader (glpsol without --max, SCIP, HiGHS) solves the right problem.
        for (format, reader, digits, sign) in [("lp", ["--lp"], 1e-9, 1.0), ("mps", ["--freemps"], 1e-8, -1.0)] {
            let file = out.file("model." + format)
            #expect(try CommandRun.run(["export", "--format", format, "--output", file] + variant).status == 0)
            let run = try CommandRun.run(reader + [file, "--mipgap", "0", "-o", out.file(format + ".sol")], executable: glpsolPath!)
            #expect(run.output.contains("INTEGER OPTIMAL SOLUTION FOUND"), "\(run.output)")
            let solution = try String(contentsOfFile: out.file(format + ".sol"), encoding: .utf8)
            let line = try #require(solution.split(separator: "\n").first { $0.hasPrefix("Objective:") })
            let value = try #require(line.split(separator: "=").last.flatMap { Double($0.split(separator: " ")[0]) })
            #expect(isApproximatelyEqual(sign * value, expected, relative: digits), "\(format): \(value) vs \(expected)")
        }
    }

    /// Two routes, one answer: glpsol on models/allocation.mod with the exported data must
    /// reach the same optimal net contribution as `salesmotion solve`, on the sample and on
    /// variants that make other limits bind.
    @Test(.enabled(if: glpsolPath != nil, "glpsol is not installed (apt-get install glpk-utils)"),
          arguments: [
            [],
            ["--budget", "20M"],
            ["--set", "limits.gam_headcount=none", "--set", "limits.max_global_accounts=3"],
            ["--set", "limits.global_share=[0.15, 0.2]"],
            ["--set", "limits.max_cost_of_sales=0.011", "--set", "limits.budget=none"],
            ["--set", "transition.max_changes=12", "--set", "costs.program_fixed_cost=5M"],
            ["--pin", "A001=total", "--pin", "A010=local", "--set", "tier.coordinated.min_fit=0.9"],
          ])
    func glpsolOnTheMathProgModelAgrees(_ variant: [String]) throws {
        let out = TemporaryFolder()
        let exact = ["--set", "solver.mip_gap=0"] + variant
        let solve = try CommandRun.run(["solve", "--quiet", "--out", parentOf(out.path), "--name", nameOf(out.path)] + exact)
        #expect(solve.status == 0, "\(solve.errors)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.file("summary.json"))))
            as! [String: Any]
        let ours = try #require(summary["objective"] as? Double)
        #expect(try CommandRun.run(["export", "--format", "gmpl", "--output", out.file("instance.dat")] + variant).status == 0)
        let glpsol = try CommandRun.run(["-m", packageRoot + "/models/allocation.mod", "-d", out.file("instance.dat"),
                                         "--mipgap", "0"], executable: glpsolPath!)
        #expect(glpsol.output.contains("INTEGER OPTIMAL SOLUTION FOUND"), "\(glpsol.output)")
        let line = glpsol.output.split(separator: "\n").first { $0.hasPrefix("NET_CONTRIBUTION ") }
        let theirs = try #require(line.flatMap { Double($0.split(separator: " ")[1]) })
        #expect(isApproximatelyEqual(ours, theirs, relative: 1e-9), "ours \(ours), glpsol \(theirs)")
    }
}

@Suite struct DecompositionEndToEndTests {
    /// Above the automatic threshold `solve` decomposes; glpsol on models/allocation.mod solves
    /// the same generated instance whole. The two must agree within the configured gap of the
    /// decision-dependent part (and the decomposition cannot beat the true optimum).
    @Test(.enabled(if: glpsolPath != nil, "glpsol is not installed (apt-get install glpk-utils)"))
    func glpsolAgreesWithTheDecomposition() throws {
        let folder = TemporaryFolder()
        #expect(try CommandRun.run(["generate", "--accounts", "700", "--regions", "5", "--seed", "9",
                                    "--out", folder.path + "/data"]).status == 0)
        let data = folder.path + "/data", model = folder.path + "/data/model.toml"
        let solve = try CommandRun.run(["solve", "--quiet", "--data", data, "--model", model, "--out", parentOf(folder.path + "/out"), "--name", nameOf(folder.path + "/out")])
        #expect(solve.status == 0, "\(solve.errors)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path + "/out/summary.json")))
            as! [String: Any]
        #expect((summary["solver_status"] as! String).hasPrefix("decomposition"))
        let ours = summary["objective"] as! Double
        let gap = summary["mip_gap"] as! [String: Any]
        let fixed = gap["fixed_part"] as! Double, configured = gap["configured"] as! Double
        #expect(try CommandRun.run(["export", "--data", data, "--model", model, "--format", "gmpl",
                                    "--output", folder.path + "/instance.dat"]).status == 0)
        let glpsol = try CommandRun.run(["-m", packageRoot + "/models/allocation.mod", "-d", folder.path + "/instance.dat",
                                         "--mipgap", "1e-9"], executable: glpsolPath!)
        let line = glpsol.output.split(separator: "\n").first { $0.hasPrefix("NET_CONTRIBUTION ") }
        let theirs = try #require(line.flatMap { Double($0.split(separator: " ")[1]) })
        let decision = abs(theirs - fixed)
        #expect(ours <= theirs + 1e-9 * decision)
        #expect(theirs - ours <= configured * decision, "ours \(ours), glpsol \(theirs)")
    }
}
