// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
internal import OutputFiles

/// `report.html`: one self-contained page (inline CSS and SVG, no scripts, no network) with
/// the plan's headline figures, charts and binding limits in words.
public struct HTMLReport {
    public static let file = "report.html"

    public let instance: AllocationInstance
    public let result: PlanningResult
    /// Net contribution gained by one more unit of each binding limit that only tier choices
    /// use (GAM headcount, …), found by re-solving; keyed by limit name.
    public var oneMoreUnit: [String: Double]
    /// The chart of a sweep this report ran itself (`report --vary`), if any.
    public var sweepChart: String?
    /// Several scenarios solved for this report (`report --scenario A --scenario B …`), shown
    /// side by side; the rest of the report is the first one's.
    public var scenarios: ScenarioBatch?

    public init(instance: AllocationInstance, result: PlanningResult, oneMoreUnit: [String: Double] = [:],
                sweepChart: String? = nil) {
        self.instance = instance
        self.result = result
        self.oneMoreUnit = oneMoreUnit
        self.sweepChart = sweepChart
    }

    /// Writes report.html as the whole of `folder`, all or nothing.
    public func write(to folder: String) throws {
        try OutputFolder.write(try files(), to: folder)
    }

    /// File name → contents.
    public func files() throws -> [(name: String, contents: Data)] {
        [(Self.file, Data(html.utf8))]
    }

    private static func escape(_ text: String) -> String { SweepReport.escape(text) }
    private static func money(_ value: Double) -> String { SummaryText.money(value) }

    public var html: String {
        var body = ""
        let model = instance.model, dataset = instance.dataset
        body += "<h1>SalesMotion staffing plan</h1>\n"
        body += "<p class=\"sub\">\(Words.count(dataset.accounts.count, "account")), \(Words.count(dataset.regions.count, "region")), "
            + "\(Words.count(model.tiers.count, "coverage tier")). Status: <b>\(result.status.rawValue)</b>.</p>\n"
        guard let plan = result.plan else {
            body += "<p>No plan: \(result.status == .infeasible ? "no plan satisfies every limit." : "the solver stopped before finding one.")</p>\n"
            return Self.page(body)
        }
        let localExpense = plan.regions.reduce(0) { $0 + $1.localExpense }
        let changeCost = Double(plan.tierChanges) * model.transition.changeCost
        let cards: [(String, String, String)] = [
            ("Net contribution", Self.money(plan.netContribution), "gross profit minus all sales expense"),
            ("Expected revenue", Self.money(plan.expectedRevenue), "gross profit " + Self.money(plan.grossProfit)),
            ("Sales expense", Self.money(plan.salesExpense),
             model.limits.budget.map { "of a budget of " + Self.money($0) } ?? "no budget cap"),
            ("Global share", String(format: "%.1f %%", plan.salesExpense > 0 ? 100 * plan.globalExpense / plan.salesExpense : 0),
             "global expense " + Self.money(plan.globalExpense)),
        ]
        body += "<div class=\"cards\">" + cards.map { title, value, note in
            "<div class=\"card\"><div class=\"label\">\(title)</div><div class=\"value\">\(value)</div><div class=\"note\">\(Self.escape(note))</div></div>"
        }.joined() + "</div>\n"

        if let scenarios { body += scenariosSection(scenarios) }
        body += "<div class=\"grid\">\n<section><h2>Accounts per tier</h2>\n"
        body += Self.barChart(zip(model.tiers, plan.tierCounts).map { ($0.id, Double($1), nil) }, unit: "accounts", id: "tiers")
        body += "</section>\n<section><h2>Local FTE used against capacity</h2>\n"
        body += Self.barChart(plan.regions.map { (dataset.regions[$0.region].id, $0.localFTE, $0.localCapacityFTE) },
                              unit: "FTE", id: "capacity")
        body += "</section>\n<section><h2>Sales expense split</h2>\n"
        let tierCost = plan.globalExpense - (plan.programmeActive ? model.costs.programmeFixedCost : 0)
        var split: [(String, Double, Double?)] = [("local effort", localExpense, nil), ("tier costs (global)", tierCost, nil)]
        if plan.programmeActive { split.append(("programme (global)", model.costs.programmeFixedCost, nil)) }
        if changeCost > 0 { split.append(("tier changes", changeCost, nil)) }
        body += Self.barChart(split, unit: "", id: "expense")
        body += "</section>\n<section><h2>Limits that hold the plan back</h2>\n<ul>\n"
        let binding = plan.limits.filter(\.binding)
        if binding.isEmpty { body += "<li>No limit binds: the plan is limited by what coverage earns.</li>\n" }
        for limit in binding { body += "<li>\(Self.escape(sentence(for: limit)))</li>\n" }
        body += "</ul>\n</section>\n</div>\n"

        body += "<section><h2>Top accounts by net contribution</h2>\n<table><tr><th>Account</th><th>Name</th><th>Tier</th>"
            + "<th class=\"n\">Local FTE</th><th class=\"n\">Expected revenue</th><th class=\"n\">Net contribution</th></tr>\n"
        for staffing in plan.accounts.sorted(by: { $0.netContribution > $1.netContribution }).prefix(15) {
            let account = dataset.accounts[staffing.account]
            body += "<tr><td>\(Self.escape(account.id))</td><td>\(Self.escape(account.name))</td>"
                + "<td>\(Self.escape(model.tiers[staffing.tier].id))</td><td class=\"n\">\(String(format: "%.2f", staffing.localFTE))</td>"
                + "<td class=\"n\">\(Self.money(staffing.expectedRevenue))</td><td class=\"n\">\(Self.money(staffing.netContribution))</td></tr>\n"
        }
        body += "</table>\n</section>\n"
        body += tierChangesSection(plan)
        body += portfolioSection(plan)
        if let sweepChart {
            body += "<section><h2>Sweep</h2>\n<div class=\"sweep\">\(sweepChart)</div>\n</section>\n"
        }
        return Self.page(body)
    }

