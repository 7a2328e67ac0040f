// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
internal import OutputFiles

/// Two plans of the same dataset side by side: which accounts move, how regions and every
/// summary figure change.
public struct PlanComparison {
    /// One account whose tier or local FTE differs.
    public struct AccountChange: Sendable {
        public var account: Int
        public var tierBefore: Int
        public var tierAfter: Int
        public var localFTEBefore: Double
        public var localFTEAfter: Double
        public var netContributionBefore: Double
        public var netContributionAfter: Double
        public var delta: Double { netContributionAfter - netContributionBefore }
    }

    /// One summary figure before and after.
    public struct Figure: Sendable {
        public var name: String
        public var before: Double
        public var after: Double
        public var delta: Double { after - before }
    }

    public let before: AllocationInstance
    public let after: AllocationInstance
    public let beforePlan: StaffingPlan
    public let afterPlan: StaffingPlan

    /// Compares two plans; both instances must share the dataset's accounts and regions.
    public init(before: AllocationInstance, beforePlan: StaffingPlan, after: AllocationInstance, afterPlan: StaffingPlan) {
        precondition(before.dataset.accounts.map(\.id) == after.dataset.accounts.map(\.id))
        self.before = before
        self.after = after
        self.beforePlan = beforePlan
        self.afterPlan = afterPlan
    }

    /// Local FTE differences below this (relative to the larger value, absolute below 1) are noise.
    static let tolerance = 1e-6

    /// Accounts whose tier or local FTE changes, in dataset order.
    public var accountChanges: [AccountChange] {
        zip(beforePlan.accounts, afterPlan.accounts).compactMap { old, new in
            let tierMoved = before.model.tiers[old.tier].id != after.model.tiers[new.tier].id
            let fteMoved = zip(old.local, new.local).contains { a, b in
                abs(a.localFTE - b.localFTE) > Self.tolerance * max(1, abs(a.localFTE), abs(b.localFTE))
            }
            guard tierMoved || fteMoved else { return nil }
            return AccountChange(account: old.account, tierBefore: old.tier, tierAfter: new.tier,
                                 localFTEBefore: old.localFTE, localFTEAfter: new.localFTE,
                                 netContributionBefore: old.netContribution, netContributionAfter: new.netContribution)
        }
    }

    /// Every summary figure: totals, accounts per tier, and the use of every limit in force.
    public var figures: [Figure] {
        var figures = [
            Figure(name: "objective", before: beforePlan.netContribution, after: afterPlan.netContribution),
            Figure(name: "expected_revenue", before: beforePlan.expectedRevenue, after: afterPlan.expectedRevenue),
            Figure(name: "gross_profit", before: beforePlan.grossProfit, after: afterPlan.grossProfit),
            Figure(name: "sales_expense", before: beforePlan.salesExpense, after: afterPlan.salesExpense),
            Figure(name: "global_expense", before: beforePlan.globalExpense, after: afterPlan.globalExpense),
            Figure(name: "program_active", before: beforePlan.programmeActive ? 1 : 0, after: afterPlan.programmeActive ? 1 : 0),
            Figure(name: "tier_changes", before: Double(beforePlan.tierChanges), after: Double(afterPlan.tierChanges)),
        ]
        let tierIds = Array(Set(before.model.tiers.map(\.id) + after.model.tiers.map(\.id)))
        let ordered = before.model.tiers.map(\.id) + tierIds.filter { before.model.tierIndex(of: $0) == nil }.sorted()
        for id in ordered {
            let old = before.model.tierIndex(of: id).map { beforePlan.tierCounts[$0] } ?? 0
            let new = after.model.tierIndex(of: id).map { afterPlan.tierCounts[$0] } ?? 0
            figures.append(Figure(name: "tier.\(id)", before: Double(old), after: Double(new)))
        }
        for limit in beforePlan.limits {
            if let other = afterPlan.limits.first(where: { $0.name == limit.name }) {
                figures.append(Figure(name: "\(limit.name).used", before: limit.used, after: other.used))
            }
        }
        return figures
    }

    /// compare_accounts.csv
    func accountsCSV() -> CSVDocument {
        var document = CSVDocument(header: ["account_id", "name", "tier_before", "tier_after", "local_fte_before",
                                            "local_fte_after", "net_contribution_before", "net_contribution_after",
                                            "delta_net_contribution"])
        for change in accountChanges {
            let account = before.dataset.accounts[change.account]
            document.append([.text(account.id), .text(account.name), .text(before.model.tiers[change.tierBefore].id),
                             .text(after.model.tiers[change.tierAfter].id), .number(change.localFTEBefore),
                             .number(change.localFTEAfter), .number(change.netContributionBefore),
                             .number(change.netContributionAfter), .number(change.delta)])
        }
        return document
    }

