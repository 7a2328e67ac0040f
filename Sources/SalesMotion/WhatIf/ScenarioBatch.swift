// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
public import OutputFiles

/// Several scenarios solved together (`salesmotion scenarios run`): each on the worker threads
/// the backend gives, warm when it differs from the worker's previous scenario only in limit
/// values (the decomposition then keeps its plans and prices), and the table that sets them
/// side by side (`scenarios.csv`).
public struct ScenarioBatch: Sendable {
    /// One scenario's instance and result.
    public struct Entry: Sendable {
        public var name: String
        public var instance: AllocationInstance
        public var result: PlanningResult
        public var seconds: Double

        public init(name: String, instance: AllocationInstance, result: PlanningResult, seconds: Double) {
            (self.name, self.instance, self.result, self.seconds) = (name, instance, result, seconds)
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// Solves `scenarios` (name and instance, in order) on `workers` threads. Scenarios are
    /// dealt to workers in contiguous runs, so neighbours — typically variants of one another —
    /// share a warm session.
    public static func run(_ scenarios: [(name: String, instance: AllocationInstance)], workers: Int,
                           options: PlanningOptions, progress: (@Sendable (Int) -> Void)? = nil) throws -> ScenarioBatch {
        let entries = try ContiguousRuns.run(count: scenarios.count, workers: workers, backend: options.backend,
                                             progress: progress) { (range, store: (Int, Entry) -> Void) in
            var session: WhatIfSession?
            for index in range {
                if options.stop?.isRequested == true { throw PlanningInterrupted() }
                let start = Date()
                let instance = scenarios[index].instance
                if let current = session, current.instance.differsOnlyInLimitValues(from: instance) {
                    try current.moveLimits(to: instance)
                } else {
                    session = try AllocationPlanner.session(for: instance, options: options)
                }
                let result = try session!.solve()
                store(index, Entry(name: scenarios[index].name, instance: instance, result: result,
                                   seconds: Date().timeIntervalSince(start)))
            }
        }
        return ScenarioBatch(entries: entries)
    }

    /// `scenarios.csv`: one row per scenario — its name, status, net contribution, sales
    /// expense, global share of expense, accounts per tier, tier changes, binding limits and
    /// the difference in net contribution to the first scenario (0 for differences below
    /// ``PlanComparison/tolerance``).
    public var table: CSVDocument {
        let tierIds = entries.first?.instance.model.tiers.map(\.id) ?? []
        var document = CSVDocument(header: ["scenario", "status", "net_contribution", "sales_expense", "global_share"]
                                   + tierIds.map { "accounts_\($0)" } + ["tier_changes", "binding_limits", "net_contribution_vs_first"])
        let first = entries.first?.result.plan?.netContribution
        for entry in entries {
            let plan = entry.result.plan
            var row: [CSVCell] = [.text(entry.name), .text(entry.result.status.rawValue)]
            let blank = CSVCell.text("")
            row.append(plan.map { CSVCell.number(withoutNoise($0.netContribution)) } ?? blank)
            row.append(plan.map { CSVCell.number(withoutNoise($0.salesExpense)) } ?? blank)
            row.append(plan.map { $0.salesExpense > 0 ? CSVCell.number(withoutNoise($0.globalExpense / $0.salesExpense)) : blank } ?? blank)
            let sameTiers = entry.instance.model.tiers.map(\.id) == tierIds
            row += tierIds.indices.map { t in plan.flatMap { sameTiers ? CSVCell.number(Double($0.tierCounts[t])) : nil } ?? blank }
            row.append(plan.map { CSVCell.number(Double($0.tierChanges)) } ?? blank)
            row.append(plan.map { CSVCell.text($0.limits.filter(\.binding).map(\.name).joined(separator: " ")) } ?? blank)
            if let value = plan?.netContribution, let first {
                let difference = value - first
                row.append(.number(PlanComparison.moved(first, value) ? withoutNoise(difference) : 0))
            } else {
                row.append(.text(""))
            }
            document.append(row)
        }
        return document
    }
}

extension AllocationInstance {
    /// Whether `other` is this instance with other values of the limits that are plain bounds
    /// (budget, headcounts, hours, counts, regional capacities: ``KeySchema/Key/isBound``) that
    /// both have. Ratio limits (`max_cost_of_sales`, the global-share band) change coefficients,
    /// not bounds, so a change of theirs is not one a warm solve can take.
    func differsOnlyInLimitValues(from other: AllocationInstance) -> Bool {
        guard limitsInForce == other.limitsInForce, dataset.accounts == other.dataset.accounts,
              dataset.regions.count == other.dataset.regions.count,
              zip(dataset.regions, other.dataset.regions).allSatisfy({
                  $0.id == $1.id && $0.localFTECost == $1.localFTECost && $0.productivity == $1.productivity
              })
        else { return false }
        var mine = model, theirs = other.model
        for key in KeySchema.keys where key.isBound {
            key.set(&mine, 0, nil)
            key.set(&theirs, 0, nil)
        }
        return mine == theirs
    }
}
