// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
internal import OutputFiles

/// `report.html` for a roadmap (`report --roadmap`): the discounted total, a table of the years,
/// the accounts per tier year by year and the moves between years as charts, and the accounts
/// that move. One self-contained page, as ``HTMLReport``.
public struct RoadmapHTMLReport {
    public let roadmap: RoadmapInstance
    public let result: RoadmapResult
    /// Accounts listed per year in the table of moves.
    static let listedMoves = 100
    /// One colour per tier, in tier order (repeating beyond eight tiers).
    static let palette = ["#c7d7ea", "#7fa7d3", "#3b78b5", "#14467e", "#f2b05e", "#d9822b", "#9c5a1a", "#5e3a12"]

    public init(roadmap: RoadmapInstance, result: RoadmapResult) {
        self.roadmap = roadmap
        self.result = result
    }

    public func files() throws -> [(name: String, contents: Data)] {
        [(HTMLReport.file, Data(html.utf8))]
    }

    private static func escape(_ text: String) -> String { SweepReport.escape(text) }
    private static func money(_ value: Double) -> String { SummaryText.money(value) }
    private var tierIds: [String] { roadmap.base.model.tiers.map(\.id) }

    public var html: String {
        let dataset = roadmap.base.dataset
        var body = "<h1>SalesMotion roadmap</h1>\n"
        body += "<p class=\"sub\">\(Words.count(roadmap.years, "year")), \(Words.count(dataset.accounts.count, "account")), "
            + "discount rate \(SummaryText.percent(roadmap.settings.discountRate)), market growth \(SummaryText.percent(roadmap.settings.marketGrowth)) a year. "
            + "Status: <b>\(result.status.rawValue)</b>.</p>\n"
        guard let objective = result.objective, !result.years.isEmpty else {
            body += "<p>No roadmap: \(result.status == .infeasible ? "no path through the years satisfies every year's limits." : "the solver stopped before finding one.")</p>\n"
            for (year, diagnosis) in result.yearDiagnoses {
                body += "<h2>Year \(year)</h2>\n<pre>\(Self.escape(diagnosis.text))</pre>\n"
            }
            if let coupling = result.couplingExplanation { body += "<p>\(Self.escape(coupling)).</p>\n" }
            return HTMLReport.page(body)
        }
        body += "<div class=\"cards\"><div class=\"card\"><div class=\"label\">Net contribution, discounted</div><div class=\"value\">"
            + "\(Self.money(objective))</div><div class=\"note\">"
            + Self.escape(result.years.map { "\(Self.money($0.discounted)) in year \($0.year)" }.joined(separator: " + ")) + "</div></div></div>\n"
        body += "<h2>Year by year (undiscounted)</h2>\n<table><tr><th>Year</th><th class=\"n\">Net contribution</th>"
            + "<th class=\"n\">Sales expense</th><th class=\"n\">Tier changes</th>"
            + tierIds.map { "<th class=\"n\">\(Self.escape($0))</th>" }.joined() + "<th>Binding limits</th></tr>\n"
        for year in result.years {
            let plan = year.plan
            body += "<tr><td>\(year.year)</td><td class=\"n\">\(Self.money(plan.netContribution))</td><td class=\"n\">\(Self.money(plan.salesExpense))</td>"
                + "<td class=\"n\">\(Words.grouped(plan.tierChanges))</td>" + plan.tierCounts.map { "<td class=\"n\">\(Words.grouped($0))</td>" }.joined()
                + "<td>\(Self.escape(plan.limits.filter(\.binding).map(\.name).joined(separator: ", ")))</td></tr>\n"
        }
        body += "</table>\n"
        body += "<h2>Accounts per tier, year by year</h2>\n" + tiersChart
        body += "<h2>Moves between years</h2>\n" + movesChart
        body += movesTable
        return HTMLReport.page(body)
    }

