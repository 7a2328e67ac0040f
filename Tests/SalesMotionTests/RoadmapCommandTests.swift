// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

/// `salesmotion roadmap` end to end: its files, glpsol on models/roadmap.mod, bad inputs.
@Suite struct RoadmapCommandTests {
    static let model = packageRoot + "/models/roadmap.toml"

    /// The sample's roadmap model with `replace` applied to its text, written to `folder`.
    static func variant(_ folder: TemporaryFolder, _ replacements: [(String, String)]) -> String {
        var text = try! String(contentsOfFile: model, encoding: .utf8)
        for (old, new) in replacements {
            precondition(text.contains(old), "the roadmap model no longer says \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        return folder.write("roadmap.toml", text)
    }

    /// The 1-based line and column of `needle` in `file`.
    static func position(of needle: String, in file: String) -> String {
        let text = try! String(contentsOfFile: file, encoding: .utf8)
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let range = line.range(of: needle) { return "\(number + 1):\(line.distance(from: line.startIndex, to: range.lowerBound) + 1)" }
        }
        return "?"
    }

    /// Two routes, one answer: glpsol on models/roadmap.mod with the exported data reaches the
    /// roadmap's discounted optimum, and every year's net contribution, on the sample's
    /// roadmap and on variants (no discount, one change per account, a band by year).
    @Test(.enabled(if: glpsolPath != nil, "glpsol is not installed (apt-get install glpk-utils)"),
          arguments: [
            [],
            ["--set", "roadmap.discount_rate=0", "--set", "roadmap.max_changes_per_account=1"],
            ["--set", "limits.global_share=[[0.05, 0.4], [0.1, 0.4], [0.2, 0.5]]", "--set", "roadmap.market_growth=-0.05"],
          ])
    func glpsolOnTheRoadmapModelAgrees(_ variant: [String]) throws {
        let out = TemporaryFolder()
        let arguments = ["--model", Self.model, "--set", "solver.mip_gap=0"] + variant
        let run = try CommandRun.run(["roadmap", "--quiet", "--out", parentOf(out.path), "--name", nameOf(out.path)] + arguments)
        #expect(run.status == 0, "\(run.errors)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.file("roadmap_summary.json"))))
            as! [String: Any]
        let ours = try #require(summary["objective"] as? Double)
        let years = (summary["years"] as! [[String: Any]]).map { $0["objective"] as! Double }
        let data = out.file("roadmap.dat")
        #expect(try CommandRun.run(["export", "--format", "gmpl-roadmap", "--output", data] + arguments).status == 0)
        let glpsol = try CommandRun.run(["-m", packageRoot + "/models/roadmap.mod", "-d", data, "--mipgap", "0"], executable: glpsolPath!)
        #expect(glpsol.output.contains("INTEGER OPTIMAL SOLUTION FOUND"), "\(glpsol.output)")
        let lines = glpsol.output.split(separator: "\n")
        let theirs = try #require(lines.first { $0.hasPrefix("ROADMAP_OBJECTIVE ") }.flatMap { Double($0.split(separator: " ")[1]) })
        #expect(isApproximatelyEqual(ours, theirs, relative: 1e-9), "ours \(ours), glpsol \(theirs)")
        let theirYears = lines.filter { $0.hasPrefix("YEAR ") && $0.contains("NET_CONTRIBUTION") }.compactMap { Double($0.split(separator: " ")[3]) }
        #expect(theirYears.count == years.count)
        // The yearly split of one optimum may differ between two optimal plans only when there
        // are ties; on these instances it is unique.
        for (mine, glpk) in zip(years, theirYears) { #expect(isApproximatelyEqual(mine, glpk, relative: 1e-9), "\(years) vs \(theirYears)") }
    }

    /// The five files, and their figures reconcile: roadmap_years.csv's discounted column sums to
    /// the objective; each year's net contribution is its accounts' less the programme and the
    /// changes; roadmap_tiers.csv counts the changes roadmap_plan.csv flags.
    @Test func theFilesReconcile() throws {
        let out = TemporaryFolder()
        let run = try CommandRun.run(["roadmap", "--model", Self.model, "--out", parentOf(out.path), "--name", nameOf(out.path)])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("Year 2:"), "\(run.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["roadmap_local.csv", "roadmap_plan.csv", "roadmap_summary.json", "roadmap_tiers.csv", "roadmap_years.csv"])
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.file("roadmap_summary.json"))))
            as! [String: Any]
        let years = try PlanTable(out.file("roadmap_years.csv"))
        #expect(years.rows.count == 3)
        #expect(isApproximatelyEqual(years.sum("discounted"), summary["objective"] as! Double, relative: 1e-12))
        let plan = try PlanTable(out.file("roadmap_plan.csv"))
        let yearObjects = summary["years"] as! [[String: Any]]
        for (k, year) in years.rows.enumerated() {
            let rows = plan.rows.filter { $0["year"] == "\(k + 1)" }
            #expect(rows.count == 60)
            let accounts = rows.reduce(0) { $0 + plan.number($1, "net_contribution") }
            let reconciliation = (yearObjects[k]["reconciliation"] as! [String: Any])["net_contribution"] as! [String: Double]
            #expect(isApproximatelyEqual(accounts + reconciliation["programme"]! + reconciliation["tier_changes"]!,
                                         years.number(year, "net_contribution"), relative: 1e-9))
            let changed = rows.filter { $0["changed"] == "true" }.count
            #expect(Double(changed) == years.number(year, "changes"))
            // Discounting: year k counts 1.08^-(k-1).
            #expect(isApproximatelyEqual(years.number(year, "discounted"), years.number(year, "net_contribution") / pow(1.08, Double(k)),
                                         relative: 1e-12))
        }
        let tiers = try PlanTable(out.file("roadmap_tiers.csv"))
        #expect(Double(plan.rows.filter { $0["changed"] == "true" }.count) == tiers.sum("changes"))
    }

    /// Malformed roadmap inputs: exit 2, each problem at file:line:column, nothing written.
    @Test(arguments: [
        ("budget = [28_000_000, 30_000_000, 33_000_000]", "budget = [28_000_000, 30_000_000]", "budget = [",
         "limits.budget: 2 values for 3 years"),
        ("APAC = [50, 55, 60]", "APAK = [50, 55, 60]", "APAK", "roadmap.local_capacity_fte.APAK: unknown region 'APAK'"),
        ("years = 3", "years = 0", "years = 0", "roadmap.years: must be from 1 to 30 years, found 0"),
        ("discount_rate = 0.08", "discount_rate = -0.08", "discount_rate", "roadmap.discount_rate: must be ≥ 0, found -0.08"),
        ("max_changes = [12, 8, 8]", "max_changes = [12, 8, 8, 8]", "max_changes = [", "transition.max_changes: 4 values for 3 years"),
    ])
    func malformedRoadmapInputs(_ case: (old: String, new: String, at: String, message: String)) throws {
        let folder = TemporaryFolder()
        let model = Self.variant(folder, [(`case`.old, `case`.new)])
        let out = folder.path + "/out"
        let run = try CommandRun.run(["roadmap", "--model", model, "--out", out])
        #expect(run.status == 2)
        let location = "\(model):\(Self.position(of: `case`.at, in: model)): "
        #expect(run.errors.contains(location + `case`.message), "\(run.errors)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// `roadmap` on a model without [roadmap] says what is missing; solve on a roadmap model
    /// says in one line that it plans year 1.
    @Test func roadmapNeedsItsSectionAndSolveSaysItPlansYearOne() throws {
        let folder = TemporaryFolder()
        let missing = try CommandRun.run(["roadmap", "--out", folder.path + "/out"])
        #expect(missing.status == 2)
        #expect(missing.errors.contains("models/standard.toml: roadmap: the model file has no [roadmap] with years = Y"), "\(missing.errors)")
        let solve = try CommandRun.run(["solve", "--quiet", "--model", Self.model, "--out", folder.path + "/out"])
        #expect(solve.status == 0)
        #expect(solve.errors.contains("limits.budget, limits.gam_headcount, transition.max_changes are given year by year: this command plans year 1"),
                "\(solve.errors)")
    }

    /// `report --roadmap` draws the tiers year by year and the moves between years; its figures
    /// are the roadmap's (the moves in the chart add up to the changes of roadmap_years.csv).
    @Test func theReportDrawsTiersAndMovesByYear() throws {
        let folder = TemporaryFolder()
        let report = try CommandRun.run(["report", "--roadmap", "--quiet", "--model", Self.model, "--out", folder.path, "--name", "r"])
        #expect(report.status == 0, "\(report.errors)")
        let html = try String(contentsOfFile: folder.path + "/r/report.html", encoding: .utf8)
        #expect(html.contains("id=\"roadmap-tiers\"") && html.contains("id=\"roadmap-moves\""))
        let run = try CommandRun.run(["roadmap", "--quiet", "--model", Self.model, "--out", folder.path, "--name", "plan"])
        #expect(run.status == 0)
        let years = try PlanTable(folder.path + "/plan/roadmap_years.csv")
        // The moves chart labels each bar with its count after the bar: `>N</text>` following a rect.
        let moves = html.components(separatedBy: "id=\"roadmap-moves\"")[1].components(separatedBy: "</svg>")[0]
        let counts = moves.components(separatedBy: "fill=\"#3b78b5\"/><text").dropFirst().map { part in
            Int(part.components(separatedBy: ">")[1].components(separatedBy: "<")[0])!
        }
        #expect(Double(counts.reduce(0, +)) == years.sum("changes"))
    }

    /// `generate --years 3` writes a roadmap model the roadmap command plans; the same seed gives
    /// the same bytes.
    @Test func generateWritesARoadmapModel() throws {
        let folder = TemporaryFolder()
        for name in ["a", "b"] {
            #expect(try CommandRun.run(["generate", "--accounts", "120", "--seed", "4", "--years", "3", "--out", folder.path + "/" + name]).status == 0)
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/a/model.toml"))
        #expect(a == (try Data(contentsOf: URL(fileURLWithPath: folder.path + "/b/model.toml"))))
        let model = try AllocationModel.read(from: folder.path + "/a/model.toml")
        #expect(model.roadmap?.years == 3)
        #expect(model.yearValues["limits.budget"]?.count == 3)
        let run = try CommandRun.run(["roadmap", "--quiet", "--data", folder.path + "/a", "--model", folder.path + "/a/model.toml",
                                      "--out", folder.path + "/out"])
        #expect(run.status == 0, "\(run.errors)")
    }

    /// The decomposition and the whole program agree on generated multi-year instances of both
    /// generator families (to 1e-6 of the decision-dependent part, each solved to a gap of
    /// 1e-7): the roadmap's blocks, paths, change costs and programme cases are the program's.
    @Test(arguments: ["standard", "max-changes", "gam-headcount", "cost-of-sales"])
    func decompositionAgreesWithTheWholeProgram(_ profile: String) throws {
        let folder = TemporaryFolder()
        let data = folder.path + "/data"
        #expect(try CommandRun.run(["generate", "--accounts", "400", "--seed", "5", "--profile", profile, "--years", "3",
                                    "--out", data]).status == 0)
        var results: [String: [String: Any]] = [:]
        for method in ["monolithic", "decomposition"] {
            let run = try CommandRun.run(["roadmap", "--quiet", "--data", data, "--model", data + "/model.toml", "--method", method,
                                          "--set", "solver.mip_gap=1e-7", "--out", folder.path, "--name", method])
            #expect(run.status == 0, "\(run.errors)")
            results[method] = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path + "/\(method)/roadmap_summary.json")))
                as? [String: Any]
        }
        let whole = try #require(results["monolithic"]?["objective"] as? Double)
        let decomposed = try #require(results["decomposition"]?["objective"] as? Double)
        let fixed = try #require((results["monolithic"]?["mip_gap"] as? [String: Any])?["fixed_part"] as? Double)
        #expect(abs(whole - decomposed) <= 1e-6 * max(1, abs(whole - fixed)), "monolithic \(whole), decomposition \(decomposed)")
        #expect(results["decomposition"]?["status"] as? String == "optimal")
    }

    /// Same input, same bytes — also when the restricted programs' simplex runs long enough to be
    /// sliced for the stop signal (10,000 accounts × 3 years: it was sliced by time, and two runs
    /// wrote two different plans; it is now sliced by iteration count).
    @Test func sameInputSameBytes() throws {
        let folder = TemporaryFolder()
        let data = folder.path + "/data"
        #expect(try CommandRun.run(["generate", "--accounts", "10000", "--seed", "1", "--years", "3", "--out", data]).status == 0)
        var plans: [Data] = []
        for name in ["one", "two"] {
            let run = try CommandRun.run(["roadmap", "--quiet", "--data", data, "--model", data + "/model.toml", "--out", folder.path,
                                          "--name", name])
            #expect(run.status == 0, "\(run.errors)")
            plans.append(try Data(contentsOf: URL(fileURLWithPath: folder.path + "/\(name)/roadmap_plan.csv")))
        }
        #expect(plans[0] == plans[1])
    }

    /// Infeasibility is explained year by year: with two accounts pinned to total (1 GAM FTE
    /// each), year 2's headcount of 1.5 cannot carry them; the summary holds year 2's diagnosis
    /// and no plan files are written.
    @Test func infeasibilityIsExplainedPerYear() throws {
        let folder = TemporaryFolder()
        let run = try CommandRun.run(["roadmap", "--model", Self.model, "--pin", "A001=total", "--pin", "A003=total",
                                      "--set", "limits.gam_headcount=[6, 1.5, 10]", "--out", folder.path, "--name", "r"])
        #expect(run.status == 1)
        #expect(run.output.contains("Year 2:\nWhy:\n- pins and eligibility alone need 2 GAM FTE against 1.5 available."), "\(run.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/r")
        #expect(files == ["roadmap_summary.json"])
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path + "/r/roadmap_summary.json")))
            as! [String: Any]
        #expect(summary["status"] as? String == "infeasible")
        #expect((summary["diagnosis"] as? [String: Any])?["year_2"] != nil)
    }

    /// Named GAMs are not planned over years (roadmap.md): `roadmap` with a gams.csv in the
    /// dataset is an input error that says so, and nothing is written.
    @Test func namedGAMsAreRefused() throws {
        let folder = TemporaryFolder()
        let data = folder.path + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for file in ["accounts.csv", "regions.csv", "footprint.csv"] {
            try FileManager.default.copyItem(atPath: packageRoot + "/data/sample/" + file, toPath: data + "/" + file)
        }
        try Data("gam_id,home_region\nG1,EMEA\n".utf8).write(to: URL(fileURLWithPath: data + "/gams.csv"))
        let run = try CommandRun.run(["roadmap", "--data", data, "--model", Self.model, "--out", folder.path + "/out"])
        #expect(run.status == 2)
        #expect(run.errors.contains("\(data)/gams.csv: roadmap: named GAMs (gams.csv) are not planned over years"), "\(run.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/out"))
    }
}
