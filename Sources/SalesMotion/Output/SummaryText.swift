// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import OutputFiles

/// The short readable summary `salesmotion solve` prints.
public struct SummaryText {
    public let instance: AllocationInstance
    public let result: PlanningResult

    public init(instance: AllocationInstance, result: PlanningResult) {
        self.instance = instance
        self.result = result
    }

    public var text: String {
        var lines: [String] = []
        let statusWords: [PlanStatus: String] = [
            .optimal: "optimal (within the configured gap)",
            .timeLimit: "time limit reached; best plan found so far",
            .infeasible: "infeasible: no plan satisfies every limit",
            .noSolution: "no plan found before the solver stopped",
        ]
        // `time_limit` is any stop with a plan outside the gap; only say the clock ran out when it did.
        let clockRanOut = result.reachedDeadline || result.timings.total >= 0.9 * instance.model.solver.timeLimit
        let status = result.status == .timeLimit && !clockRanOut
            ? "stopped before proving the gap (the solver gave up, not the clock); best plan found so far"
            : statusWords[result.status]!
        lines.append("Status            \(status)")
        guard let plan = result.plan else {
            if let diagnosis = result.diagnosis { lines.append(diagnosis.text) }
            return lines.joined(separator: "\n") + "\n"
        }
        let budget = instance.model.limits.budget
        let parts = plan.reconciliation
        let changes = Words.count(parts.tierChanges, "tier change")
        lines.append("Net contribution  \(Self.money(plan.netContribution))")
        let named = instance.dataset.hasNamedGAMs
        let gamLines: [(label: String, value: Double)] = named
            ? [(" + kept with their GAM ", parts.continuityValue), (" − led from away ", -parts.awayCost)] : []
        lines.append("                  = accounts " + Self.reconciled(plan.netContribution, parts.accountsNetContribution,
                                                                      [(" − programme ", -parts.programmeCost),
                                                                       (" − \(changes) ", -parts.tierChangeCost)] + gamLines))
        lines.append("Expected revenue  \(Self.money(plan.expectedRevenue))   gross profit \(Self.money(plan.grossProfit))")
        lines.append("Sales expense     \(Self.money(plan.salesExpense))"
                     + (budget.map { " of budget \(Self.money($0))" } ?? " (no budget cap)")
                     + "   global \(Self.money(plan.globalExpense))")
        lines.append("                  = accounts " + Self.reconciled(plan.salesExpense, parts.accountsSalesExpense,
                                                                      [(" + programme ", parts.programmeCost),
                                                                       (" + \(changes) ", parts.tierChangeCost)]
                                                                      + (named ? [(" + led from away ", parts.awayCost)] : [])))
        if let gap = result.relativeGap {
            lines.append("MIP gap           \(gap == 0 ? "0" : String(format: "%.2g", gap)) of the decision-dependent part"
                         + (result.absoluteGap.map { " (absolute \(Self.money($0)) of net contribution)" } ?? ""))
        }
        let tiers = zip(instance.model.tiers, plan.tierCounts).map { "\($0.id) \(Self.money(Double($1)))" }.joined(separator: ", ")
        lines.append("Accounts per tier \(tiers)")
        if instance.dataset.hasCurrentTiers { lines.append("Tier changes      \(Words.grouped(plan.tierChanges))") }
        lines.append("Programme         \(plan.programmeActive ? "running" : "not running")")
        if named { lines += gamLinesText(plan) }
        if !result.warnings.isEmpty {
            lines.append("")
            lines.append("Check the inputs:")
            lines += result.warnings.map { "- " + $0 + "." }
        }
        lines.append("")
        lines.append("Limit                              value           used          slack  shadow price")
        for limit in plan.limits {
            let mark = limit.binding ? "  binding" : ""
            let shadow = limit.shadowPrice.map { Self.amount($0) } ?? "—"
            let slack = abs(limit.slack) <= 1e-9 * max(1, abs(limit.value)) ? 0 : limit.slack
            lines.append(Self.pad(limit.name, 28) + Self.left(Self.amount(limit.value), 12)
                         + Self.left(Self.amount(limit.used), 15) + Self.left(Self.amount(slack), 15)
                         + Self.left(shadow, 14) + mark)
        }
        lines.append("")
        lines.append(String(format: "Solved in %.2f s (build %.2f s, LP %.2f s, MIP %.2f s, duals %.2f s)",
                            result.timings.build + result.timings.solve, result.timings.build, result.timings.lp,
                            result.timings.mip, result.timings.duals))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Each named GAM's load and portfolio (the first accounts by net contribution).
    private func gamLinesText(_ plan: StaffingPlan) -> [String] {
        let dataset = instance.dataset
        var lines = ["", "GAM portfolios    \(Words.count(plan.keptWithGAM, "account")) kept with their GAM, \(Words.count(plan.ledFromAway, "account")) led from another region"]
        let portfolios = plan.portfolios(dataset)
        let idle = portfolios.filter { $0.accounts.isEmpty }.count
        for portfolio in portfolios.filter({ !$0.accounts.isEmpty }).prefix(Self.listedGAMs) {
            let gam = dataset.gams[portfolio.gam]
            let shown = portfolio.accounts.prefix(6).map { dataset.accounts[$0].id }.joined(separator: " ")
            let more = portfolio.accounts.count > 6 ? " … +\(portfolio.accounts.count - 6)" : ""
            lines.append("  \(gam.id) \(gam.name) (\(dataset.regions[gam.homeRegion].id)): \(Self.amount(withoutNoise(portfolio.usedFTE))) of \(Self.amount(gam.capacityFTE)) FTE, "
                         + "\(Words.count(portfolio.accounts.count, "account"))" + (shown.isEmpty ? "" : ": \(shown)\(more)"))
        }
        let busy = portfolios.count - idle
        if busy > Self.listedGAMs { lines.append("  … \(Words.count(busy - Self.listedGAMs, "more GAM")) with accounts (\(PlanReport.gamsFile))") }
        if idle > 0 { lines.append("  \(Words.count(idle, "GAM")) without accounts") }
        return lines
    }

    /// GAMs listed in the terminal before the rest are counted.
    static let listedGAMs = 20

    /// `first` and the signed `lines` in whole units that add up to `total` as printed: the
    /// rounding difference, if any, goes to `first` (the largest part), so a reader's sum of
    /// the printed figures matches the printed total.
    static func reconciled(_ total: Double, _ first: Double, _ lines: [(label: String, value: Double)]) -> String {
        let rounded = lines.map { $0.value.rounded() }
        let head = total.rounded() - rounded.reduce(0, +)
        return money(head) + zip(lines, rounded).map { $0.label + money(abs($1)) }.joined()
    }


    /// The phase table of `solve --timings`.
    public static func timingTable(_ timings: PhaseTimings) -> String {
        let rows: [(String, Double)] = [("read", timings.read), ("validate", timings.validate), ("build", timings.build),
                                        ("LP", timings.lp), ("MIP", timings.mip), ("duals", timings.duals),
                                        ("diagnosis", timings.diagnosis), ("write", timings.write), ("total", timings.total)]
        var lines = ["Phase        seconds"]
        lines += rows.map { name, seconds in
            name + String(repeating: " ", count: max(1, 11 - name.count)) + String(format: "%9.3f", seconds)
        }
        lines.append(String(format: "peak memory %8.1f MB", Double(timings.peakMemoryBytes) / 1_048_576))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `12,345,678` (money rounded to whole units, thousands grouped).
    static func money(_ value: Double) -> String {
        let rounded = value.rounded()
        guard rounded.isFinite, abs(rounded) < 1e18 else { return "\(value)" }
        let digits = String(Int64(abs(rounded)))
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (rounded < 0 ? "-" : "") + grouped
    }

    /// Money for large values, up to four significant decimals for small ones (FTE, ratios).
    public static func amount(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if abs(value) >= 1000 { return money(value) }
        return String(format: "%.4g", value)
    }

    static func percent(_ value: Double) -> String { String(format: "%.4g %%", value * 100) }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
