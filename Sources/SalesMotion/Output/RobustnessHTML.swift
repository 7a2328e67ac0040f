// SPDX-License-Identifier: GPL-3.0-or-later

internal import OutputFiles

/// `robustness.html`: the share of robust accounts per base tier and the distribution of the
/// committed plan's regret over the samples, as charts, in one self-contained page.
extension RobustnessReport {
    private static func escape(_ text: String) -> String { SweepReport.escape(text) }

    public var html: String {
        let samples = robustness.samples, settings = robustness.settings
        var body = "<h1>SalesMotion robustness</h1>\n"
        body += "<p class=\"sub\">\(Words.count(samples.count, "sample")) (seed \(settings.seed)) around the base plan of "
            + "\(Words.count(robustness.base.dataset.accounts.count, "account")); spreads: "
            + Self.escape(Robustness.SoftColumn.allCases.map { "\($0.rawValue) \(formatShort(settings.spreads[$0] ?? 0))" }.joined(separator: ", "))
            + ". The committed plan keeps the base plan's tiers and re-optimises local effort in each sampled world.</p>\n"
        body += "<h2 id=\"robust-share\">Robust accounts per tier</h2>\n"
            + "<p>An account is robust when its base tier is the optimal one in at least 80 % of the samples.</p>\n" + robustChart
        body += "<h2 id=\"regret\">Regret of the committed plan</h2>\n"
            + "<p>Regret: the sampled world's optimum less what the committed plan earns in it.</p>\n" + regretChart
        let broken = brokenCounts
        if !broken.isEmpty {
            body += "<p>The committed plan breaks a limit in some samples: "
                + Self.escape(broken.map { "\($0.name) in \(Words.count($0.samples, "sample"))" }.joined(separator: ", ")) + ".</p>\n"
        }
        return HTMLReport.page(body)
    }

    /// One bar per base tier with accounts: the robust share, on an axis from 0 to 100 %.
    var robustChart: String {
        let shares = robustShares.filter { $0.accounts > 0 }
        guard !shares.isEmpty else { return "<p>No accounts.</p>\n" }
        let left = 160.0, plot = 400.0, rowHeight = 26.0
        func x(_ share: Double) -> Double { left + plot * share }
        var svg = "<svg class=\"chart\" id=\"robust-share-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + plot + 120))\" "
            + "height=\"\(Int(Double(shares.count) * rowHeight + 56))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        for (i, share) in shares.enumerated() {
            let y = 6 + Double(i) * rowHeight, value = Double(share.robust) / Double(share.accounts)
            svg += "<text x=\"\(Int(left - 8))\" y=\"\(Int(y + 15))\" text-anchor=\"end\">\(Self.escape(share.tier))</text>"
                + "<rect x=\"\(Int(left))\" y=\"\(Int(y + 3))\" width=\"\(String(format: "%.1f", x(value) - left))\" height=\"16\" fill=\"#3b78b5\">"
                + "<title>\(Self.escape(share.tier)): \(Words.grouped(share.robust)) of \(Words.count(share.accounts, "account")) robust</title></rect>"
                + "<text x=\"\(String(format: "%.1f", x(value) + 6))\" y=\"\(Int(y + 15))\">\(Words.grouped(share.robust)) of \(Words.grouped(share.accounts))</text>\n"
        }
        let axisY = 6 + Double(shares.count) * rowHeight + 2
        svg += "<line x1=\"\(Int(left))\" y1=\"\(Int(axisY))\" x2=\"\(Int(x(1)))\" y2=\"\(Int(axisY))\" stroke=\"#888\"/>\n"
        for tick in stride(from: 0.0, through: 1.0, by: 0.2) {
            svg += "<text x=\"\(String(format: "%.1f", x(tick)))\" y=\"\(Int(axisY + 14))\" text-anchor=\"middle\">\(Int((tick * 100).rounded())) %</text>"
        }
        svg += "<text x=\"\(Int(left + plot / 2))\" y=\"\(Int(axisY + 30))\" text-anchor=\"middle\">share of the tier's accounts that are robust</text>\n"
        return svg + "</svg>\n"
    }

    /// A histogram of the regret over the samples where the committed plan keeps every limit:
    /// bins at nice steps from zero, the count of samples on the vertical axis from zero.
    var regretChart: String {
        let regrets = robustness.samples.compactMap(\.regret).map(Self.regretWithoutNoise)
        guard let largest = regrets.max() else { return "<p>The committed plan breaks a limit in every sample: no regret to show.</p>\n" }
        guard largest > 0 else {
            return "<p>The committed plan is optimal in all \(Words.count(regrets.count, "sample")) where it keeps every limit: no regret.</p>\n"
        }
        let ticks = SweepReport.niceTicks(0, largest, count: 6)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : largest
        let end = max(largest, ticks.last ?? largest) + (ticks.last.map { $0 <= largest ? step : 0 } ?? 0)
        let bins = max(1, Int((end / step).rounded()))
        var counts = [Int](repeating: 0, count: bins)
        for regret in regrets { counts[min(bins - 1, Int(regret / step))] += 1 }
        let tallest = Double(counts.max() ?? 1)
        let countTicks = SweepReport.niceTicks(0, tallest, count: 5)
        let top = max(tallest, countTicks.last ?? tallest)
        let left = 70.0, plot = 560.0, height = 200.0, base = 20.0 + height
        func x(_ value: Double) -> Double { left + plot * value / end }
        func y(_ count: Double) -> Double { base - height * count / top }
        var svg = "<svg class=\"chart\" id=\"regret-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + plot + 40))\" "
            + "height=\"\(Int(base + 56))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        for (b, count) in counts.enumerated() where count > 0 {
            let from = Double(b) * step
            svg += "<rect x=\"\(String(format: "%.1f", x(from) + 1))\" y=\"\(String(format: "%.1f", y(Double(count))))\" "
                + "width=\"\(String(format: "%.1f", x(from + step) - x(from) - 2))\" height=\"\(String(format: "%.1f", base - y(Double(count))))\" fill=\"#3b78b5\">"
                + "<title>regret \(Self.escape(SummaryText.amount(from)))–\(Self.escape(SummaryText.amount(from + step))): \(Words.count(count, "sample"))</title></rect>\n"
        }
        svg += "<line x1=\"\(Int(left))\" y1=\"\(Int(base))\" x2=\"\(Int(x(end)))\" y2=\"\(Int(base))\" stroke=\"#888\"/>"
            + "<line x1=\"\(Int(left))\" y1=\"\(Int(base))\" x2=\"\(Int(left))\" y2=\"\(Int(y(top)))\" stroke=\"#888\"/>\n"
        for tick in stride(from: 0.0, through: end + step * 1e-9, by: step) {
            svg += "<text x=\"\(String(format: "%.1f", x(tick)))\" y=\"\(Int(base + 14))\" text-anchor=\"middle\">\(SweepReport.short(withoutNoise(tick)))</text>"
        }
        for tick in countTicks {
            svg += "<text x=\"\(Int(left - 6))\" y=\"\(String(format: "%.1f", y(tick) + 4))\" text-anchor=\"end\">\(SweepReport.short(tick))</text>"
        }
        svg += "\n<text x=\"\(Int(left + plot / 2))\" y=\"\(Int(base + 32))\" text-anchor=\"middle\">regret (net contribution a year)</text>"
            + "<text x=\"14\" y=\"\(Int(base - height / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(Int(base - height / 2)))\">samples</text>\n"
        return svg + "</svg>\n"
    }
}