    /// The scenarios side by side: one row each, headline figures and the difference to the first.
    func scenariosSection(_ batch: ScenarioBatch) -> String {
        let tiers = instance.model.tiers.map(\.id)
        var html = "<section><h2>Scenarios side by side</h2>\n<p class=\"sub\">The rest of this report is the first scenario's, "
            + "\(Self.escape(batch.entries.first?.name ?? "")).</p>\n<table><tr><th>Scenario</th><th>Status</th><th class=\"n\">Net contribution</th>"
            + "<th class=\"n\">Difference to the first</th><th class=\"n\">Sales expense</th><th class=\"n\">Global share</th>"
            + tiers.map { "<th class=\"n\">\(Self.escape($0))</th>" }.joined() + "<th class=\"n\">Tier changes</th><th>Binding limits</th></tr>\n"
        let first = batch.entries.first?.result.plan?.netContribution
        for entry in batch.entries {
            html += "<tr><td>\(Self.escape(entry.name))</td><td>\(Self.escape(entry.result.status.rawValue))</td>"
            guard let plan = entry.result.plan else {
                html += "<td colspan=\"\(6 + tiers.count)\">no plan</td></tr>\n"
                continue
            }
            let difference = first.map { PlanComparison.moved($0, plan.netContribution) ? plan.netContribution - $0 : 0 } ?? 0
            let signed = difference == 0 ? "0" : (difference > 0 ? "+" : "−") + Self.money(abs(difference))
            let share = plan.salesExpense > 0 ? String(format: "%.1f %%", 100 * plan.globalExpense / plan.salesExpense) : "—"
            let counts = entry.instance.model.tiers.map(\.id) == tiers ? plan.tierCounts.map { "<td class=\"n\">\(Words.grouped($0))</td>" }.joined()
                : tiers.map { _ in "<td class=\"n\">—</td>" }.joined()
            html += "<td class=\"n\">\(Self.money(plan.netContribution))</td><td class=\"n\">\(signed)</td>"
                + "<td class=\"n\">\(Self.money(plan.salesExpense))</td><td class=\"n\">\(share)</td>\(counts)"
                + "<td class=\"n\">\(Words.grouped(plan.tierChanges))</td><td>\(Self.escape(plan.limits.filter(\.binding).map(\.name).joined(separator: ", ")))</td></tr>\n"
        }
        return html + "</table>\n</section>\n"
    }

