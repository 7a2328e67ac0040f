// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
public import OutputFiles

/// The files and the table of a sweep: `sweep.csv`, `sweep.svg`.
public struct SweepReport {
    public static let csvFile = "sweep.csv"
    public static let chartFile = "sweep.svg"

    public let sweep: Sweep

    public init(sweep: Sweep) { self.sweep = sweep }

    /// Writes both files as the whole of `folder`, all or nothing (see ``OutputStage``).
    public func write(to folder: String) throws {
        try OutputFolder.write(try files(), to: folder)
    }

    /// File name → contents.
    public func files(_ dialect: CSVDialect = .standard) throws -> [(name: String, contents: Data)] {
        [(Self.csvFile, try csv().data(dialect)), (Self.chartFile, Data(chart.utf8))]
    }

    func csv() -> CSVDocument {
        var document = CSVDocument(header: ["value", "status", "objective", "expected_revenue", "sales_expense",
                                            "global_expense", "shadow_price"] + sweep.tierIds
                                   + ["binding_limits", "tier_moves", "effort_moves"])
        for (index, point) in sweep.points.enumerated() {
            func cell(_ value: Double?) -> CSVCell { value.map(CSVCell.number) ?? .text("") }
            let counts: [CSVCell] = point.tierCounts.isEmpty
                ? sweep.tierIds.map { _ in .text("") } : point.tierCounts.map { .number(Double($0)) }
            let moved = sweep.movedAccounts(at: index).map { sweep.accountIds[$0] }
            let effort = sweep.effortMovedAccounts(at: index).map { sweep.accountIds[$0] }
            document.append([.number(point.value), .text(point.status.rawValue), cell(point.netContribution),
                             cell(point.expectedRevenue), cell(point.salesExpense), cell(point.globalExpense),
                             cell(point.shadowPrice)] + counts
                            + [.text(point.bindingLimits.joined(separator: " ")), .text(moved.joined(separator: " ")),
                               .text(effort.joined(separator: " "))])
        }
        return document
    }

