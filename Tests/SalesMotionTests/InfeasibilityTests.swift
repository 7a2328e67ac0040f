// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

@Suite(.serialized) struct InfeasibilityTests {
    static func diagnosis(_ folder: TemporaryFolder) throws -> [String: Any] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("summary.json"))))
        return (json as! [String: Any])["diagnosis"] as! [String: Any]
    }

    /// Solving with every suggested value applied must succeed.
    static func solves(with relaxations: [[String: Any]], extra: [String]) throws -> Bool {
        let keys: [String: String] = ["budget": "limits.budget", "gam_headcount": "limits.gam_headcount",
                                      "central_fte": "limits.central_fte", "exec_hours": "limits.exec_hours",
                                      "max_cost_of_sales": "limits.max_cost_of_sales",
                                      "max_global_accounts": "limits.max_global_accounts",
                                      "max_changes": "transition.max_changes"]
        // The folder lives as long as the test: a TemporaryFolder made inline was removed at once,
        // and the run's files then stayed in /tmp.
        let out = TemporaryFolder()
        var arguments = ["solve", "--quiet", "--out", out.path] + extra
        for relaxation in relaxations {
            let name = relaxation["name"] as! String, value = relaxation["suggested"] as! Double
            if let key = keys[name] {
                arguments += ["--set", "\(key)=\(value)"]
            } else if name.hasPrefix("local_capacity_fte.") {
                Issue.record("capacity relaxations are checked in library tests")
            } else {
                Issue.record("unexpected relaxation \(name)")
            }
        }
        return try CommandRun.run(arguments).status == 0
    }

    /// The sample's cheapest possible plan costs about 9.45M; at half of that the diagnosis
    /// names the mandatory minimum, and the relaxation it suggests admits a plan.
    @Test func budgetAtHalfTheMinimum() throws {
        let out = TemporaryFolder()
        let run = try CommandRun.run(["solve", "--budget", "4.7M", "--out", parentOf(out.path), "--name", nameOf(out.path)])
        #expect(run.status == 1)
        #expect(run.output.contains("the mandatory minimum (every account in its cheapest open tier with that tier's minimum local coverage) already costs"))
        #expect(run.output.contains("raise the budget from 4,700,000 to"))
        let diagnosis = try Self.diagnosis(out)
        let relaxation = diagnosis["relaxation"] as! [[String: Any]]
        #expect(!relaxation.isEmpty)
        #expect(try Self.solves(with: relaxation, extra: ["--set", "limits.budget=4.7M"]))
        for alternative in diagnosis["alternatives"] as! [[String: Any]] {
            #expect(try Self.solves(with: [alternative], extra: ["--set", "limits.budget=4.7M"]))
        }
        // and the budget is not over-asked: 1 % below the needed value is still infeasible
        let needed = relaxation.first { $0["name"] as? String == "budget" }!["needed"] as! Double
        #expect(try CommandRun.run(["solve", "--quiet", "--out", out.path,
                                    "--set", "limits.budget=\(needed * 0.99)"]).status == 1)
    }

    /// Eight accounts pinned to total management need 8 GAM FTE; there are 6.
    @Test func pinsNeedMoreManagersThanThereAre() throws {
        let out = TemporaryFolder()
        let pins = ["A001", "A002", "A003", "A004", "A005", "A006", "A007", "A012"].flatMap { ["--pin", "\($0)=total"] }
        let run = try CommandRun.run(["solve", "--out", parentOf(out.path), "--name", nameOf(out.path), "--set", "limits.budget=none"] + pins)
        #expect(run.status == 1)
        #expect(run.output.contains("pins and eligibility alone need 8 GAM FTE against 6 available"))
        let relaxation = try Self.diagnosis(out)["relaxation"] as! [[String: Any]]
        #expect(relaxation.contains { $0["name"] as? String == "gam_headcount" && $0["suggested"] as? Double == 8 })
        #expect(try Self.solves(with: relaxation, extra: ["--set", "limits.budget=none"] + pins))
    }

    /// APAC capacity cut to 5 FTE is below the minimum coverage of its accounts.
    @Test func capacityBelowTheMinimumCoverage() throws {
        let instance = try SweepTests.sample(["limits.budget=none"])
        var dataset = instance.dataset
        let apac = dataset.regions.firstIndex { $0.id == "APAC" }!
        dataset.regions[apac].localCapacityFTE = 5
        let cut = try AllocationInstance(dataset: dataset, model: instance.model)
        #expect(try AllocationPlanner.solve(cut, options: .glpk).status == .infeasible)
        let diagnosis = try InfeasibilityDiagnosis.diagnose(cut, options: .glpk)
        #expect(diagnosis.cheapBounds.contains { $0.hasPrefix("the minimum local coverage in APAC alone needs") })
        let relaxation = try #require(diagnosis.relaxations.first { $0.name == "local_capacity_fte.APAC" })
        dataset.regions[apac].localCapacityFTE = relaxation.suggested
        #expect(try AllocationPlanner.solve(try AllocationInstance(dataset: dataset, model: instance.model), options: .glpk).status == .optimal)
        #expect(InfeasibilityDiagnosis.phrase(relaxation).hasPrefix("raise APAC local capacity (FTE) from 5 to"))
    }

    /// "The smallest relaxation found: raise the budget …" was followed by "Any one of these alone
    /// would also do: raise the budget …", the same line again: a smallest relaxation of one
    /// limit is that limit alone. Other single limits are still listed, one with "This one".
    @Test func aRelaxationOfOneLimitIsNotSaidTwice() {
        func relaxation(_ kind: LimitKind, _ name: String, _ value: Double, _ needed: Double) -> InfeasibilityDiagnosis.Relaxation {
            .init(kind: kind, name: name, value: value, needed: needed, suggested: needed)
        }
        let budget = relaxation(.budget, "budget", 4_700_000, 9_908_000), gams = relaxation(.gamHeadcount, "gam_headcount", 6, 8)
        let alone = InfeasibilityDiagnosis(cheapBounds: [], relaxations: [budget], alternatives: [budget]).text
        #expect(alone == "The smallest relaxation found that admits a plan:\n- raise the budget from 4,700,000 to 9,908,000 (+5,208,000).\n")
        let another = InfeasibilityDiagnosis(cheapBounds: [], relaxations: [budget], alternatives: [budget, gams]).text
        #expect(another.hasSuffix("(+5,208,000).\nThis one alone would also do:\n- " + InfeasibilityDiagnosis.phrase(gams) + ".\n"), "\(another)")
        let joint = InfeasibilityDiagnosis(cheapBounds: [], relaxations: [budget, gams], alternatives: [budget, gams]).text
        #expect(joint.contains("Any one of these alone would also do:\n- raise the budget"), "\(joint)")
    }

    @Test func suggestionsRoundOutward() {
        #expect(InfeasibilityDiagnosis.roundSignificant(14_236_512, up: true) == 14_240_000)
        #expect(InfeasibilityDiagnosis.roundSignificant(0.123_44, up: false) == 0.1234)
        #expect(InfeasibilityDiagnosis.suggestion(.gamHeadcount, needed: 7.0000000001) == 7)
        #expect(InfeasibilityDiagnosis.suggestion(.gamHeadcount, needed: 7.2) == 8)
    }
}
