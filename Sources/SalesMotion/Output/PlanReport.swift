// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
public import OutputFiles

/// The output files of a solve (spec §7), built in memory and written whole.
public struct PlanReport: Sendable {
    public static let accountsFile = "plan_accounts.csv"
    public static let localFile = "plan_local.csv"
    public static let regionsFile = "plan_regions.csv"
    public static let summaryFile = "summary.json"
    public static let gamsFile = "plan_gams.csv"

    public let instance: AllocationInstance
    public private(set) var result: PlanningResult

    public init(instance: AllocationInstance, result: PlanningResult) {
        self.instance = instance
        self.result = result
    }

    /// File name → contents. Without a plan only summary.json is produced.
    public func files(_ dialect: CSVDialect = .standard) throws -> [(name: String, contents: Data)] {
        try rendered(dialect).files
    }

    /// The files, and the result with the seconds spent rendering them (`write`) and the peak
    /// memory so far, as summary.json reports them.
    public func rendered(_ dialect: CSVDialect = .standard) throws -> (files: [(name: String, contents: Data)], result: PlanningResult) {
        var files: [(String, Data)] = []
        let start = Date()
        if let plan = result.plan {
            // The two long files are written as their rows are made, side by side (a million
            // accounts: 140 and 90 MB, 3.5 and 2.5 s one after the other on two cores).
            let made = sideBySide(2) { index in
                try (index == 0 ? accountsCSV(plan, streaming: dialect) : localCSV(plan, streaming: dialect)).data(dialect)
            }
            files.append((Self.accountsFile, try made[0].get()))
            files.append((Self.localFile, try made[1].get()))
            files.append((Self.regionsFile, try regionsCSV(plan).data(dialect)))
            if instance.dataset.hasNamedGAMs { files.append((Self.gamsFile, try gamsCSV(plan).data(dialect))) }
        }
        var timed = self
        timed.result.timings.write = Date().timeIntervalSince(start)
        timed.result.timings.peakMemoryBytes = PhaseTimings.currentPeakMemory()
        files.append((Self.summaryFile, try timed.summaryJSON()))
        return (files, timed.result)
    }

    /// Writes every file as the whole of `folder`, all or nothing (see ``OutputStage``): plan
    /// files of an earlier run never remain beside this run's summary.
    public func write(to folder: String) throws {
        try write(to: folder, beforeWriting: nil)
    }

    func write(to folder: String, beforeWriting: ((String) throws -> Void)?) throws {
        try OutputFolder.write(try files(), to: folder, beforeWriting: beforeWriting)
    }

    func accountsCSV(_ plan: StaffingPlan, streaming dialect: CSVDialect? = nil) -> CSVDocument {
        let withCurrent = instance.dataset.hasCurrentTiers
        var header = ["account_id", "name", "hq_region", "tier", "gam_fte", "central_fte", "exec_hours", "local_fte",
                      "expected_revenue", "gross_profit", "sales_expense", "net_contribution"]
        if withCurrent { header += ["current_tier", "changed"] }
        let withGAMs = instance.dataset.hasNamedGAMs
        if withGAMs { header.append("lead_gam") }
        var document = dialect.map { CSVDocument(header: header, streaming: $0) } ?? CSVDocument(header: header)
        for staffing in plan.accounts {
            let account = instance.dataset.accounts[staffing.account]
            var row: [CSVCell] = [
                .text(account.id), .text(account.name), .text(instance.dataset.regions[account.headquarters].id),
                .text(instance.model.tiers[staffing.tier].id), .number(staffing.gamFTE), .number(staffing.centralFTE),
                .number(staffing.execHours), .number(staffing.localFTE), .number(staffing.expectedRevenue),
                .number(staffing.grossProfit), .number(staffing.salesExpense), .number(staffing.netContribution),
            ]
            if withCurrent { row += [.text(account.currentTier ?? ""), .flag(staffing.changed)] }
            if withGAMs { row.append(.text(staffing.leadGAM.map { instance.dataset.gams[$0].id } ?? "")) }
            document.append(row)
        }
        return document
    }

    func localCSV(_ plan: StaffingPlan, streaming dialect: CSVDialect? = nil) -> CSVDocument {
        let header = ["account_id", "region", "local_fte", "expected_revenue"]
        var document = dialect.map { CSVDocument(header: header, streaming: $0) } ?? CSVDocument(header: header)
        for staffing in plan.accounts {
            let account = instance.dataset.accounts[staffing.account]
            for local in staffing.local {
                document.append([.text(account.id), .text(instance.dataset.regions[local.region].id),
                                 .number(local.localFTE), .number(local.expectedRevenue)])
            }
        }
        return document
    }

    func regionsCSV(_ plan: StaffingPlan) -> CSVDocument {
        var document = CSVDocument(header: ["region", "local_fte", "local_capacity_fte", "local_expense",
                                            "expected_revenue", "shadow_price"])
        for region in plan.regions {
            document.append([.text(instance.dataset.regions[region.region].id), .number(region.localFTE),
                             .number(region.localCapacityFTE), .number(region.localExpense),
                             .number(region.expectedRevenue), .number(region.shadowPrice)])
        }
        return document
    }

