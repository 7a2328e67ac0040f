// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

/// Named GAM portfolios (portfolios.md) on instances solved by hand, both ways (the whole
/// program and the decomposition).
///
/// The set-up of `TinyInstanceTests` (no growth potential, margin 0.5, competition 0.4; "local"
/// keeps 0.8·revenue), with GAM FTE at 200k: X (10M), Y (5M), Z (8M).
@Suite struct PortfolioTests {
    typealias Tiny = TinyInstanceTests

    static func solve(_ accounts: [Account], gams: [GlobalAccountManager], model: AllocationModel,
                      regions: [Region] = [Tiny.region], method: SolutionMethod) throws -> (StaffingPlan, AllocationInstance) {
        var model = model
        model.solver.mipGap = 0
        let instance = try AllocationInstance(dataset: Dataset(accounts: accounts, regions: regions, gams: gams), model: model)
        var options = PlanningOptions.glpk
        options.method = method
        let result = try AllocationPlanner.solve(instance, options: options)
        #expect(result.status == .optimal)
        return (result.plan!, instance)
    }

    /// The packing case (below): X (10M), Y (5M), Z (8M); premium needs 0.75 GAM FTE at 200k;
    /// two alike GAMs, G1 and G2, of 1.2 FTE in R; gap 0.
    static func packingCase() -> (Dataset, AllocationModel) {
        var premium = Tiny.premium
        premium.gamFTE = 0.75
        var model = AllocationModel(tiers: [Tiny.local, premium], costs: CostRates(gamFTECost: 200_000))
        model.solver.mipGap = 0
        let dataset = Dataset(accounts: [Tiny.account("X", revenue: 10e6), Tiny.account("Y", revenue: 5e6), Tiny.account("Z", revenue: 8e6)],
                              regions: [Tiny.region],
                              gams: [GlobalAccountManager(id: "G1", homeRegion: 0, capacityFTE: 1.2),
                                     GlobalAccountManager(id: "G2", homeRegion: 0, capacityFTE: 1.2)])
        return (dataset, model)
    }

    static func leads(_ plan: StaffingPlan, _ instance: AllocationInstance) -> [String: String] {
        var leads: [String: String] = [:]
        for staffing in plan.accounts { leads[instance.dataset.accounts[staffing.account].id] = staffing.leadGAM.map { instance.dataset.gams[$0].id } }
        return leads
    }

    /// Premium needs 0.75 GAM FTE (150k): X 5.0M − 0.15M = 4.85M (+0.85M over local 4.0M),
    /// Y 2.35M (+0.35M over 2.0M), Z 3.85M (+0.65M over 3.2M). Two GAMs of 1.2 FTE each hold 2.4
    /// FTE, more than the 2.25 three premium accounts need, but one person cannot carry two
    /// (1.5 > 1.2): only two accounts go premium, X and Z, one per GAM: 4.85 + 2.0 + 3.85 = 10.7M.
    /// With the same 2.4 FTE as a headcount and no names, all three would: 11.05M.
    @Test(arguments: [SolutionMethod.monolithic, .decomposition])
    func peopleAreNotFractions(_ method: SolutionMethod) throws {
        var premium = Tiny.premium
        premium.gamFTE = 0.75
        let model = AllocationModel(tiers: [Tiny.local, premium], costs: CostRates(gamFTECost: 200_000))
        let accounts = [Tiny.account("X", revenue: 10e6), Tiny.account("Y", revenue: 5e6), Tiny.account("Z", revenue: 8e6)]
        let gams = [GlobalAccountManager(id: "G1", homeRegion: 0, capacityFTE: 1.2), GlobalAccountManager(id: "G2", homeRegion: 0, capacityFTE: 1.2)]
        let (plan, instance) = try Self.solve(accounts, gams: gams, model: model, method: method)
        #expect(isApproximatelyEqual(plan.netContribution, 10_700_000))
        let leads = Self.leads(plan, instance)
        #expect(leads["Y"] == nil && leads["X"] != nil && leads["Z"] != nil && leads["X"] != leads["Z"])
        #expect(plan.limits.filter { if case .gamCapacity = $0.kind { return true } else { return false } }.map(\.used) == [0.75, 0.75])

        var counted = model
        counted.limits.gamHeadcount = 2.4
        let (unnamed, _) = try Self.solve(accounts, gams: [], model: counted, method: method)
        #expect(isApproximatelyEqual(unnamed.netContribution, 11_050_000))
    }

