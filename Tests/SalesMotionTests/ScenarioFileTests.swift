// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import GLPK
import InputFiles
@testable import SalesMotion
import Testing

/// Scenario files (issue 12, `scenarios.md` "Scenario files").
@Suite struct ScenarioFileTests {
    /// A scenario with a base: the base's changes come first, the file's own on top, in the
    /// order written; pins join. The same as the changes typed by hand on the command line:
    /// gam_headcount 6 + 2 = 8, budget 28M × 0.85 = 23.8M, APAC capacity 50 − 10 = 40,
    /// every competition + 0.05 and then A017's set to 0.9.
    @Test func aScenarioIsItsChangesInOrder() throws {
        let folder = TemporaryFolder()
        folder.write("more-gams.toml", """
            description = "two more GAMs"
            [set]
            "limits.gam_headcount" = "+2"
            """)
        let file = folder.write("cut.toml", """
            name = "budget-cut"
            description = "15 % less budget, APAC loses 10 FTE"
            base = "more-gams.toml"

            [set]
            "limits.budget" = "-15%"
            "regions.APAC.local_capacity_fte" = -10
            "accounts.*.competition" = "+0.05"
            "accounts.A017.competition" = 0.9

            [[pin]]
            account = "A001"
            tier = "total"
            """)
        let scenario = try Scenario.read(file)
        #expect(scenario.name == "budget-cut")
        #expect(scenario.description == "15 % less budget, APAC loses 10 FTE")
        let fromFile = try AllocationInstance.load(dataFolder: packageRoot + "/data/sample",
                                                   modelFile: packageRoot + "/models/standard.toml",
                                                   overrides: scenario.overrides, pins: scenario.pins)
        #expect(fromFile.model.limits.gamHeadcount == 8)
        #expect(fromFile.model.limits.budget == 23_800_000)
        #expect(fromFile.dataset.regions.first { $0.id == "APAC" }?.localCapacityFTE == 40)
        #expect(fromFile.dataset.accounts.first { $0.id == "A017" }?.competition == 0.9)
        #expect(fromFile.dataset.accounts.first { $0.id == "A001" }.map { abs($0.competition - 0.33) < 1e-12 } == true)
        #expect(fromFile.model.pins.contains { $0.account == "A001" && $0.tier == "total" })
        let byHand = try SweepTests.sample(["limits.gam_headcount=8", "limits.budget=23.8M", "regions.APAC.local_capacity_fte=40",
                                            "accounts.*.competition=+0.05", "accounts.A017.competition=0.9"])
        var pinned = byHand.model
        pinned.pins.append(TierPin(account: "A001", tier: "total"))
        let reference = try AllocationInstance(dataset: byHand.dataset, model: pinned)
        let options = PlanningOptions(backend: GLPKSolver())
        let a = try #require(try AllocationPlanner.solve(fromFile, options: options).plan).netContribution
        let b = try #require(try AllocationPlanner.solve(reference, options: options).plan).netContribution
        #expect(abs(a - b) < 1e-6)
        // Without `name`, the file name is the scenario's name.
        #expect(try Scenario.read(folder.file("more-gams.toml")).name == "more-gams")
    }

    /// Every bad scenario file gives exit 2, names the file, line and column, and writes nothing.
    @Test(arguments: [
        ("nmae = \"x\"\n", "bad.toml:1:1: nmae: unknown key"),
        ("[set]\n\"limits.budgte\" = 1\n", "bad.toml:2:1: limits.budgte: unknown key 'budgte' in [limits] (did you mean 'budget'?)"),
        ("[set]\n\"regions.EMEAA.local_capacity_fte\" = 1\n", "bad.toml:2:1: regions.EMEAA.local_capacity_fte: no region 'EMEAA' (did you mean 'EMEA'?)"),
        ("[set]\n\"accounts.A017.fitt\" = 1\n", "bad.toml:2:1: accounts.A017.fitt: not an account column that can change (did you mean 'fit'?)"),
        ("\n[set]\n\"limits.budget\" = \"85%\"\n", "bad.toml:3:1: limits.budget: 85% is ambiguous; write -15% for 85 % of the current value"),
        ("[set]\n\"limits.budget\" = true\n", "bad.toml:2:1: limits.budget: expected a number"),
        ("name = 3\n", "bad.toml:1:1: name: expected a string, found 3"),
        ("base = \"missing.toml\"\n", "bad.toml:1:1: base: "),
        ("base = \"bad.toml\"\n", "bad.toml:1:1: base: a cycle of scenario files"),
        ("[[pin]]\naccount = \"A001\"\ntier = \"totl\"\n", "bad.toml:2:1: A001=totl: unknown tier 'totl' (did you mean 'total'?)"),
        ("[[pin]]\naccount = \"A17\"\ntier = \"total\"\n", "bad.toml:2:1: pin: unknown account 'A17' (did you mean 'A017'?)"),
        ("name = \"../up\"\n", "bad.toml:1:1: name: '../up' cannot name a folder"),
        ("[set\n", "bad.toml:1:"),
    ])
    func badScenarioFilesAreLocated(_ text: String, _ message: String) throws {
        let folder = TemporaryFolder()
        let file = folder.write("bad.toml", text)
        let out = folder.file("out")
        let run = try CommandRun.run(["solve", "--scenario", file, "--out", parentOf(out), "--name", nameOf(out), "--quiet"])
        #expect(run.status == 2)
        #expect(run.errors.contains(message), "\(run.errors)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// A base cycle through two files is found, not followed forever.
    @Test func aBaseCycleEnds() throws {
        let folder = TemporaryFolder()
        folder.write("a.toml", "base = \"b.toml\"\n")
        folder.write("b.toml", "base = \"a.toml\"\n")
        #expect(throws: InputError.self) { try Scenario.read(folder.file("a.toml")) }
        let run = try CommandRun.run(["validate", "--scenario", folder.file("a.toml")])
        #expect(run.status == 2)
        #expect(run.errors.contains("a cycle of scenario files"), "\(run.errors)")
    }
}