    /// plan_gams.csv: each named GAM's portfolio and load (portfolios.md).
    func gamsCSV(_ plan: StaffingPlan) -> CSVDocument {
        let dataset = instance.dataset
        var document = CSVDocument(header: ["gam_id", "name", "home_region", "capacity_fte", "used_fte", "accounts", "kept",
                                            "away", "account_ids"])
        for portfolio in plan.portfolios(dataset) {
            let gam = dataset.gams[portfolio.gam]
            document.append([.text(gam.id), .text(gam.name), .text(dataset.regions[gam.homeRegion].id), .number(gam.capacityFTE),
                             .number(withoutNoise(portfolio.usedFTE)), .number(Double(portfolio.accounts.count)),
                             .number(Double(portfolio.kept)), .number(Double(portfolio.away)),
                             .text(portfolio.accounts.map { dataset.accounts[$0].id }.joined(separator: " "))])
        }
        return document
    }

    func summaryJSON() throws -> Data {
        Data(summary.rendered.utf8)
    }

    /// summary.json: the keys of the specification first, then the solver's details.
    var summary: JSONValue {
        let plan = result.plan
        var members: [(String, JSONValue)] = [("status", .string(result.status.rawValue))]
        members.append(("objective", .optional(plan?.netContribution)))
        members.append(("expected_revenue", .optional(plan?.expectedRevenue)))
        members.append(("gross_profit", .optional(plan?.grossProfit)))
        members.append(("sales_expense", .optional(plan?.salesExpense)))
        members.append(("global_expense", .optional(plan?.globalExpense)))
        members.append(("program_active", plan.map { .bool($0.programmeActive) } ?? .null))
        members.append(("tier_changes", plan.map { .number(Double($0.tierChanges)) } ?? .null))
        members.append(("reconciliation", plan.map { plan in
            let parts = plan.reconciliation
            let named = instance.dataset.hasNamedGAMs
            var net: [(String, JSONValue)] = [("accounts", .number(parts.accountsNetContribution)),
                                              ("programme", .number(-parts.programmeCost)),
                                              ("tier_changes", .number(-parts.tierChangeCost))]
            var expense: [(String, JSONValue)] = [("accounts", .number(parts.accountsSalesExpense)),
                                                  ("programme", .number(parts.programmeCost)),
                                                  ("tier_changes", .number(parts.tierChangeCost))]
            if named {
                net += [("gam_continuity", .number(parts.continuityValue)), ("gams_away", .number(-parts.awayCost))]
                expense.append(("gams_away", .number(parts.awayCost)))
            }
            return .object([
                ("net_contribution", .object(net + [("total", .number(parts.netContribution))])),
                ("sales_expense", .object(expense + [("total", .number(parts.salesExpense))])),
                ("note", .string("plan_accounts.csv carries each account's figures; the programme's fixed cost and the cost of tier changes are group lines")),
            ])
        } ?? .null))
        if instance.dataset.hasNamedGAMs, let plan {
            let portfolios = plan.portfolios(instance.dataset)
            members.append(("gams", .object([
                ("gams", .number(Double(instance.dataset.gams.count))),
                ("gams_used", .number(Double(portfolios.filter { !$0.accounts.isEmpty }.count))),
                ("fte_used", .number(withoutNoise(portfolios.reduce(0) { $0 + $1.usedFTE }))),
                ("fte_capacity", .number(instance.dataset.gams.reduce(0) { $0 + $1.capacityFTE })),
                ("accounts_kept_with_gam", .number(Double(plan.keptWithGAM))),
                ("accounts_led_from_away", .number(Double(plan.ledFromAway))),
                ("continuity_value", .number(plan.continuityValue)),
                ("away_cost", .number(plan.awayCost)),
            ])))
        }
        members.append(("tiers", plan.map { plan in
            .object(zip(instance.model.tiers, plan.tierCounts).map { ($0.id, .number(Double($1))) })
        } ?? .null))
        members.append(("limits", .array((plan?.limits ?? []).map { limit in
            .object([
                ("name", .string(limit.name)), ("value", .number(limit.value)), ("used", .number(limit.used)),
                ("slack", .number(limit.slack)), ("binding", .bool(limit.binding)),
                ("shadow_price", .optional(limit.shadowPrice)),
            ])
        })))
        members.append(("mip_gap", .object([
            ("relative", .optional(result.relativeGap)),
            ("relative_to", .string("decision-dependent net contribution: the objective minus fixed_part, the value every account has in its least valuable open tier, which no decision changes")),
            ("fixed_part", .number(result.fixedPart)),
            ("absolute", .optional(result.absoluteGap)),
            ("best_bound", .optional(result.bestBound)),
            ("configured", .number(instance.model.solver.mipGap)),
        ])))
        let timings = result.timings
        members.append(("seconds", .object([
            ("read", .number(timings.read)), ("validate", .number(timings.validate)), ("build", .number(timings.build)),
            ("lp", .number(timings.lp)), ("mip", .number(timings.mip)), ("duals", .number(timings.duals)),
            ("diagnosis", .number(timings.diagnosis)), ("solve", .number(timings.solve)), ("write", .number(timings.write)), ("total", .number(timings.total)),
        ])))
        members.append(("peak_memory_bytes", .number(Double(timings.peakMemoryBytes))))
        members.append(("solver_status", .string(result.rawStatus)))
        members.append(("warnings", .array(result.warnings.map(JSONValue.string))))
        if let diagnosis = result.diagnosis { members.append(("diagnosis", diagnosis.json)) }
        return .object(members)
    }
}