    /// What-ifs of the team, on the packing case: G1 at 1.5 FTE carries two premium accounts
    /// (X and Z, 0.75 each), G2 the third: all three, 4.85 + 2.35 + 3.85 = 11.05M. Without G2
    /// (`gams.G2=none`) one person of 1.2 FTE leads one account, X: 4.85 + 2.0 + 3.2 = 10.05M.
    @Test func theTeamChangesWithWhatIfs() throws {
        let (dataset, model) = Self.packingCase()
        for (change, expected) in [("gams.G1.capacity_fte=1.5", 11_050_000.0), ("gams.G2=none", 10_050_000), ("gams.G1.capacity_fte=+25%", 11_050_000)] {
            let changed = try dataset.applying([ModelOverride(change)!])
            let instance = try AllocationInstance(dataset: changed, model: model)
            let plan = try AllocationPlanner.solve(instance, options: .glpk).plan!
            #expect(isApproximatelyEqual(plan.netContribution, expected), "\(change)")
        }
        #expect(inputMessages { _ = try dataset.applying([ModelOverride("gams.G1.capacity_fte=0")!]) }
                == ["--set: gams.G1.capacity_fte: expected a number > 0, found 0"])
    }

    /// Two regions, EMEA and APAC; G1 sits in EMEA, G2 in APAC, one FTE each; premium needs one.
    /// X (10M, EMEA) is led by G2 today; Y (5M, EMEA) by nobody. Both go premium: 4.8M + 2.3M.
    /// Continuity is worth 100k, leading from away costs 50k:
    ///   X with G1, Y with G2: Y led from away          7.1M − 50k = 7.05M
    ///   X with G2, Y with G1: X kept (+100k), from away 7.1M + 100k − 50k = 7.15M
    /// X stays with its GAM at the cost of being led from APAC. Sales and global expense carry the
    /// away cost: 200k + 200k + 50k = 450k.
    @Test(arguments: [SolutionMethod.monolithic, .decomposition])
    func continuityKeepsAnAccountWithItsGAM(_ method: SolutionMethod) throws {
        let regions = [Tiny.region, Region(id: "APAC", localCapacityFTE: 100, localFTECost: 100_000, productivity: 10_000_000)]
        var model = AllocationModel(tiers: [Tiny.local, Tiny.premium], costs: CostRates(gamFTECost: 200_000))
        model.portfolio = PortfolioRules(continuityValue: 100_000, awayCost: 50_000)
        var x = Tiny.account("X", revenue: 10e6)
        x.currentGAM = 1
        let gams = [GlobalAccountManager(id: "G1", homeRegion: 0), GlobalAccountManager(id: "G2", homeRegion: 1)]
        let (plan, instance) = try Self.solve([x, Tiny.account("Y", revenue: 5e6)], gams: gams, model: model, regions: regions,
                                              method: method)
        #expect(Self.leads(plan, instance) == ["X": "G2", "Y": "G1"])
        #expect(isApproximatelyEqual(plan.netContribution, 7_150_000))
        #expect(plan.keptWithGAM == 1 && plan.ledFromAway == 1)
        #expect(isApproximatelyEqual(plan.salesExpense, 450_000) && isApproximatelyEqual(plan.globalExpense, 450_000))
        let parts = plan.reconciliation
        #expect(isApproximatelyEqual(parts.accountsNetContribution + parts.continuityValue - parts.awayCost, plan.netContribution))
    }
}

/// Named GAMs end to end on the sample with a team of four.
@Suite struct PortfolioCommandTests {
    /// The sample with gams.csv: G1–G2 in EMEA, G3 in AMER, G4 in APAC.
    static func sampleWithGAMs(_ folder: TemporaryFolder, capacity: String = "1.5") throws -> String {
        let data = folder.path + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for file in ["accounts.csv", "regions.csv", "footprint.csv"] {
            try FileManager.default.copyItem(atPath: packageRoot + "/data/sample/" + file, toPath: data + "/" + file)
        }
        folder.write("data/gams.csv", """
            gam_id,name,home_region,capacity_fte,max_accounts
            G1,Maria,EMEA,\(capacity),
            G2,Ken,EMEA,1.5,2
            G3,Ana,AMER,1.5,
            G4,Li,APAC,1.5,

            """)
        return data
    }