    /// The accounts whose tier the plan changes against today (when the data has current
    /// tiers): every one, up to a hundred, with the tier today and in the plan.
    func tierChangesSection(_ plan: StaffingPlan) -> String {
        let dataset = instance.dataset, model = instance.model
        guard dataset.hasCurrentTiers else { return "" }
        let changed = plan.accounts.filter(\.changed)
        var body = "<section><h2>Tier changes against today</h2>\n<p>"
            + "\(Words.count(changed.count, "account")) change tier"
            + (model.transition.changeCost > 0 ? ", costing \(Self.money(plan.tierChangeCost)) in all" : "") + ".</p>\n"
        guard !changed.isEmpty else { return body + "</section>\n" }
        body += "<table><tr><th>Account</th><th>Name</th><th>Today</th><th>Plan</th><th class=\"n\">Net contribution</th></tr>\n"
        for staffing in changed.sorted(by: { $0.netContribution > $1.netContribution }).prefix(100) {
            let account = dataset.accounts[staffing.account]
            body += "<tr><td>\(Self.escape(account.id))</td><td>\(Self.escape(account.name))</td>"
                + "<td>\(Self.escape(account.currentTier ?? ""))</td><td>\(Self.escape(model.tiers[staffing.tier].id))</td>"
                + "<td class=\"n\">\(Self.money(staffing.netContribution))</td></tr>\n"
        }
        if changed.count > 100 { body += "<tr><td colspan=\"5\">… \(changed.count - 100) more in plan_accounts.csv</td></tr>\n" }
        return body + "</table>\n</section>\n"
    }

    /// Each named GAM's portfolio and load (portfolios.md): load against capacity as bars, and
    /// the accounts led.
    func portfolioSection(_ plan: StaffingPlan) -> String {
        let dataset = instance.dataset
        guard dataset.hasNamedGAMs else { return "" }
        let portfolios = plan.portfolios(dataset)
        var body = "<section><h2>GAM portfolios</h2>\n<p>\(Words.count(plan.keptWithGAM, "account")) kept with their GAM"
            + (plan.continuityValue > 0 ? " (worth \(Self.money(plan.continuityValue)))" : "")
            + ", \(Words.count(plan.ledFromAway, "account")) led from another region"
            + (plan.awayCost > 0 ? " (costing \(Self.money(plan.awayCost)))" : "") + ".</p>\n"
        body += Self.barChart(portfolios.map { ("\(dataset.gams[$0.gam].id) \(dataset.gams[$0.gam].name)", $0.usedFTE, dataset.gams[$0.gam].capacityFTE) },
                              unit: "FTE", id: "gam-load")
        body += "<table><tr><th>GAM</th><th>Home</th><th class=\"n\">FTE</th><th>Accounts led</th></tr>\n"
        for portfolio in portfolios.prefix(200) {
            let gam = dataset.gams[portfolio.gam]
            body += "<tr><td>\(Self.escape(gam.id)) \(Self.escape(gam.name))</td><td>\(Self.escape(dataset.regions[gam.homeRegion].id))</td>"
                + "<td class=\"n\">\(SummaryText.amount(withoutNoise(portfolio.usedFTE))) of \(SummaryText.amount(gam.capacityFTE))</td><td>"
                + portfolio.accounts.map { Self.escape(dataset.accounts[$0].name) }.joined(separator: ", ") + "</td></tr>\n"
        }
        if portfolios.count > 200 { body += "<tr><td colspan=\"4\">… \(portfolios.count - 200) more in plan_gams.csv</td></tr>\n" }
        return body + "</table>\n</section>\n"
    }

