// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
public import OutputFiles

/// The output files of a roadmap (roadmap.md, "Outputs"), built in memory and written whole.
public struct RoadmapReport {
    public static let tiersFile = "roadmap_tiers.csv"
    public static let planFile = "roadmap_plan.csv"
    public static let localFile = "roadmap_local.csv"
    public static let yearsFile = "roadmap_years.csv"
    public static let summaryFile = "roadmap_summary.json"

    public let roadmap: RoadmapInstance
    public private(set) var result: RoadmapResult

    public init(roadmap: RoadmapInstance, result: RoadmapResult) {
        self.roadmap = roadmap
        self.result = result
    }

    private var tierIds: [String] { roadmap.base.model.tiers.map(\.id) }
    private var dataset: Dataset { roadmap.base.dataset }

    /// File name → contents; without a plan only the summary. The result comes back with the
    /// seconds spent rendering (`write`) and the peak memory so far.
    public func rendered(_ dialect: CSVDialect = .standard) throws -> (files: [(name: String, contents: Data)], result: RoadmapResult) {
        var files: [(String, Data)] = []
        let start = Date()
        if !result.years.isEmpty {
            files.append((Self.tiersFile, try tiersCSV().data(dialect)))
            files.append((Self.planFile, try planCSV().data(dialect)))
            files.append((Self.localFile, try localCSV().data(dialect)))
            files.append((Self.yearsFile, try yearsCSV().data(dialect)))
        }
        var timed = self
        timed.result.timings.write = Date().timeIntervalSince(start)
        timed.result.timings.peakMemoryBytes = PhaseTimings.currentPeakMemory()
        files.append((Self.summaryFile, Data(timed.summary.rendered.utf8)))
        return (files, timed.result)
    }

    /// Each account's tier year by year (index per year, then per account).
    var tiers: [[Int]] { result.years.map { $0.plan.accounts.map(\.tier) } }

    /// roadmap_tiers.csv: the page a manager prints.
    func tiersCSV() -> CSVDocument {
        let years = result.years.count
        var document = CSVDocument(header: ["account_id", "name", "hq_region", "current_tier"] + (1...years).map { "year_\($0)" }
                                   + ["changes", "first_change_year"])
        let tiers = self.tiers
        for (a, account) in dataset.accounts.enumerated() {
            let changed = result.years.map { $0.plan.accounts[a].changed }
            var row: [CSVCell] = [.text(account.id), .text(account.name), .text(dataset.regions[account.headquarters].id),
                                  .text(account.currentTier ?? "")]
            row += tiers.map { .text(tierIds[$0[a]]) }
            row.append(.number(Double(changed.filter { $0 }.count)))
            row.append(changed.firstIndex(of: true).map { .number(Double($0 + 1)) } ?? .text(""))
            document.append(row)
        }
        return document
    }

    /// roadmap_plan.csv: one row per (year, account), as plan_accounts.csv.
    func planCSV() -> CSVDocument {
        var document = CSVDocument(header: ["year", "account_id", "tier", "gam_fte", "central_fte", "exec_hours", "local_fte",
                                            "expected_revenue", "gross_profit", "sales_expense", "net_contribution", "changed"])
        for year in result.years {
            for staffing in year.plan.accounts {
                document.append([.number(Double(year.year)), .text(dataset.accounts[staffing.account].id), .text(tierIds[staffing.tier]),
                                 .number(staffing.gamFTE), .number(staffing.centralFTE), .number(staffing.execHours),
                                 .number(staffing.localFTE), .number(staffing.expectedRevenue), .number(staffing.grossProfit),
                                 .number(staffing.salesExpense), .number(staffing.netContribution), .flag(staffing.changed)])
            }
        }
        return document
    }

    /// roadmap_local.csv: one row per (year, account, footprint region), as plan_local.csv.
    func localCSV() -> CSVDocument {
        var document = CSVDocument(header: ["year", "account_id", "region", "local_fte", "expected_revenue"])
        for year in result.years {
            for staffing in year.plan.accounts {
                for local in staffing.local {
                    document.append([.number(Double(year.year)), .text(dataset.accounts[staffing.account].id),
                                     .text(dataset.regions[local.region].id), .number(local.localFTE), .number(local.expectedRevenue)])
                }
            }
        }
        return document
    }

