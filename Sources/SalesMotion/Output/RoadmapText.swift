// SPDX-License-Identifier: GPL-3.0-or-later

internal import OutputFiles

/// What `salesmotion roadmap` prints: the status, a table of the years, and the accounts that
/// change tier in each year.
public struct RoadmapText {
    public let roadmap: RoadmapInstance
    public let result: RoadmapResult
    /// Accounts listed per year before the rest are counted.
    public static let listedChanges = 12

    public init(roadmap: RoadmapInstance, result: RoadmapResult) {
        self.roadmap = roadmap
        self.result = result
    }

    public var text: String {
        let words: [PlanStatus: String] = [
            .optimal: "optimal (within the configured gap)",
            .timeLimit: "stopped before proving the gap; best roadmap found so far",
            .infeasible: "infeasible: no path through the years satisfies every year's limits",
            .noSolution: "no roadmap found before the solver stopped",
        ]
        var lines = ["Status            \(words[result.status]!)"]
        guard let objective = result.objective, !result.years.isEmpty else {
            for (year, diagnosis) in result.yearDiagnoses {
                lines.append("Year \(year):")
                lines.append(diagnosis.text)
            }
            if let coupling = result.couplingExplanation { lines.append("Why: \(coupling).") }
            return lines.joined(separator: "\n") + "\n"
        }
        let settings = roadmap.settings
        lines.append("Net contribution  \(SummaryText.money(objective)) over \(Words.count(result.years.count, "year")), discounted at "
                     + SummaryText.percent(settings.discountRate) + " a year"
                     + (settings.marketGrowth != 0 ? ", market growing " + SummaryText.percent(settings.marketGrowth) + " a year" : ""))
        lines.append("                  = " + result.years.map { "\(SummaryText.money($0.discounted)) (year \($0.year))" }.joined(separator: " + "))
        if let gap = result.relativeGap {
            lines.append("MIP gap           \(gap == 0 ? "0" : String(format: "%.2g", gap)) of the decision-dependent part"
                         + (result.absoluteGap.map { " (absolute \(SummaryText.money($0)) of discounted net contribution)" } ?? ""))
        }
        lines.append("")
        let tierIds = roadmap.base.model.tiers.map(\.id)
        var header = SummaryText.pad("Year", 6) + SummaryText.left("Net contribution", 18) + SummaryText.left("Sales expense", 16)
            + SummaryText.left("Changes", 9)
        for id in tierIds { header += SummaryText.left(id, max(8, id.count + 2)) }
        lines.append(header + "  Binding limits")
        for year in result.years {
            let plan = year.plan
            var line = SummaryText.pad("\(year.year)", 6) + SummaryText.left(SummaryText.money(plan.netContribution), 18)
                + SummaryText.left(SummaryText.money(plan.salesExpense), 16) + SummaryText.left(Words.grouped(plan.tierChanges), 9)
            for (id, count) in zip(tierIds, plan.tierCounts) { line += SummaryText.left(Words.grouped(count), max(8, id.count + 2)) }
            let binding = plan.limits.filter(\.binding).map(\.name)
            lines.append(line + "  " + (binding.isEmpty ? "—" : binding.joined(separator: ", ")))
        }
        lines.append("Figures per year are undiscounted.")
        for year in result.years {
            let moved = year.plan.accounts.filter(\.changed)
            lines.append("")
            lines.append("Year \(year.year): \(moved.isEmpty ? "no account changes tier" : Words.count(moved.count, "account") + " change tier")")
            for staffing in moved.prefix(Self.listedChanges) {
                let account = roadmap.base.dataset.accounts[staffing.account]
                let from = year.instance.dataset.accounts[staffing.account].currentTier ?? "—"
                lines.append("  \(account.id) \(account.name): \(from) → \(tierIds[staffing.tier])")
            }
            if moved.count > Self.listedChanges {
                lines.append("  … and \(Words.count(moved.count - Self.listedChanges, "more account")) (\(RoadmapReport.tiersFile))")
            }
        }
        lines.append("")
        lines.append(String(format: "Solved in %.2f s (build %.2f s, LP %.2f s, MIP %.2f s, years %.2f s)",
                            result.timings.build + result.timings.solve, result.timings.build, result.timings.lp,
                            result.timings.mip, result.timings.duals))
        return lines.joined(separator: "\n") + "\n"
    }
}