    /// The terminal table: one line per point.
    public var table: String {
        var lines = ["        value  status            net contribution   sales expense  shadow price  "
                     + sweep.tierIds.joined(separator: "/") + "  moves (tier, effort)"]
        for (index, point) in sweep.points.enumerated() {
            let shadow = point.shadowPrice.map { SummaryText.amount($0) } ?? "—"
            let tiers = point.tierCounts.map { SummaryText.money(Double($0)) }.joined(separator: "/")
            let moved = sweep.movedAccounts(at: index).count, effort = sweep.effortMovedAccounts(at: index).count
            lines.append(Self.left(SummaryText.amount(point.value), 13) + "  " + Self.pad(point.status.rawValue, 12)
                         + Self.left(point.netContribution.map(SummaryText.money) ?? "—", 22)
                         + Self.left(point.salesExpense.map(SummaryText.money) ?? "—", 16)
                         + Self.left(shadow, 14) + "  " + tiers + (index > 0 ? "  \(moved), \(effort)" : "")
                         // A shadow price of 0 while other limits bind: say which hold the plan.
                         + (point.shadowPrice == 0 && !point.bindingLimits.isEmpty
                            ? "  (binding: " + point.bindingLimits.joined(separator: ", ") + ")" : ""))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// What the varied key is, in words, for titles: `the sales budget`, `the number of global
    /// account manager FTE`, `APAC's local capacity (FTE)`; the key itself otherwise.
    var keyWords: String {
        let text = sweep.key.description
        if text == "limits.budget" { return "the sales budget" }
        let parts = text.split(separator: ".").map(String.init)
        if parts.count == 2, let words = KeySchema.key(parts[0], parts[1])?.words { return "the number of \(words.plural)" }
        if parts.count == 3, parts[0] == "regions", parts[2] == "local_capacity_fte" { return "\(parts[1])'s local capacity (FTE)" }
        return text
    }

    /// Ticks at 1–2–5 steps covering `lo...hi`, about `count` of them.
    static func niceTicks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        let rough = (hi - lo) / Double(max(1, count - 1))
        let magnitude = pow(10, floor(log10(rough)))
        let fraction = rough / magnitude
        let step = (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * magnitude
        let first = (lo / step).rounded(.up) * step
        return stride(from: first, through: hi + step * 1e-9, by: step).map { withoutNoise($0) }
    }

    /// Net contribution (top panel) and sales and global expense (bottom panel) against the
    /// varied value, with ticks at 1–2–5 steps, value axes from zero unless the values are too
    /// close together to see (then the axis says where it starts), the base value marked, and
    /// dashed lines where accounts change tier, each naming them on hover.
    public var chart: String {
        let width = 820.0, left = 100.0, right = 30.0, top = 50.0, panel = 190.0, gap = 60.0
        let plotWidth = width - left - right
        let height = top + 2 * panel + gap + 76
        let xs = sweep.points.map(\.value)
        let xMin = xs.min() ?? 0, xMax = xs.max() ?? 1
        func x(_ value: Double) -> Double { left + (xMax == xMin ? 0.5 : (value - xMin) / (xMax - xMin)) * plotWidth }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="20" y="24" font-size="15" font-weight="bold">Net contribution and sales expense as \(Self.escape(keyWords)) varies</text>

            """
        func panelSVG(top y0: Double, title: String, series: [(String, String, [Double?])]) {
            let all = series.flatMap { $0.2.compactMap { $0 } }
            let dataLo = all.min() ?? 0, dataHi = all.max() ?? 1
            // From zero, unless the values span under a quarter of their size: then a zero axis
            // would flatten them, and the axis says it does not start at zero.
            let fromZero = dataLo >= 0 && (dataHi <= 0 || (dataHi - dataLo) / dataHi >= 0.25)
            var lo = fromZero ? 0 : dataLo, hi = dataHi
            if hi - lo < 1e-9 * max(1, abs(hi)) { lo -= max(1, abs(lo) * 0.01); hi += max(1, abs(hi) * 0.01) }
            var ticks = Self.niceTicks(lo, hi)
            if let step = ticks.count > 1 ? ticks[1] - ticks[0] : nil {
                if !fromZero { lo = (lo / step).rounded(.down) * step }
                hi = max(hi, ((hi / step).rounded(.up)) * step)
                ticks = Self.niceTicks(lo, hi)
            }
            func y(_ value: Double) -> Double { y0 + panel - (value - lo) / (hi - lo) * panel }
            svg += "<text x=\"\(Int(left))\" y=\"\(Int(y0 - 8))\" font-weight=\"bold\">\(Self.escape(title))</text>\n"
            svg += "<rect x=\"\(Int(left))\" y=\"\(Int(y0))\" width=\"\(Int(plotWidth))\" height=\"\(Int(panel))\" fill=\"none\" stroke=\"#999\"/>\n"
            for value in ticks {
                svg += "<line x1=\"\(Int(left - 4))\" x2=\"\(Int(left))\" y1=\"\(Self.f(y(value)))\" y2=\"\(Self.f(y(value)))\" stroke=\"#999\"/>"
                svg += "<text x=\"\(Int(left - 8))\" y=\"\(Self.f(y(value) + 4))\" text-anchor=\"end\">\(Self.short(value))</text>\n"
            }
            if !fromZero {
                // A break mark at the foot of the axis: it does not start at zero.
                let foot = y0 + panel
                svg += "<path d=\"M\(Int(left - 6)) \(Int(foot - 4)) l6 -4 l6 4\" fill=\"white\" stroke=\"#555\" class=\"axis-break\"/>"
                svg += "<text x=\"\(Int(left + plotWidth - 6))\" y=\"\(Int(foot - 6))\" text-anchor=\"end\" fill=\"#555\">axis starts at \(Self.short(lo)), not 0</text>\n"
            }
            if let base = sweep.baseValue, base >= xMin, base <= xMax {
                svg += "<line x1=\"\(Self.f(x(base)))\" x2=\"\(Self.f(x(base)))\" y1=\"\(Int(y0))\" y2=\"\(Int(y0 + panel))\" stroke=\"#555\" class=\"base-value\"><title>the model's value: \(Self.short(base))</title></line>"
                svg += "<text x=\"\(Self.f(x(base) + 4))\" y=\"\(Int(y0 + 14))\" fill=\"#555\">model: \(Self.short(base))</text>\n"
            }
            for (index, _) in sweep.points.enumerated() where !sweep.movedAccounts(at: index).isEmpty {
                let xm = (x(sweep.points[index - 1].value) + x(sweep.points[index].value)) / 2
                let moved = sweep.movedAccounts(at: index).map { sweep.accountIds[$0] }
                let names = moved.prefix(20).joined(separator: ", ") + (moved.count > 20 ? ", …" : "")
                svg += "<line x1=\"\(Self.f(xm))\" x2=\"\(Self.f(xm))\" y1=\"\(Int(y0))\" y2=\"\(Int(y0 + panel))\" stroke=\"#d62728\" stroke-dasharray=\"4 3\" class=\"tier-change\"><title>\(Self.escape(Words.count(moved.count, "account"))) change tier: \(Self.escape(names))</title></line>\n"
            }
            for (legend, (name, color, values)) in series.enumerated() {
                var path = ""
                var pen = false
                for (point, value) in zip(sweep.points, values) {
                    guard let value else { pen = false; continue }
                    path += (pen ? " L" : " M") + "\(Self.f(x(point.value))) \(Self.f(y(value)))"
                    pen = true
                }
                svg += "<path d=\"\(path.trimmingCharacters(in: .whitespaces))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
                for (point, value) in zip(sweep.points, values) {
                    if let value {
                        svg += "<circle cx=\"\(Self.f(x(point.value)))\" cy=\"\(Self.f(y(value)))\" r=\"3\" fill=\"\(color)\"><title>\(Self.escape(sweep.key.description)) = \(Self.short(point.value)): \(Self.escape(name)) \(SummaryText.money(value))</title></circle>"
                    } else {
                        svg += "<text x=\"\(Self.f(x(point.value)))\" y=\"\(Int(y0 + panel - 6))\" text-anchor=\"middle\" fill=\"#d62728\">×<title>no plan at \(Self.short(point.value))</title></text>"
                    }
                }
                let legendX = left + plotWidth - 130 * Double(series.count - legend)
                svg += "\n<rect x=\"\(Int(legendX))\" y=\"\(Int(y0 - 18))\" width=\"12\" height=\"3\" fill=\"\(color)\"/>"
                svg += "<text x=\"\(Int(legendX + 16))\" y=\"\(Int(y0 - 12))\">\(Self.escape(name))</text>\n"
            }
        }
        panelSVG(top: top + 10, title: "Net contribution",
                 series: [("net contribution", "#1f77b4", sweep.points.map(\.netContribution))])
        let second = top + 10 + panel + gap
        panelSVG(top: second, title: "Sales expense",
                 series: [("sales expense", "#2ca02c", sweep.points.map(\.salesExpense)),
                          ("global expense", "#ff7f0e", sweep.points.map(\.globalExpense))])
        let axis = second + panel
        for value in Self.niceTicks(xMin, xMax) {
            svg += "<text x=\"\(Self.f(x(value)))\" y=\"\(Int(axis + 18))\" text-anchor=\"middle\">\(Self.short(value))</text>"
        }
        svg += "\n<text x=\"\(Int(left + plotWidth / 2))\" y=\"\(Int(axis + 36))\" text-anchor=\"middle\">\(Self.escape(keyWords.prefix(1).uppercased() + keyWords.dropFirst())) (\(Self.escape(sweep.key.description)))</text>"
        svg += "\n<text x=\"\(Int(left + plotWidth / 2))\" y=\"\(Int(axis + 54))\" text-anchor=\"middle\" fill=\"#555\">grey line: the model's value · dashed red: accounts change tier (hover for who) · ×: no plan</text>\n"
        svg += "</svg>\n"
        return svg
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// `28M`, `1.5k`, `0.12`: axis labels.
    static func short(_ value: Double) -> String {
        let magnitude = abs(value)
        for (limit, suffix) in [(1e9, "bn"), (1e6, "M"), (1e3, "k")] where magnitude >= limit {
            return String(format: "%.4g", value / limit) + suffix
        }
        return String(format: "%.4g", value)
    }

    /// `text` for HTML or SVG: markup characters as entities, control characters (which XML
    /// forbids) shown as `\u{1B}`.
    static func escape(_ text: String) -> String {
        TerminalText.escaped(text, keepingLineBreaks: false).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
