// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
public import OutputFiles
internal import InputFiles

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
        /// The account changes tier (otherwise only its local effort moves).
        public var movesTier: Bool
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
    /// With `compare --today`: whether today's local FTE came from the data (false: they were
    /// re-optimised for today's tiers); nil for two solved scenarios.
    public var todayLocalEffortFromData: Bool?

    /// A limit a plan breaks: its value, the plan's use and by how much it is over (or, for
    /// the global-share minimum, under).
    public struct BrokenLimit: Sendable {
        public var name: String
        public var value: Double
        public var used: Double
        public var by: Double
    }

    /// The limits the first plan breaks (today's handling can: it was not made under them).
    public var brokenBefore: [BrokenLimit] {
        beforePlan.limits.filter { $0.slack < -1e-9 * max(1, abs($0.value)) }.map {
            BrokenLimit(name: $0.name, value: $0.value, used: $0.used, by: -$0.slack)
        }
    }

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

    /// Whether local FTE moved from `a` to `b` beyond ``tolerance``.
    static func moved(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) > tolerance * max(1, abs(a), abs(b))
    }

    /// Accounts whose tier or local FTE changes, in dataset order.
    public var accountChanges: [AccountChange] {
        zip(beforePlan.accounts, afterPlan.accounts).compactMap { old, new in
            let tierMoved = before.model.tiers[old.tier].id != after.model.tiers[new.tier].id
            let fteMoved = zip(old.local, new.local).contains { Self.moved($0.localFTE, $1.localFTE) }
            guard tierMoved || fteMoved else { return nil }
            return AccountChange(account: old.account, tierBefore: old.tier, tierAfter: new.tier,
                                 localFTEBefore: old.localFTE, localFTEAfter: new.localFTE,
                                 netContributionBefore: old.netContribution, netContributionAfter: new.netContribution,
                                 movesTier: tierMoved)
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
                // How far each plan breaks the limit (0 when it keeps it).
                let over = { (use: LimitUse) in use.slack < -1e-9 * max(1, abs(use.value)) ? -use.slack : 0 }
                figures.append(Figure(name: "\(limit.name).broken_by", before: over(limit), after: over(other)))
            }
        }
        let parts = (beforePlan.reconciliation, afterPlan.reconciliation)
        figures.append(Figure(name: "reconciliation.accounts_net_contribution", before: parts.0.accountsNetContribution,
                              after: parts.1.accountsNetContribution))
        figures.append(Figure(name: "reconciliation.programme_cost", before: parts.0.programmeCost, after: parts.1.programmeCost))
        figures.append(Figure(name: "reconciliation.tier_change_cost", before: parts.0.tierChangeCost,
                              after: parts.1.tierChangeCost))
        return figures
    }

    /// compare_accounts.csv
    func accountsCSV() -> CSVDocument {
        var document = CSVDocument(header: ["account_id", "name", "change", "tier_before", "tier_after", "local_fte_before",
                                            "local_fte_after", "net_contribution_before", "net_contribution_after",
                                            "delta_net_contribution"])
        for change in accountChanges {
            let account = before.dataset.accounts[change.account]
            document.append([.text(account.id), .text(account.name), .text(change.movesTier ? "tier" : "local effort"),
                             .text(before.model.tiers[change.tierBefore].id),
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
            document.append([.text(figure.name), .number(figure.before), .number(figure.after), .number(Self.delta(figure))])
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
    public func files(_ dialect: CSVDialect = .standard) throws -> [(name: String, contents: Data)] {
        [(Self.accountsFile, try accountsCSV().data(dialect)), (Self.regionsFile, try regionsCSV().data(dialect)),
         (Self.summaryFile, try summaryCSV().data(dialect))]
    }

    /// What `salesmotion compare` prints: changed figures, moved accounts (largest first), regions.
    public func text(maximumAccounts: Int = 25) -> String {
        var lines: [String] = []
        if let fromData = todayLocalEffortFromData {
            lines.append("Before is today's handling: every account in its current tier, "
                         + (fromData ? "today's local FTE from footprint.csv (current_local_fte)."
                                     : "with local effort re-optimised for those tiers (footprint.csv has no current_local_fte)."))
            let broken = brokenBefore
            lines.append(broken.isEmpty ? "Today keeps every limit." : "Today breaks " + Words.count(broken.count, "limit") + ": "
                         + broken.map { "\($0.name) (\(SummaryText.amount($0.used)) against \(SummaryText.amount($0.value)), by \(SummaryText.amount($0.by)))" }
                             .joined(separator: "; ") + ".")
            lines.append("")
        }
        // The headline difference, line by line: the accounts, then the group lines.
        let parts = (beforePlan.reconciliation, afterPlan.reconciliation)
        let accounts = parts.1.accountsNetContribution - parts.0.accountsNetContribution
        let programme = parts.1.programmeCost - parts.0.programmeCost
        let changeCost = parts.1.tierChangeCost - parts.0.tierChangeCost
        lines.append("Net contribution \(Self.signed(Self.delta(afterPlan.netContribution - beforePlan.netContribution))) = accounts "
                     + SummaryText.reconciled(afterPlan.netContribution - beforePlan.netContribution, accounts,
                                              [(programme >= 0 ? " − programme " : " + programme ", -programme),
                                               (changeCost >= 0 ? " − tier changes " : " + tier changes ", -changeCost)]))
        lines.append("")
        lines.append("Figure                                   before            after            delta")
        for figure in figures where Self.delta(figure) != 0 || ["objective", "sales_expense"].contains(figure.name) {
            lines.append(Self.pad(figure.name, 32) + Self.left(SummaryText.amount(figure.before), 15)
                         + Self.left(SummaryText.amount(figure.after), 17) + Self.left(Self.signed(Self.delta(figure)), 17))
        }
        let changes = accountChanges
        let tierMoves = changes.filter(\.movesTier), effortMoves = changes.filter { !$0.movesTier }
        lines.append("")
        lines.append(changes.isEmpty ? "No account changes tier or local effort."
                     : "\(Words.count(tierMoves.count, "account")) change tier; \(Words.count(effortMoves.count, "account")) keep their tier and change local effort only.")
        for (title, group) in [("Tier moves", tierMoves), ("Local effort moves (same tier)", effortMoves)] where !group.isEmpty {
            lines.append("")
            lines.append("\(title), largest effect first:")
            lines.append("Account    tier before → after                local FTE      delta contribution")
            for change in group.sorted(by: { abs($0.delta) > abs($1.delta) }).prefix(maximumAccounts) {
                let tiers = change.movesTier ? "\(before.model.tiers[change.tierBefore].id) → \(after.model.tiers[change.tierAfter].id)"
                    : before.model.tiers[change.tierBefore].id
                let fte = SummaryText.amount(change.localFTEBefore) + " → " + SummaryText.amount(change.localFTEAfter)
                lines.append(Self.pad(before.dataset.accounts[change.account].id, 10) + Self.pad(tiers, 32)
                             + Self.pad(fte, 18) + Self.left(Self.signed(change.delta), 16))
            }
            if group.count > maximumAccounts { lines.append("… \(group.count - maximumAccounts) more in \(Self.accountsFile)") }
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

    /// A difference, 0 when it is below the solver's tolerance (1e-9 of the figures).
    static func delta(_ figure: Figure) -> Double {
        abs(figure.delta) <= 1e-9 * max(1, abs(figure.before), abs(figure.after)) ? 0 : figure.delta
    }

    static func delta(_ value: Double) -> Double { abs(value) <= 1e-9 ? 0 : value }

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

/// Today's handling as a plan: every account in its current tier, with today's local FTE when
/// the data gives them, every limit evaluated as it stands (today may break some).
public struct TodayPlan: Sendable {
    public var plan: StaffingPlan
    /// Local FTE come from `current_local_fte`; otherwise they were re-optimised for today's
    /// tiers within the regional capacities only.
    public var localEffortFromData: Bool
}

extension AllocationPlanner {
    /// Today's handling of `instance`: needs a `current_tier` for every account (an
    /// ``InputError`` at `--today` otherwise).
    public static func today(_ instance: AllocationInstance, options: PlanningOptions) throws -> TodayPlan {
        let missing = instance.dataset.accounts.filter { $0.currentTier == nil }.map(\.id)
        if !missing.isEmpty {
            let which = missing.count == instance.dataset.accounts.count ? "accounts.csv has no current_tier"
                : "\(Words.count(missing.count, "account")) \(missing.count == 1 ? "has" : "have") no current_tier ("
                    + missing.prefix(5).joined(separator: ", ") + (missing.count > 5 ? ", …" : "") + ")"
            throw InputError([InputDiagnostic(SourceLocation(file: "--today"),
                                              "\(which); today's handling is known only when every account has one")])
        }
        let tiers = try instance.dataset.accounts.map { account -> Int in
            guard let t = instance.model.tierIndex(of: account.currentTier!) else {
                throw InputError([InputDiagnostic(account.source, "current_tier: unknown tier '\(account.currentTier!)'")])
            }
            return t
        }
        let fte: [[Double]]
        if let current = instance.currentLocalFTE {
            fte = current
        } else {
            // Today's tiers with the local effort that pays best within the regional capacities.
            let pinned = try instance.pinnedToCurrentTiers()
            let result = try solve(pinned, options: options)
            guard let plan = result.plan else {
                throw PlanningFailure("today's tiers leave no feasible local effort (\(result.status.rawValue))")
            }
            fte = plan.accounts.map { $0.local.map(\.localFTE) }
        }
        let decisions = PlanDecisions(tiers: tiers, fte: fte,
                                      programmeActive: tiers.contains { instance.model.tiers[$0].isGlobal })
        return TodayPlan(plan: PlanAssembler(instance: instance, decisions: decisions, limitDuals: nil).plan(),
                         localEffortFromData: instance.currentLocalFTE != nil)
    }

    /// What `salesmotion compare` does: solves `base` (with `today`, takes today's handling
    /// instead, see ``today(_:options:)``) and `other`, and compares the two plans when both
    /// have one.
    public static func compare(_ base: AllocationInstance, _ other: AllocationInstance, today: Bool,
                               options: PlanningOptions)
        throws -> (before: PlanningResult, after: PlanningResult, comparison: PlanComparison?) {
        let beforeResult: PlanningResult
        var todayFromData: Bool?
        if today {
            let handling = try Self.today(base, options: options)
            todayFromData = handling.localEffortFromData
            beforeResult = PlanningResult(status: .optimal, plan: handling.plan, bestBound: nil, relativeGap: nil,
                                          absoluteGap: nil, fixedPart: 0, timings: PhaseTimings(),
                                          rawStatus: "today's handling")
        } else {
            beforeResult = try solve(base, options: options)
        }
        let afterResult = try solve(other, options: options)
        guard let beforePlan = beforeResult.plan, let afterPlan = afterResult.plan else {
            return (beforeResult, afterResult, nil)
        }
        var comparison = PlanComparison(before: base, beforePlan: beforePlan, after: other, afterPlan: afterPlan)
        comparison.todayLocalEffortFromData = todayFromData
        return (beforeResult, afterResult, comparison)
    }
}
