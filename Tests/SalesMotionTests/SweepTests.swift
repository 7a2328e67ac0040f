// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

@Suite struct SweepTests {
    static func sample(_ overrides: [String] = []) throws -> AllocationInstance { try sampleInstance(overrides) }

    /// More budget can only help: the optimal net contribution never falls as the budget grows.
    @Test func budgetSweepNeverDecreases() throws {
        let values = Sweep.values(from: 10e6, to: 40e6, count: 20)
        let sweep = try Sweep.run(try Self.sample(["solver.mip_gap=0"]), key: try WhatIfKey("limits.budget"),
                                  values: values, options: .glpk)
        #expect(sweep.points.count == 20)
        let objectives = sweep.points.compactMap(\.netContribution)
        #expect(objectives.count == 20)
        for (lower, higher) in zip(objectives, objectives.dropFirst()) {
            #expect(higher >= lower - 1e-6 * abs(lower))
        }
        // Where the budget binds its shadow price is positive; once it is slack, zero.
        #expect(sweep.points[1].shadowPrice! > 0)
        #expect(sweep.points.last!.shadowPrice == 0)
    }

    /// Warm re-solves (one GLPK problem, changed bounds) must reach the same optimum as solving
    /// every point from scratch, and so must two threads.
    @Test(arguments: ["limits.budget", "limits.gam_headcount", "regions.APAC.local_capacity_fte",
                      "costs.gam_fte_cost", "tier.total.min_revenue", "accounts.A004.growth_potential",
                      "transition.max_changes"])
    func warmSweepMatchesColdSolves(_ keyText: String) throws {
        let instance = try Self.sample(["solver.mip_gap=0", "transition.max_changes=20"])
        let key = try WhatIfKey(keyText)
        let base = try key.value(in: instance)!
        let values = Sweep.values(from: base * 0.5, to: base * 1.5, count: 7)
        let warm = try Sweep.run(instance, key: key, values: values, options: .glpk)
        let cold = try Sweep.run(instance, key: key, values: values, warm: false, options: .glpk)
        let parallel = try Sweep.run(instance, key: key, values: values, workers: 2, options: .glpk)
        for (index, point) in cold.points.enumerated() {
            #expect(warm.points[index].status == point.status, "\(keyText) = \(point.value)")
            #expect(parallel.points[index].status == point.status)
            guard let expected = point.netContribution else { continue }
            #expect(isApproximatelyEqual(warm.points[index].netContribution!, expected, relative: 1e-9),
                    "\(keyText) = \(point.value)")
            #expect(isApproximatelyEqual(parallel.points[index].netContribution!, expected, relative: 1e-9))
        }
    }

    /// An account's column changes the instance it is read into: the value reads back, the
    /// plan moves with it, and a misspelt account or column is named.
    @Test func accountColumnsCanBeVaried() throws {
        let instance = try Self.sample(["solver.mip_gap=0"])
        let key = try WhatIfKey("accounts.A004.growth_potential")
        let session = try AllocationPlanner.session(for: instance, options: .glpk)
        let before = try #require(try session.solve().plan).netContribution
        try session.set(key, to: 0)
        #expect(try key.value(in: session.instance) == 0)
        #expect(try #require(try session.solve().plan).netContribution < before)
        #expect(inputMessages { _ = try WhatIfKey("accounts.A004.growth_potentail") }
                == ["--vary: accounts.A004.growth_potentail: not an account column (did you mean 'growth_potential'?)"])
        #expect(inputMessages { try session.set(try WhatIfKey("accounts.A00.fit"), to: 0.5) }
                == ["--vary: accounts.A00.fit: no account 'A00' (did you mean 'A001'?)"])
    }

    @Test func sweepFilesHaveTheDocumentedColumnsAndMarkTierChanges() throws {
        let sweep = try Sweep.run(try Self.sample(), key: try WhatIfKey("limits.gam_headcount"),
                                  values: Sweep.values(from: 2, to: 8, count: 4), options: .glpk)
        let folder = TemporaryFolder()
        try SweepReport(sweep: sweep).write(to: folder.path)
        let csv = try String(contentsOfFile: folder.file("sweep.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("value,status,objective,expected_revenue,sales_expense,global_expense,shadow_price,"
                              + "local,coordinated,strategic,total,binding_limits,tier_moves,effort_moves\n"))
        #expect(csv.split(separator: "\n").count == 5)
        let svg = try String(contentsOfFile: folder.file("sweep.svg"), encoding: .utf8)
        let moves = (1..<4).filter { !sweep.movedAccounts(at: $0).isEmpty }.count
        #expect(moves > 0)
        #expect(svg.components(separatedBy: "class=\"tier-change\"").count - 1 == 2 * moves)
        #expect(svg.hasPrefix("<svg"))
        // Tier moves and effort moves are apart: an account is in at most one of them.
        for index in 1..<4 {
            #expect(Set(sweep.movedAccounts(at: index)).isDisjoint(with: sweep.effortMovedAccounts(at: index)))
        }
    }

    @Test func unknownKeysAreExplained() {
        let messages = inputMessages { _ = try WhatIfKey("limits.budgte") }
        #expect(messages == ["--vary: limits.budgte: not a numeric key of [limits] (did you mean 'budget'?)"])
        let region = inputMessages { _ = try WhatIfKey("regions.EMEA.capacity") }
        #expect(region.first?.contains("not a region column") == true)
    }

    /// Issue 10, finding 6: charts a manager reads right — a title in words, ticks at 1–2–5
    /// steps, an axis that says when it does not start at zero, the base value marked, and the
    /// tier-change lines naming the accounts that move.
    @Test func chartsReadRight() throws {
        let instance = try Self.sample()
        let sweep = try Sweep.run(instance, key: try WhatIfKey("limits.budget"),
                                  values: Sweep.values(from: 20e6, to: 32e6, count: 5), options: .glpk)
        let report = SweepReport(sweep: sweep)
        let svg = report.chart
        #expect(svg.contains("Net contribution and sales expense as the sales budget varies"))
        #expect(!svg.contains("Sweep of limits.budget"))
        #expect(sweep.baseValue == 28e6)
        #expect(svg.contains("class=\"base-value\"><title>the model's value: 28M</title>"))
        // Net contribution moves by well under a quarter of its size: the axis says so.
        #expect(svg.contains("class=\"axis-break\""))
        #expect(svg.contains("not 0</text>"))
        for index in 1..<sweep.points.count where !sweep.movedAccounts(at: index).isEmpty {
            let first = sweep.accountIds[sweep.movedAccounts(at: index)[0]]
            #expect(svg.contains("change tier: \(first)"), "\(first)")
        }
        // Every tick is a 1, 2 or 5 times a power of ten multiple.
        for (lo, hi) in [(0.0, 33e6), (700.1e6, 708.7e6), (2.0, 8.0), (0.013, 0.0171)] {
            let ticks = SweepReport.niceTicks(lo, hi)
            #expect(ticks.count >= 3 && ticks.count <= 11, "\(lo)…\(hi): \(ticks)")
            let step = ticks[1] - ticks[0]
            let mantissa = step / pow(10, floor(log10(step)))
            #expect([1, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "\(step)")
            #expect(ticks.allSatisfy { abs(($0 / step).rounded() * step - $0) <= 1e-9 * max(1, abs($0)) }, "\(ticks)")
        }
        #expect(SweepReport.niceTicks(0, 33e6) == [0, 10e6, 20e6, 30e6])
    }
}
