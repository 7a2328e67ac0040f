// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import GLPK
import InputFiles
@testable import SalesMotion
import Testing

/// The value forms of a change (issue 12, `scenarios.md` "Values"): each `--set` is checked
/// against a copy of the sample whose files were edited by hand to what the change means.
@Suite struct ChangeValueTests {
    /// A copy of the sample data and model with `edit` applied to the text of one file.
    static func editedCopy(_ folder: TemporaryFolder, file: String, _ edit: (String) -> String) throws {
        for name in ["accounts.csv", "regions.csv", "footprint.csv"] {
            let text = try String(contentsOfFile: packageRoot + "/data/sample/" + name, encoding: .utf8)
            folder.write(name, name == file ? edit(text) : text)
        }
        let model = try String(contentsOfFile: packageRoot + "/models/standard.toml", encoding: .utf8)
        folder.write("model.toml", file == "model.toml" ? edit(model) : model)
    }

    static func replacing(_ old: String, _ new: String) -> (String) -> String {
        { text in
            precondition(text.contains(old), "the sample no longer has \(old)")
            return text.replacingOccurrences(of: old, with: new)
        }
    }

    static func solve(_ instance: AllocationInstance) throws -> Double {
        try #require(try AllocationPlanner.solve(instance, options: PlanningOptions(backend: GLPKSolver())).plan).netContribution
    }

    /// Each change and the hand edit that means the same, with the arithmetic in the comment.
    static let cases: [(change: String, file: String, old: String, new: String)] = [
        ("limits.budget=-15%", "model.toml", "budget = 28_000_000", "budget = 23_800_000"),      // 28M × 0.85
        ("limits.budget=+2M", "model.toml", "budget = 28_000_000", "budget = 30_000_000"),       // 28M + 2M
        ("limits.budget=-1.5M", "model.toml", "budget = 28_000_000", "budget = 26_500_000"),     // 28M − 1.5M
        ("limits.gam_headcount=+2", "model.toml", "gam_headcount = 6", "gam_headcount = 8"),     // 6 + 2
        ("limits.max_cost_of_sales=9%", "model.toml", "max_cost_of_sales = 0.12", "max_cost_of_sales = 0.09"),
        ("limits.max_global_accounts=-15%", "model.toml", "max_global_accounts = 20", "max_global_accounts = 17"),  // 20 × 0.85
        ("limits.exec_hours=none", "model.toml", "exec_hours = 600\n", "\n"),
        ("tier.total.gam_fte=+50%", "model.toml", "gam_fte = 1.0", "gam_fte = 1.5"),             // 1.0 × 1.5
        ("costs.gam_fte_cost=+10%", "model.toml", "gam_fte_cost = 250_000", "gam_fte_cost = 275_000"),
        ("regions.APAC.local_capacity_fte=-10", "regions.csv", "APAC,50,", "APAC,40,"),           // 50 − 10
        ("regions.EMEA.local_fte_cost=+20%", "regions.csv", "EMEA,70,140000,", "EMEA,70,168000,"), // 140k × 1.2
        ("accounts.A017.growth_potential=+20%", "accounts.csv", "65700000,0.32,17400000,", "65700000,0.32,20880000,"),
        ("accounts.A017.fit=0.9", "accounts.csv", "0.33,0.21,0.48,strategic", "0.33,0.21,0.9,strategic"),
        ("accounts.A001.margin=30%", "accounts.csv", "87500000,0.35,", "87500000,0.3,"),        // fraction: 30% = 0.3
    ]

    @Test(arguments: cases.indices)
    func aChangeMeansWhatAHandEditMeans(_ index: Int) throws {
        let (change, file, old, new) = Self.cases[index]
        let copy = TemporaryFolder()
        try Self.editedCopy(copy, file: file, Self.replacing(old, new))
        let edited = try AllocationInstance.load(dataFolder: copy.path, modelFile: copy.file("model.toml"))
        let changed = try SweepTests.sample([change])
        #expect(changed.model.limits == edited.model.limits, "\(change)")
        #expect(changed.model.tiers == edited.model.tiers, "\(change)")
        #expect(changed.model.costs == edited.model.costs, "\(change)")
        #expect(changed.dataset.regions == edited.dataset.regions, "\(change)")
        #expect(changed.dataset.accounts.map(\.growthPotential) == edited.dataset.accounts.map(\.growthPotential))
        #expect(changed.dataset.accounts.map(\.fit) == edited.dataset.accounts.map(\.fit))
        #expect(changed.dataset.accounts.map(\.margin) == edited.dataset.accounts.map(\.margin))
        #expect(abs(try Self.solve(changed) - Self.solve(edited)) < 1e-6)
    }