    /// A binding limit in words.
    func sentence(for limit: LimitUse) -> String {
        let money = Self.money
        switch limit.kind {
        case .regionalCapacity(let r):
            let region = instance.dataset.regions[r].id
            return "\(region) uses all \(SummaryText.amount(limit.value)) local FTE: one more FTE in \(region) is worth "
                + "\(money(limit.shadowPrice ?? 0)) a year."
        case .budget:
            return "The budget of \(money(limit.value)) is fully spent: every extra 1,000 of budget adds "
                + "\(money(1000 * (limit.shadowPrice ?? 0))) a year."
        case .maxCostOfSales:
            return "Sales expense is at \(String(format: "%.2f", 100 * limit.value)) % of expected revenue: one more percentage "
                + "point is worth \(money((limit.shadowPrice ?? 0) / 100)) a year."
        case .globalShareMinimum, .globalShareMaximum:
            let end = limit.kind == .globalShareMinimum ? "lower" : "upper"
            return "The global share of expense sits at its \(end) end, \(String(format: "%.1f", 100 * limit.value)) %: "
                + "moving it by one percentage point is worth \(money(abs(limit.shadowPrice ?? 0) / 100)) a year."
        case .gamCapacity(let g):
            let gam = instance.dataset.gams[g]
            return "\(gam.name) (\(gam.id)) gives all \(SummaryText.amount(limit.value)) FTE to the accounts led."
        case .gamMaxAccounts(let g):
            let gam = instance.dataset.gams[g]
            return "\(gam.name) (\(gam.id)) leads the most accounts allowed, \(SummaryText.amount(limit.value))."
        case .gamHeadcount, .centralFTE, .execHours, .maxGlobalAccounts, .maxChanges, .gamPoolCapacity, .gamPoolMaxAccounts:
            let words = KeySchema.key(of: limit.kind)?.words ?? (plural: limit.name, singular: limit.name)
            var text = "All \(SummaryText.amount(limit.value)) \(words.plural) are used"
            if let gain = oneMoreUnit[limit.name] {
                text += ": one more \(words.singular) is worth \(money(gain)) a year (re-solved)"
            }
            return text + "."
        }
    }

    /// Horizontal bars; a second value draws an outline (capacity) behind the bar.
    static func barChart(_ rows: [(String, Double, Double?)], unit: String, id: String) -> String {
        let width = 510.0, label = 120.0, barArea = 250.0, rowHeight = 28.0
        let largest = max(rows.map { max($0.1, $0.2 ?? 0) }.max() ?? 1, 1e-9)
        let height = Double(rows.count) * rowHeight + 10
        var svg = "<svg class=\"chart\" id=\"\(id)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        for (index, (name, value, outline)) in rows.enumerated() {
            let y = 5 + Double(index) * rowHeight
            svg += "<text x=\"\(Int(label - 8))\" y=\"\(Int(y + 17))\" text-anchor=\"end\">\(escape(name))</text>"
            if let outline {
                svg += "<rect x=\"\(Int(label))\" y=\"\(Int(y + 3))\" width=\"\(String(format: "%.1f", barArea * outline / largest))\" height=\"18\" fill=\"#e8eef6\" stroke=\"#7a93b4\"/>"
            }
            svg += "<rect x=\"\(Int(label))\" y=\"\(Int(y + 3))\" width=\"\(String(format: "%.1f", barArea * value / largest))\" height=\"18\" fill=\"#1f77b4\"/>"
            let text = outline.map { "\(SummaryText.amount(value)) of \(SummaryText.amount($0))" } ?? SummaryText.amount(value)
            // "1 account", not "1 accounts".
            let shownUnit = value == 1 && outline == nil && unit.hasSuffix("s") ? String(unit.dropLast()) : unit
            svg += "<text x=\"\(Int(label + barArea + 8))\" y=\"\(Int(y + 17))\">\(escape(text))\(shownUnit.isEmpty ? "" : " " + shownUnit)</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func page(_ body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>SalesMotion staffing plan</title>
        <style>
        body { font-family: sans-serif; margin: 24px 32px; color: #222; max-width: 1100px; }
        h1 { margin-bottom: 4px; } .sub { color: #666; margin-top: 0; }
        .cards { display: flex; gap: 16px; flex-wrap: wrap; margin: 16px 0; }
        .card { border: 1px solid #ddd; border-radius: 6px; padding: 12px 16px; min-width: 200px; }
        .label { color: #666; font-size: 13px; } .value { font-size: 24px; font-weight: bold; } .note { color: #888; font-size: 12px; }
        .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 32px; }
        table { border-collapse: collapse; font-size: 13px; } td, th { padding: 4px 10px; border-bottom: 1px solid #eee; text-align: left; }
        .n { text-align: right; } h2 { font-size: 17px; margin-top: 20px; } li { margin-bottom: 6px; }
        </style></head><body>
        \(body)</body></html>

        """
    }
}
