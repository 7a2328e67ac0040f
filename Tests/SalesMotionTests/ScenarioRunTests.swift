// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import GLPK
@testable import SalesMotion
import Testing

/// The shipped example scenarios and where runs go (issue 12, `scenarios.md`).
@Suite struct ScenarioRunTests {
    /// Each example in models/scenarios against a copy of the sample edited by hand to what it
    /// says: the budget 28M × 0.85 = 23.8M; APAC's capacity 50 − 10 = 40; GAM headcount 6 + 2 = 8;
    /// the ten largest accounts' competition each 0.2 higher (A005 0.24 → 0.44, …).
    @Test(arguments: ["budget-cut", "apac-capacity-loss", "two-more-gams", "competitor-attack"])
    func theExamplesMeanWhatTheySay(_ name: String) throws {
        let copy = TemporaryFolder()
        try ChangeValueTests.editedCopy(copy, file: name == "apac-capacity-loss" ? "regions.csv"
                                        : name == "competitor-attack" ? "accounts.csv" : "model.toml") { text in
            switch name {
            case "budget-cut": return ChangeValueTests.replacing("budget = 28_000_000", "budget = 23_800_000")(text)
            case "apac-capacity-loss": return ChangeValueTests.replacing("APAC,50,", "APAC,40,")(text)
            case "two-more-gams": return ChangeValueTests.replacing("gam_headcount = 6", "gam_headcount = 8")(text)
            default:
                // competition, the 8th column, by hand for the ten largest accounts.
                let raised = ["A005": "0.44", "A003": "0.51", "A007": "0.44", "A006": "0.52", "A004": "0.55",
                              "A002": "0.52", "A001": "0.48", "A012": "0.54", "A014": "0.43", "A017": "0.41"]
                return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                    var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    if let value = raised[cells[0]] { cells[7] = value }
                    return cells.joined(separator: ",")
                }.joined(separator: "\n")
            }
        }
        let out = TemporaryFolder()
        let scenario = try CommandRun.run(["solve", "--scenario", "models/scenarios/\(name).toml", "--out", out.path, "--quiet"])
        #expect(scenario.status == 0, "\(scenario.errors)")
        let edited = try CommandRun.run(["solve", "--data", copy.path, "--model", copy.file("model.toml"), "--out", out.path,
                                         "--name", "by-hand", "--quiet"])
        #expect(edited.status == 0, "\(edited.errors)")
        let a = try Self.objective(out.file("\(name)/summary.json")), b = try Self.objective(out.file("by-hand/summary.json"))
        #expect(abs(a - b) <= 1e-6 * abs(b), "\(a) vs \(b)")
        let read = try Scenario.read(packageRoot + "/models/scenarios/\(name).toml")
        #expect(read.name == name)
        #expect(read.description?.hasPrefix("What") == true)
    }

    static func objective(_ path: String) throws -> Double {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (json["objective"] as! NSNumber).doubleValue
    }

    /// Runs go to folders of their own: the base to OUT/base, command-line changes to
    /// OUT/what-if, a scenario to OUT/<name>, --name where it says. An infeasible what-if and a
    /// failed scenario leave every other folder as it was, byte for byte.
    @Test func runsNeverTouchEachOthersFolders() throws {
        let out = TemporaryFolder()
        #expect(try CommandRun.run(["solve", "--out", out.path, "--quiet"]).status == 0)
        #expect(try CommandRun.run(["solve", "--scenario", "models/scenarios/budget-cut.toml", "--out", out.path, "--quiet"]).status == 0)
        #expect(try CommandRun.run(["solve", "--budget", "+1M", "--out", out.path, "--quiet"]).status == 0)
        #expect(try CommandRun.run(["solve", "--budget", "+2M", "--name", "plus-two", "--out", out.path, "--quiet"]).status == 0)
        let folders = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(folders == ["base", "budget-cut", "plus-two", "what-if"])
        func snapshot() throws -> [String: Data] {
            var files: [String: Data] = [:]
            for folder in ["base", "budget-cut", "plus-two"] {
                for name in try FileManager.default.contentsOfDirectory(atPath: out.file(folder)) {
                    files[folder + "/" + name] = FileManager.default.contents(atPath: out.file(folder + "/" + name))
                }
            }
            return files
        }
        let before = try snapshot()
        // Infeasible: a budget far below any plan's cost (exit 1, its own folder only).
        let infeasible = try CommandRun.run(["solve", "--budget", "1000", "--out", out.path, "--quiet"])
        #expect(infeasible.status == 1)
        // A scenario with a mistake: nothing at all.
        let bad = out.write("broken.toml", "name = \"budget-cut\"\n[set]\n\"limits.budgte\" = \"-15%\"\n")
        #expect(try CommandRun.run(["solve", "--scenario", bad, "--out", out.path, "--quiet"]).status == 2)
        #expect(try snapshot() == before)
    }

    /// `scenarios run` solves every file, writes each plan where `solve --scenario` would, and
    /// one row per scenario to OUT/scenarios.csv, whose figures are those of the separate solves
    /// (within the MIP gap: the batch solves warm) and whose last column is the difference to
    /// the first row. An infeasible scenario gets its row and its folder, the others theirs
    /// (exit 1); a duplicate name is refused before anything is solved.
    @Test func scenariosRunWritesEveryPlanAndOneTable() throws {
        let out = TemporaryFolder()
        let infeasible = out.write("starved.toml", "description = \"no money\"\n[set]\n\"limits.budget\" = 1000\n")
        let files = ["models/scenarios/budget-cut.toml", "models/scenarios/two-more-gams.toml", infeasible]
        let run = try CommandRun.run(["scenarios", "run"] + files + ["--out", out.path, "--threads", "2"])
        #expect(run.status == 1, "\(run.errors)")
        let table = try String(contentsOfFile: out.file("scenarios.csv"), encoding: .utf8)
        let rows = table.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows[0].first == "scenario" && rows[0].last == "net_contribution_vs_first")
        #expect(rows.map { $0[0] }.dropFirst() == ["budget-cut", "two-more-gams", "starved"])
        #expect(rows[3][1] == "infeasible")
        var values: [Double] = []
        for name in ["budget-cut", "two-more-gams"] {
            let separate = TemporaryFolder()
            #expect(try CommandRun.run(["solve", "--scenario", "models/scenarios/\(name).toml", "--out", separate.path, "--quiet"]).status == 0)
            let alone = try Self.objective(separate.file("\(name)/summary.json"))
            let inBatch = try Self.objective(out.file("\(name)/summary.json"))
            #expect(abs(alone - inBatch) <= 1e-4 * abs(alone), "\(name): \(alone) vs \(inBatch)")
            let row = try #require(rows.first { $0[0] == name })
            #expect(abs(Double(row[2])! - inBatch) < 1e-6 * abs(inBatch))
            values.append(inBatch)
        }
        #expect(abs(Double(rows[1].last!)!) == 0)
        #expect(abs(Double(rows[2].last!)! - (values[1] - values[0])) < 1e-6 * abs(values[0]))
        #expect(FileManager.default.fileExists(atPath: out.file("starved/summary.json")))

        let twice = try CommandRun.run(["scenarios", "run", "models/scenarios/budget-cut.toml", "models/scenarios/budget-cut.toml",
                                        "--out", out.path + "/again"])
        #expect(twice.status == 2)
        #expect(twice.errors.contains("each scenario needs a folder of its own"), "\(twice.errors)")
        #expect(!FileManager.default.fileExists(atPath: out.path + "/again"))
    }

    /// `report` with two scenarios sets them side by side: both names, and the second's
    /// difference to the first as the separate solves give it (`scenarios run`'s table).
    @Test func reportShowsScenariosSideBySide() throws {
        let out = TemporaryFolder()
        let files = ["models/scenarios/budget-cut.toml", "models/scenarios/two-more-gams.toml"]
        let report = try CommandRun.run(["report"] + files.flatMap { ["--scenario", $0] } + ["--out", out.path, "--quiet"])
        #expect(report.status == 0, "\(report.errors)")
        let html = try String(contentsOfFile: out.file("scenarios-report/report.html"), encoding: .utf8)
        #expect(html.contains("<h2>Scenarios side by side</h2>"))
        #expect(html.contains("<td>budget-cut</td>") && html.contains("<td>two-more-gams</td>"))
        #expect(try CommandRun.run(["scenarios", "run"] + files + ["--out", out.path, "--quiet"]).status == 0)
        let difference = try Self.objective(out.file("two-more-gams/summary.json")) - Self.objective(out.file("budget-cut/summary.json"))
        let shown = "+" + SummaryText.amount(difference.rounded())
        #expect(html.contains(shown), "\(shown)")
    }

    /// `compare --against-data DIR` compares with another dataset folder: a copy of the sample
    /// with APAC's capacity 40 by hand gives the figures the apac-capacity-loss scenario gives.
    @Test func compareAgainstAnotherDataFolder() throws {
        let copy = TemporaryFolder()
        try ChangeValueTests.editedCopy(copy, file: "regions.csv", ChangeValueTests.replacing("APAC,50,", "APAC,40,"))
        let out = TemporaryFolder()
        let data = try CommandRun.run(["compare", "--against-data", copy.path, "--out", out.path, "--name", "data"])
        let scenario = try CommandRun.run(["compare", "--scenario", "models/scenarios/apac-capacity-loss.toml", "--out", out.path])
        #expect(data.status == 0 && scenario.status == 0, "\(data.errors) \(scenario.errors)")
        let a = try String(contentsOfFile: out.file("data/compare_summary.csv"), encoding: .utf8)
        let b = try String(contentsOfFile: out.file("base-vs-apac-capacity-loss/compare_summary.csv"), encoding: .utf8)
        #expect(a == b)
        #expect(a.contains("objective,708685495"), "\(a.prefix(300))")
    }

    /// A batch solves a scenario warm only when it differs from the previous one in bounds of
    /// limits; a ratio limit (max_cost_of_sales, the global-share band) changes coefficients, so
    /// the scenario after one that changes it must still equal its own solve.
    @Test(arguments: [["limits.max_cost_of_sales=0.011", "limits.budget=none"], ["limits.global_share=[0.15, 0.2]"],
                      ["limits.budget=-20%"], ["limits.gam_headcount=+1", "regions.APAC.local_capacity_fte=-5"]])
    func aBatchEqualsSeparateSolves(_ changes: [String]) throws {
        let base = try SweepTests.sample([])
        let changed = try SweepTests.sample(changes)
        let options = PlanningOptions(backend: GLPKSolver())
        for method in [SolutionMethod.monolithic, .decomposition] {
            var chosen = options
            chosen.method = method
            let batch = try ScenarioBatch.run([("base", base), ("changed", changed)], workers: 1, options: chosen)
            let alone = try #require(try AllocationPlanner.solve(changed, options: chosen).plan).netContribution
            let inBatch = try #require(batch.entries[1].result.plan).netContribution
            #expect(abs(alone - inBatch) <= 1e-4 * abs(alone - batch.entries[1].result.fixedPart), "\(method) \(changes): \(alone) vs \(inBatch)")
        }
    }
}