    /// Per year (year 0 = today, when the data has current tiers), one stacked bar of the
    /// accounts in each tier; the axis starts at zero with 1–2–5 ticks.
    var tiersChart: String {
        let dataset = roadmap.base.dataset
        var rows: [(label: String, counts: [Int])] = []
        if dataset.hasCurrentTiers {
            var today = [Int](repeating: 0, count: tierIds.count)
            var none = 0
            for account in dataset.accounts {
                if let id = account.currentTier, let t = tierIds.firstIndex(of: id) { today[t] += 1 } else { none += 1 }
            }
            rows.append(("today" + (none > 0 ? " (\(none) without a tier)" : ""), today))
        }
        rows += result.years.map { ("year \($0.year)", $0.plan.tierCounts) }
        let total = Double(dataset.accounts.count)
        let ticks = SweepReport.niceTicks(0, total, count: 6)
        let axisEnd = max(total, ticks.last ?? total)
        let left = 170.0, plot = 520.0, rowHeight = 30.0, top = 34.0
        let height = top + Double(rows.count) * rowHeight + 40
        func x(_ value: Double) -> Double { left + plot * value / max(axisEnd, 1e-9) }
        var svg = "<svg class=\"chart\" id=\"roadmap-tiers\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + plot + 30))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        var legendX = left
        for (t, id) in tierIds.enumerated() {
            svg += "<rect x=\"\(Int(legendX))\" y=\"6\" width=\"12\" height=\"12\" fill=\"\(Self.palette[t % Self.palette.count])\"/>"
                + "<text x=\"\(Int(legendX + 16))\" y=\"16\">\(Self.escape(id))</text>\n"
            legendX += 26 + Double(id.count) * 7
        }
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            svg += "<text x=\"\(Int(left - 8))\" y=\"\(Int(y + 17))\" text-anchor=\"end\">\(Self.escape(row.label))</text>"
            var start = 0.0
            for (t, count) in row.counts.enumerated() where count > 0 {
                svg += "<rect x=\"\(String(format: "%.1f", x(start)))\" y=\"\(Int(y + 4))\" width=\"\(String(format: "%.1f", x(start + Double(count)) - x(start)))\" height=\"18\" fill=\"\(Self.palette[t % Self.palette.count])\">"
                    + "<title>\(Self.escape(row.label)): \(Words.count(count, "account")) \(Self.escape(tierIds[t]))</title></rect>"
                start += Double(count)
            }
            svg += "\n"
        }
        let axisY = top + Double(rows.count) * rowHeight + 4
        svg += Self.axis(ticks, end: axisEnd, x: x, from: left, width: plot, lineY: axisY, labelY: axisY + 16, name: "accounts")
        return svg + "</svg>\n"
    }

    /// For each year, one bar per move (from → to) with its number of accounts; the bars of
    /// every year share one scale from zero.
    var movesChart: String {
        var groups: [(label: String, moves: [(String, Int)])] = []
        for year in result.years {
            var counts: [String: Int] = [:]
            var order: [String] = []
            for staffing in year.plan.accounts where staffing.changed {
                let from = year.instance.dataset.accounts[staffing.account].currentTier ?? "—"
                let key = "\(from) → \(tierIds[staffing.tier])"
                if counts[key] == nil { order.append(key) }
                counts[key, default: 0] += 1
            }
            groups.append(("year \(year.year)", order.sorted { counts[$0]! > counts[$1]! || (counts[$0]! == counts[$1]! && $0 < $1) }.map { ($0, counts[$0]!) }))
        }
        let largest = Double(groups.flatMap { $0.moves.map(\.1) }.max() ?? 0)
        guard largest > 0 else { return "<p>No account changes tier in any year.</p>\n" }
        let ticks = SweepReport.niceTicks(0, largest, count: 5)
        let axisEnd = max(largest, ticks.last ?? largest)
        let left = 230.0, plot = 400.0, rowHeight = 24.0
        let rows = groups.reduce(0) { $0 + 1 + max(1, $1.moves.count) }
        let height = Double(rows) * rowHeight + 50
        func x(_ value: Double) -> Double { left + plot * value / axisEnd }
        var svg = "<svg class=\"chart\" id=\"roadmap-moves\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + plot + 60))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        var y = 6.0
        for group in groups {
            svg += "<text x=\"4\" y=\"\(Int(y + 15))\" font-weight=\"bold\">\(Self.escape(group.label))</text>\n"
            y += rowHeight
            if group.moves.isEmpty {
                svg += "<text x=\"\(Int(left))\" y=\"\(Int(y + 15))\" fill=\"#666\">no moves</text>\n"
                y += rowHeight
            }
            for (move, count) in group.moves {
                svg += "<text x=\"\(Int(left - 8))\" y=\"\(Int(y + 15))\" text-anchor=\"end\">\(Self.escape(move))</text>"
                    + "<rect x=\"\(Int(left))\" y=\"\(Int(y + 3))\" width=\"\(String(format: "%.1f", x(Double(count)) - left))\" height=\"16\" fill=\"#3b78b5\"/>"
                    + "<text x=\"\(String(format: "%.1f", x(Double(count)) + 6))\" y=\"\(Int(y + 15))\">\(Words.grouped(count))</text>\n"
                y += rowHeight
            }
        }
        svg += Self.axis(ticks, end: axisEnd, x: x, from: left, width: plot, lineY: y + 2, labelY: y + 16, name: "accounts moving")
        return svg + "</svg>\n"
    }

    /// A horizontal value axis from zero: its line at `lineY`, the tick labels at `labelY`, its
    /// name below them.
    private static func axis(_ ticks: [Double], end: Double, x: (Double) -> Double, from left: Double, width: Double,
                             lineY: Double, labelY: Double, name: String) -> String {
        var svg = "<line x1=\"\(Int(left))\" y1=\"\(Int(lineY))\" x2=\"\(Int(x(end)))\" y2=\"\(Int(lineY))\" stroke=\"#888\"/>\n"
        for tick in ticks {
            svg += "<text x=\"\(String(format: "%.1f", x(tick)))\" y=\"\(Int(labelY))\" text-anchor=\"middle\">\(SweepReport.short(tick))</text>"
        }
        return svg + "<text x=\"\(Int(left + width / 2))\" y=\"\(Int(labelY + 16))\" text-anchor=\"middle\">\(escape(name))</text>\n"
    }

    /// Every account that moves, year by year (up to ``listedMoves`` a year).
    var movesTable: String {
        var body = "<table><tr><th>Year</th><th>Account</th><th>Name</th><th>From</th><th>To</th></tr>\n"
        for year in result.years {
            let moved = year.plan.accounts.filter(\.changed)
            for staffing in moved.prefix(Self.listedMoves) {
                let account = roadmap.base.dataset.accounts[staffing.account]
                body += "<tr><td>\(year.year)</td><td>\(Self.escape(account.id))</td><td>\(Self.escape(account.name))</td>"
                    + "<td>\(Self.escape(year.instance.dataset.accounts[staffing.account].currentTier ?? "—"))</td>"
                    + "<td>\(Self.escape(tierIds[staffing.tier]))</td></tr>\n"
            }
            if moved.count > Self.listedMoves {
                body += "<tr><td colspan=\"5\">… \(moved.count - Self.listedMoves) more in year \(year.year), in \(RoadmapReport.tiersFile)</td></tr>\n"
            }
        }
        return body + "</table>\n"
    }
}