    /// `accounts.*.competition=+0.05` adds 0.05 to every account, and stops at 1.
    @Test func aWildcardChangesEveryAccountAndStopsAtTheEdge() throws {
        let copy = TemporaryFolder()
        try Self.editedCopy(copy, file: "accounts.csv") { text in
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for i in 1..<lines.count where !lines[i].isEmpty {
                var cells = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                // competition is the 8th column; 0.97 + 0.05 would be 1.02: it stops at 1.
                cells[7] = String(min(1, Double(cells[7])! + 0.05))
                lines[i] = cells.joined(separator: ",")
            }
            return lines.joined(separator: "\n")
        }
        let edited = try AllocationInstance.load(dataFolder: copy.path, modelFile: copy.file("model.toml"))
        let changed = try SweepTests.sample(["accounts.*.competition=+0.05"])
        for (a, b) in zip(changed.dataset.accounts, edited.dataset.accounts) {
            #expect(abs(a.competition - b.competition) < 1e-12, "\(a.id)")
        }
        let raised = try SweepTests.sample(["accounts.*.competition=+100%"])
        #expect(raised.dataset.accounts.allSatisfy { $0.competition <= 1 })
    }

    /// `--budget` takes the same forms, typed as a user types them (`-15%` is not an option).
    @Test func budgetTakesEveryForm() throws {
        let out = TemporaryFolder()
        let cut = try CommandRun.run(["solve", "--budget", "-15%", "--out", parentOf(out.path), "--name", nameOf(out.path), "--quiet"])
        #expect(cut.status == 0, "\(cut.errors)")
        let summary = try String(contentsOfFile: out.file("summary.json"), encoding: .utf8)
        #expect(summary.contains("\"value\": 23800000"))
    }

    /// `--vary` ends take the same forms, against the value in force: the sample's budget is
    /// 28M, so -20%..+20% is 22.4M..33.6M; its GAM headcount 6, so -2..+2 is 4..8.
    @Test func varyEndsTakeEveryForm() throws {
        let instance = try SweepTests.sample([])
        let budget = try WhatIfKey("limits.budget")
        #expect(try budget.resolve("-20%", in: instance) == 22_400_000)
        #expect(try budget.resolve("+20%", in: instance) == 33_600_000)
        #expect(try budget.resolve("30M", in: instance) == 30_000_000)
        let gams = try WhatIfKey("limits.gam_headcount")
        #expect(try gams.resolve("-2", in: instance) == 4)
        #expect(try gams.resolve("+2", in: instance) == 8)
        #expect(try WhatIfKey("accounts.A017.fit").resolve("50%", in: instance) == 0.5)
        #expect(throws: InputError.self) { try budget.resolve("85%", in: instance) }
        let out = TemporaryFolder()
        let run = try CommandRun.run(["sweep", "--vary", "limits.budget=-20%..+20%", "--steps", "3", "--out", out.path,
                                      "--threads", "1"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("22,400,000") && run.output.contains("33,600,000"), "\(run.output)")
    }

    /// Values that cannot be meant are refused, each with what to write instead, and nothing is written.
    @Test(arguments: [
        (["--budget", "85%"], "--budget: limits.budget: 85% is ambiguous; write -15% for 85 % of the current value"),
        (["--set", "limits.gam_headcount=120%"], "limits.gam_headcount: 120% is ambiguous; write +20% for 120 % of the current value"),
        (["--set", "limits.gam_headcount=+2x"], "+2x is not an amount to add"),
        (["--set", "regions.APAC.local_capacity_fte=none"], "a data column cannot be none"),
        (["--set", "regions.EMEAA.local_capacity_fte=1"], "no region 'EMEAA' (did you mean 'EMEA'?)"),
        (["--set", "accounts.A17.fit=1"], "no account 'A17' (did you mean 'A017'?)"),
        (["--set", "accounts.A017.fitt=1"], "not an account column that can change (did you mean 'fit'?)"),
        (["--set", "accounts.A017.fit=1.5"], "expected a fraction from 0 to 1"),
        (["--set", "tier.total.gam_fte=none"], "none removes an optional limit"),
        (["--set", "regions.APAC.productivity=-100%"], "expected a number > 0"),
    ])
    func badValuesAreRefused(_ arguments: [String], _ message: String) throws {
        let out = TemporaryFolder()
        let folder = out.file("plan")
        let run = try CommandRun.run(["solve", "--out", parentOf(folder), "--name", nameOf(folder), "--quiet"] + arguments)
        #expect(run.status == 2)
        #expect(run.errors.contains(message), "\(run.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder))
    }
}
