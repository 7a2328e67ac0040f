// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

@Suite struct ExplainTests {
    static func sample(_ overrides: [String]) throws -> AllocationInstance {
        try SweepTests.sample(["solver.mip_gap=0"] + overrides)
    }

    /// Every tier other than the chosen one gets a reason: closed (which rule) or a cost.
    @Test func everyTierHasAReason() throws {
        let instance = try Self.sample([])
        let explanation = try AccountExplanation.explain("A017", in: instance, options: .glpk)
        let optimum = try #require(try AllocationPlanner.solve(instance, options: .glpk).plan).netContribution
        #expect(explanation.chosenTier == "local")
        #expect(explanation.reasons.map(\.tier) == ["local", "coordinated", "strategic", "total"])
        for reason in explanation.reasons {
            switch reason.verdict {
            case .chosen: #expect(reason.tier == "local")
            case .ineligible(let rules): #expect(!rules.isEmpty)
            case .costs(let loss, _, _, let forced):
                // Forcing a tier cannot beat the optimum (gap 0), so the loss is the real
                // difference of the two plans, not a clamp at zero.
                #expect(forced <= optimum + 1e-9 * abs(optimum))
                #expect(isApproximatelyEqual(loss, optimum - forced, absolute: 1e-3), "\(reason.tier)")
            case .pinnedElsewhere, .infeasible: Issue.record("unexpected verdict for \(reason.tier)")
            }
        }
        // A017 has fit 0.48: strategic needs 0.5, total 0.6 and three regions (it buys in two).
        guard case .ineligible(let rules) = explanation.reasons[3].verdict else {
            Issue.record("total should be closed")
            return
        }
        #expect(rules == ["it buys in 2 regions, the tier needs 3", "fit 0.48 is below the tier's minimum 0.6"])
        #expect(explanation.text.contains("- coordinated: forcing it would lower group net contribution by"))
    }

    /// The loss reported for forcing a tier equals the difference of two `solve` runs.
    @Test func forcedLossEqualsTheDifferenceOfTwoSolves() throws {
        let explanation = try AccountExplanation.explain("A004", in: try Self.sample([]), options: .glpk)
        guard case .costs(let loss, _, _, _) = explanation.reasons.first(where: { $0.tier == "total" })!.verdict else {
            Issue.record("total should be open to A004")
            return
        }
        let free = TemporaryFolder(), pinned = TemporaryFolder()
        #expect(try CommandRun.run(["solve", "--quiet", "--set", "solver.mip_gap=0", "--out", parentOf(free.path), "--name", nameOf(free.path)]).status == 0)
        #expect(try CommandRun.run(["solve", "--quiet", "--set", "solver.mip_gap=0", "--pin", "A004=total",
                                    "--out", parentOf(pinned.path), "--name", nameOf(pinned.path)]).status == 0)
        func objective(_ folder: TemporaryFolder) throws -> Double {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("summary.json"))))
            return (json as! [String: Any])["objective"] as! Double
        }
        let difference = try objective(free) - objective(pinned)
        #expect(difference > 0)
        #expect(isApproximatelyEqual(loss, difference, relative: 1e-9, absolute: 1e-3))
    }

    /// The budget found to move an account up does so, and the budget checked just below it
    /// does not.
    @Test func budgetToMoveUpIsRight() throws {
        let instance = try Self.sample(["limits.budget=16M"])
        let explanation = try AccountExplanation.explain("A002", in: instance, options: .glpk)
        let move = try #require(explanation.budgetToMoveUp)
        #expect(move.budget > 16e6)
        func tier(at budget: Double) throws -> String {
            var model = instance.model
            model.limits.budget = budget
            let result = try AllocationPlanner.solve(try AllocationInstance(dataset: instance.dataset, model: model), options: .glpk)
            let a = instance.dataset.accounts.firstIndex { $0.id == "A002" }!
            return model.tiers[result.plan!.accounts[a].tier].id
        }
        #expect(try tier(at: move.budget) == move.tier)
        #expect(move.checkedBelow < move.budget && move.budget - move.checkedBelow <= 0.025 * 16e6)
        #expect(try tier(at: move.checkedBelow) == explanation.chosenTier)
    }

    @Test func unknownAccountIsABadInput() throws {
        let messages = inputMessages { _ = try AccountExplanation.explain("A0044", in: try Self.sample([]), options: .glpk) }
        #expect(messages == ["explain: unknown account 'A0044' (did you mean 'A004'?)"])
    }

    /// Issue 10, finding 5: the explanation starts with today's tier.
    @Test func theExplanationStartsWithTodaysTier() throws {
        let instance = try Self.sample([])
        let changed = try AccountExplanation.explain("A010", in: instance, options: .glpk)
        let today = try #require(instance.dataset.accounts.first { $0.id == "A010" }?.currentTier)
        #expect(changed.currentTier == today)
        let first = try #require(changed.text.split(separator: "\n").first)
        #expect(first.contains(changed.chosenTier == today ? ", as today." : "; today it is \(today), so this is a change of tier."),
                "\(first)")
    }

    /// Issue 10, finding 9: explain on an infeasible model exits 1 with the diagnosis, as solve
    /// does (it used to exit 3, "solver failure").
    @Test func explainOnAnInfeasibleModelGivesTheDiagnosis() throws {
        let run = try CommandRun.run(["explain", "A001", "--budget", "4.7M"])
        #expect(run.status == 1, "\(run.errors)")
        #expect(run.output.contains("No plan to explain A001 against."))
        #expect(run.output.contains("raise the budget from 4,700,000"))
        #expect(!run.errors.contains("solver failure"))
    }
}