    /// roadmap_years.csv: one row per year with its totals, accounts per tier and binding limits.
    func yearsCSV() -> CSVDocument {
        var document = CSVDocument(header: ["year", "net_contribution", "discounted", "expected_revenue", "sales_expense",
                                            "global_expense", "gam_fte", "central_fte", "exec_hours", "changes"]
                                   + tierIds.map { "accounts_\($0)" } + ["binding_limits"])
        for year in result.years {
            let plan = year.plan
            var row: [CSVCell] = [.number(Double(year.year)), .number(withoutNoise(plan.netContribution)),
                                  .number(withoutNoise(year.discounted)), .number(withoutNoise(plan.expectedRevenue)),
                                  .number(withoutNoise(plan.salesExpense)), .number(withoutNoise(plan.globalExpense))]
            row.append(.number(withoutNoise(plan.accounts.reduce(0) { $0 + $1.gamFTE })))
            row.append(.number(withoutNoise(plan.accounts.reduce(0) { $0 + $1.centralFTE })))
            row.append(.number(withoutNoise(plan.accounts.reduce(0) { $0 + $1.execHours })))
            row.append(.number(Double(plan.tierChanges)))
            row += plan.tierCounts.map { .number(Double($0)) }
            row.append(.text(plan.limits.filter(\.binding).map(\.name).joined(separator: " ")))
            document.append(row)
        }
        return document
    }

    /// roadmap_summary.json: the status, the discounted objective, the gap, the seconds, and
    /// each year with the keys of summary.json (undiscounted) plus its discount factor.
    var summary: JSONValue {
        var members: [(String, JSONValue)] = [("status", .string(result.status.rawValue))]
        members.append(("objective", .optional(result.objective)))
        members.append(("objective_meaning", .string("Σ over the years of net contribution × (1 + discount_rate)^-(year-1); every per-year figure is undiscounted")))
        members.append(("years_planned", .number(Double(roadmap.years))))
        members.append(("discount_rate", .number(roadmap.settings.discountRate)))
        members.append(("market_growth", .number(roadmap.settings.marketGrowth)))
        members.append(("mip_gap", .object([
            ("relative", .optional(result.relativeGap)),
            ("relative_to", .string("decision-dependent discounted net contribution: the objective minus fixed_part, the discounted value every account has in its least valuable open tier each year, which no decision changes")),
            ("fixed_part", .number(result.fixedPart)),
            ("absolute", .optional(result.absoluteGap)),
            ("best_bound", .optional(result.bestBound)),
            ("configured", .number(roadmap.base.model.solver.mipGap)),
        ])))
        let timings = result.timings
        members.append(("seconds", .object([
            ("read", .number(timings.read)), ("validate", .number(timings.validate)), ("build", .number(timings.build)),
            ("lp", .number(timings.lp)), ("mip", .number(timings.mip)), ("years", .number(timings.duals)),
            ("diagnosis", .number(timings.diagnosis)), ("write", .number(timings.write)), ("total", .number(timings.total)),
        ])))
        members.append(("peak_memory_bytes", .number(Double(timings.peakMemoryBytes))))
        members.append(("solver_status", .string(result.rawStatus)))
        members.append(("years", .array(result.years.map { year in
            guard case .object(let keys) = PlanReport(instance: year.instance, result: year.result).summary else { return .null }
            let kept = keys.filter { !["status", "mip_gap", "seconds", "peak_memory_bytes", "solver_status"].contains($0.0) }
            return .object([("year", .number(Double(year.year))), ("discount_factor", .number(year.discountFactor)),
                            ("discounted", .number(year.discounted))] + kept)
        })))
        if !result.yearDiagnoses.isEmpty || result.couplingExplanation != nil {
            var diagnosis: [(String, JSONValue)] = result.yearDiagnoses.map { ("year_\($0.year)", $0.diagnosis.json) }
            if let coupling = result.couplingExplanation { diagnosis.append(("between_years", .string(coupling))) }
            members.append(("diagnosis", .object(diagnosis)))
        }
        return .object(members)
    }
}