    /// compare_regions.csv
    func regionsCSV() -> CSVDocument {
        var document = CSVDocument(header: ["region", "local_fte_before", "local_fte_after", "delta_local_fte",
                                            "local_expense_before", "local_expense_after", "delta_local_expense"])
        for (old, new) in zip(beforePlan.regions, afterPlan.regions) {
            document.append([.text(before.dataset.regions[old.region].id), .number(old.localFTE), .number(new.localFTE),
                             .number(new.localFTE - old.localFTE), .number(old.localExpense), .number(new.localExpense),
                             .number(new.localExpense - old.localExpense)])
        }
        return document
    }

    /// compare_summary.csv
    func summaryCSV() -> CSVDocument {
        var document = CSVDocument(header: ["figure", "before", "after", "delta"])
        for figure in figures {
            document.append([.text(figure.name), .number(figure.before), .number(figure.after), .number(figure.delta)])
        }
        return document
    }

    public static let accountsFile = "compare_accounts.csv"
    public static let regionsFile = "compare_regions.csv"
    public static let summaryFile = "compare_summary.csv"

    /// Writes the three comparison files as the whole of `folder`, all or nothing.
    public func write(to folder: String) throws {
        try OutputFolder.write(try files(), to: folder)
    }

    /// File name → contents.
    public func files() throws -> [(name: String, contents: Data)] {
        [(Self.accountsFile, try accountsCSV().data()), (Self.regionsFile, try regionsCSV().data()),
         (Self.summaryFile, try summaryCSV().data())]
    }

    /// What `salesmotion compare` prints: changed figures, moved accounts (largest first), regions.
    public func text(maximumAccounts: Int = 25) -> String {
        var lines = ["Figure                                   before            after            delta"]
        for figure in figures where figure.delta != 0 || ["objective", "sales_expense"].contains(figure.name) {
            lines.append(Self.pad(figure.name, 32) + Self.left(SummaryText.amount(figure.before), 15)
                         + Self.left(SummaryText.amount(figure.after), 17) + Self.left(Self.signed(figure.delta), 17))
        }
        let changes = accountChanges
        lines.append("")
        if changes.isEmpty {
            lines.append("No account changes tier or local effort.")
        } else {
            lines.append("\(Words.count(changes.count, "account")) change (largest effect first):")
            lines.append("Account    tier before → after                local FTE      delta contribution")
            for change in changes.sorted(by: { abs($0.delta) > abs($1.delta) }).prefix(maximumAccounts) {
                let tiers = "\(before.model.tiers[change.tierBefore].id) → \(after.model.tiers[change.tierAfter].id)"
                let fte = SummaryText.amount(change.localFTEBefore) + " → " + SummaryText.amount(change.localFTEAfter)
                lines.append(Self.pad(before.dataset.accounts[change.account].id, 10) + Self.pad(tiers, 32)
                             + Self.pad(fte, 18) + Self.left(Self.signed(change.delta), 16))
            }
            if changes.count > maximumAccounts { lines.append("… \(changes.count - maximumAccounts) more in \(Self.accountsFile)") }
        }
        lines.append("")
        lines.append("Region       local FTE before → after      local expense delta")
        for (old, new) in zip(beforePlan.regions, afterPlan.regions) {
            lines.append(Self.pad(before.dataset.regions[old.region].id, 12)
                         + Self.pad(SummaryText.amount(old.localFTE) + " → " + SummaryText.amount(new.localFTE), 28)
                         + Self.left(Self.signed(new.localExpense - old.localExpense), 18))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func signed(_ value: Double) -> String {
        let text = SummaryText.amount(value)
        return value > 0 ? "+" + text : text
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}

extension AllocationPlanner {
    /// What `salesmotion compare` does: solves `base` (with `today`, every account kept in its
    /// current tier) and `other`, and compares the two plans when both have one.
    public static func compare(_ base: AllocationInstance, _ other: AllocationInstance, today: Bool,
                               options: PlanningOptions)
        throws -> (before: PlanningResult, after: PlanningResult, comparison: PlanComparison?) {
        let before = today ? try base.pinnedToCurrentTiers() : base
        let beforeResult = try solve(before, options: options)
        let afterResult = try solve(other, options: options)
        guard let beforePlan = beforeResult.plan, let afterPlan = afterResult.plan else {
            return (beforeResult, afterResult, nil)
        }
        return (beforeResult, afterResult,
                PlanComparison(before: before, beforePlan: beforePlan, after: other, afterPlan: afterPlan))
    }
}