    /// Every global account has one lead, every other none; plan_gams.csv's loads are the sums
    /// of the leads' GAM FTE and respect each capacity and max_accounts.
    @Test func thePlanNamesTheLeads() throws {
        let folder = TemporaryFolder()
        let data = try Self.sampleWithGAMs(folder)
        let run = try CommandRun.run(["solve", "--data", data, "--out", folder.path, "--name", "plan"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("GAM portfolios"), "\(run.output)")
        let accounts = try PlanTable(folder.path + "/plan/plan_accounts.csv")
        let gams = try PlanTable(folder.path + "/plan/plan_gams.csv")
        for row in accounts.rows {
            #expect((row["lead_gam"]!.isEmpty) == (accounts.number(row, "gam_fte") == 0), "\(row)")
        }
        for gam in gams.rows {
            let led = accounts.rows.filter { $0["lead_gam"] == gam["gam_id"] }
            #expect(isApproximatelyEqual(gams.number(gam, "used_fte"), led.reduce(0) { $0 + accounts.number($1, "gam_fte") }))
            #expect(gams.number(gam, "used_fte") <= gams.number(gam, "capacity_fte") + 1e-9)
            #expect(Int(gams.number(gam, "accounts")) == led.count)
            #expect(Set(gam["account_ids"]!.split(separator: " ").map(String.init)) == Set(led.map { $0["account_id"]! }))
        }
        #expect(Int(gams.number(gams.rows[1], "accounts")) <= 2)
    }

    /// Two accounts pinned to total (1 GAM FTE each) on a GAM of 1.5 FTE: infeasible, and the
    /// explanation names the GAM. A pin naming a GAM in a local tier is refused.
    @Test func pinsThatOverloadAGAMAreExplained() throws {
        let folder = TemporaryFolder()
        let data = try Self.sampleWithGAMs(folder)
        let run = try CommandRun.run(["solve", "--data", data, "--pin", "A001=total@G1", "--pin", "A003=total@G1",
                                      "--out", folder.path, "--name", "plan"])
        #expect(run.status == 1)
        #expect(run.output.contains("the accounts pinned to G1 need 2 FTE; G1 has 1.5"), "\(run.output)")
        let local = try CommandRun.run(["solve", "--data", data, "--pin", "A001=local@G1", "--out", folder.path, "--name", "x"])
        #expect(local.status == 2)
        #expect(local.errors.contains("A001=local@G1: a pin that names a GAM needs a global tier; 'local' has gam_fte 0"), "\(local.errors)")
    }

    /// The decomposition and the whole program agree with named GAMs (continuity and away
    /// costed, `generate --gam-count`), to 1e-6 of the decision-dependent part, each solved to a
    /// gap of 1e-7; the teams' loads bind (market: 18 GAMs carry 13.75 FTE).
    /// Without today's leads (`nobody`) the decomposition's pools of alike GAMs hold no named
    /// person at all.
    @Test(arguments: [("market", 20, false), ("gam-headcount", 200, false), ("market", 20, true)])
    func decompositionAgreesWithTheWholeProgram(_ profile: String, _ gams: Int, _ nobody: Bool) throws {
        let folder = TemporaryFolder()
        let data = folder.path + "/data"
        #expect(try CommandRun.run(["generate", "--accounts", "400", "--seed", "5", "--profile", profile, "--gam-count", "\(gams)",
                                    "--out", data]).status == 0)
        if nobody {
            // current_gam is accounts.csv's last column: every row's is emptied.
            let path = data + "/accounts.csv"
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            let emptied = lines.enumerated().map { i, line in
                i == 0 || line.isEmpty ? String(line) : String(line[...line.lastIndex(of: ",")!])
            }
            try Data(emptied.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        }
        var results: [String: [String: Any]] = [:]
        for method in ["monolithic", "decomposition"] {
            let run = try CommandRun.run(["solve", "--quiet", "--data", data, "--model", data + "/model.toml", "--method", method,
                                          "--set", "solver.mip_gap=1e-7", "--out", folder.path, "--name", method])
            #expect(run.status == 0, "\(run.errors)")
            results[method] = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path + "/\(method)/summary.json")))
                as? [String: Any]
        }
        let whole = try #require(results["monolithic"]?["objective"] as? Double)
        let decomposed = try #require(results["decomposition"]?["objective"] as? Double)
        let fixed = try #require((results["monolithic"]?["mip_gap"] as? [String: Any])?["fixed_part"] as? Double)
        #expect(abs(whole - decomposed) <= 1e-6 * max(1, abs(whole - fixed)), "monolithic \(whole), decomposition \(decomposed)")
        #expect((results["decomposition"]?["gams"] as? [String: Any])?["gams"] as? Double == Double(gams))
    }

    /// The report lists each GAM's portfolio and load, names escaped as HTML.
    @Test func theReportListsThePortfolios() throws {
        let folder = TemporaryFolder()
        let data = try Self.sampleWithGAMs(folder)
        let gams = try String(contentsOfFile: data + "/gams.csv", encoding: .utf8).replacingOccurrences(of: "G1,Maria", with: "G1,Maria <script>")
        try Data(gams.utf8).write(to: URL(fileURLWithPath: data + "/gams.csv"))
        let run = try CommandRun.run(["report", "--quiet", "--data", data, "--out", folder.path, "--name", "r"])
        #expect(run.status == 0, "\(run.errors)")
        let html = try String(contentsOfFile: folder.path + "/r/report.html", encoding: .utf8)
        #expect(html.contains("<h2>GAM portfolios</h2>") && html.contains("id=\"gam-load\""))
        #expect(html.contains("Maria &lt;script&gt;") && !html.contains("Maria <script>"))
    }

    /// Two routes, one answer: glpsol on models/allocation.mod (which names leads when the data
    /// has GAMs) agrees with `solve` on the sample with a team and today's leads, with continuity
    /// and away costed and capacities that bind.
    @Test(.enabled(if: glpsolPath != nil, "glpsol is not installed (apt-get install glpk-utils)"),
          arguments: [
            [],
            ["--set", "portfolio.continuity_value=300k", "--set", "portfolio.away_cost=200k"],
            ["--set", "gams.G1.capacity_fte=0.5", "--set", "gams.G3=none", "--set", "portfolio.away_cost=1M",
             "--set", "limits.gam_headcount=none", "--pin", "A005=total@G4"],
          ])
    func glpsolAgreesWithNamedGAMs(_ variant: [String]) throws {
        let folder = TemporaryFolder()
        let data = try Self.sampleWithGAMs(folder)
        // Today's leads of three accounts.
        var lines = try String(contentsOfFile: data + "/accounts.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        let leads = ["A001": "G2", "A002": "G4", "A003": "G1"]
        lines = lines.enumerated().map { index, line in
            index == 0 ? line + ",current_gam" : line + "," + (leads[String(line.prefix { $0 != "," })] ?? "")
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: data + "/accounts.csv"))
        let arguments = ["--data", data, "--set", "solver.mip_gap=0"] + variant
        let solve = try CommandRun.run(["solve", "--quiet", "--out", folder.path, "--name", "plan"] + arguments)
        #expect(solve.status == 0, "\(solve.errors)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path + "/plan/summary.json")))
            as! [String: Any]
        let ours = try #require(summary["objective"] as? Double)
        #expect(try CommandRun.run(["export", "--format", "gmpl", "--output", folder.file("instance.dat")] + arguments).status == 0)
        let glpsol = try CommandRun.run(["-m", packageRoot + "/models/allocation.mod", "-d", folder.file("instance.dat"), "--mipgap", "0"],
                                        executable: glpsolPath!)
        #expect(glpsol.output.contains("INTEGER OPTIMAL SOLUTION FOUND"), "\(glpsol.output)")
        let line = glpsol.output.split(separator: "\n").first { $0.hasPrefix("NET_CONTRIBUTION ") }
        let theirs = try #require(line.flatMap { Double($0.split(separator: " ")[1]) })
        #expect(isApproximatelyEqual(ours, theirs, relative: 1e-9), "ours \(ours), glpsol \(theirs)")
    }

    /// The sample with its team (`data/sample-gams`: eight GAMs in four regions, today's leads):
    /// glpsol on models/allocation.mod finds the same optimum, and the plan keeps accounts with
    /// their GAMs (standard.toml values continuity 20,000 against away 15,000).
    @Test(.enabled(if: glpsolPath != nil, "glpsol is not installed (apt-get install glpk-utils)"))
    func theSampleTeam() throws {
        let folder = TemporaryFolder()
        let data = packageRoot + "/data/sample-gams"
        let solve = try CommandRun.run(["solve", "--quiet", "--data", data, "--set", "solver.mip_gap=0", "--out", folder.path, "--name", "plan"])
        #expect(solve.status == 0, "\(solve.errors)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path + "/plan/summary.json")))
            as! [String: Any]
        let gams = try #require(summary["gams"] as? [String: Any])
        #expect(gams["gams"] as? Double == 8)
        #expect((gams["accounts_kept_with_gam"] as? Double ?? 0) >= 1)
        #expect(try CommandRun.run(["export", "--data", data, "--format", "gmpl", "--output", folder.file("team.dat")]).status == 0)
        let glpsol = try CommandRun.run(["-m", packageRoot + "/models/allocation.mod", "-d", folder.file("team.dat"), "--mipgap", "0"],
                                        executable: glpsolPath!)
        let line = glpsol.output.split(separator: "\n").first { $0.hasPrefix("NET_CONTRIBUTION ") }
        let theirs = try #require(line.flatMap { Double($0.split(separator: " ")[1]) })
        #expect(isApproximatelyEqual(summary["objective"] as! Double, theirs, relative: 1e-9))
    }
}
