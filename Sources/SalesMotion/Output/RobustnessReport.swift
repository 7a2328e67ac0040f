// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
public import OutputFiles

/// The files of a robustness run (scenarios.md, "Robustness"): `robustness_accounts.csv`,
/// `robustness_samples.csv`, `robustness_summary.json` and `robustness.html` (the share of
/// robust accounts per tier and the regret distribution), plus, with `--keep-samples`, each
/// sampled dataset under `samples/0001/` ….
public struct RobustnessReport {
    public static let accountsFile = "robustness_accounts.csv"
    public static let samplesFile = "robustness_samples.csv"
    public static let summaryFile = "robustness_summary.json"
    public static let htmlFile = "robustness.html"
    public static let samplesFolder = "samples"
    /// The most account rows `--keep-samples` writes (samples × accounts): the files of a run are
    /// held in memory until they are written together.
    public static let largestKeptRows = 2_000_000

    public let robustness: Robustness

    public init(_ robustness: Robustness) { self.robustness = robustness }

    /// Every file; `keepSamples` adds the sampled datasets (always in the standard CSV dialect:
    /// they are inputs to read back).
    public func files(_ dialect: CSVDialect = .standard, keepSamples: Bool = false) throws -> [(name: String, contents: Data)] {
        var files: [(name: String, contents: Data)] = [
            (Self.accountsFile, try accountsTable.data(dialect)),
            (Self.samplesFile, try samplesTable.data(dialect)),
            (Self.summaryFile, Data(summary.rendered.utf8)),
            (Self.htmlFile, Data(html.utf8)),
        ]
        if keepSamples {
            let settings = robustness.settings, dataset = robustness.base.dataset
            let width = max(4, String(settings.samples).count)
            for index in 0..<settings.samples {
                let folder = Self.samplesFolder + "/" + Self.number(index + 1, width: width)
                let sampled = Robustness.sampledDataset(dataset, settings: settings, index: index)
                files += try DatasetFiles.files(sampled).map { (folder + "/" + $0.name, $0.contents) }
            }
        }
        return files
    }

    static func number(_ value: Int, width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private var tierIds: [String] { robustness.base.model.tiers.map(\.id) }

    /// `account_id, name, base_tier`, one share column per tier, `robust`.
    public var accountsTable: CSVDocument {
        let dataset = robustness.base.dataset
        var document = CSVDocument(header: ["account_id", "name", "base_tier"] + tierIds.map { "share_\($0)" } + ["robust"])
        let shares = robustness.tierShares, robust = robustness.robust
        for staffing in robustness.basePlan.accounts {
            let account = dataset.accounts[staffing.account]
            document.append([.text(account.id), .text(account.name), .text(tierIds[staffing.tier])]
                            + shares[staffing.account].map { CSVCell.number($0) } + [.text(robust[staffing.account] ? "true" : "false")])
        }
        return document
    }

    /// `sample, status, optimal, committed, regret, broken_limits`.
    public var samplesTable: CSVDocument {
        var document = CSVDocument(header: ["sample", "status", "optimal", "committed", "regret", "broken_limits"])
        for sample in robustness.samples {
            func cell(_ value: Double?) -> CSVCell { value.map { .number(withoutNoise($0)) } ?? .text("") }
            document.append([.number(Double(sample.index + 1)), .text(sample.status), cell(sample.optimal), cell(sample.committed),
                             cell(sample.regret.map(Self.regretWithoutNoise)), .text(sample.brokenLimits.joined(separator: " "))])
        }
        return document
    }

    /// A regret below a cent per million of net contribution is the solver's tolerance: 0.
    static func regretWithoutNoise(_ value: Double) -> Double { value < 1e-6 ? 0 : value }

    /// How many samples the committed plan breaks each limit in, by name.
    var brokenCounts: [(name: String, samples: Int)] {
        var counts: [String: Int] = [:]
        for sample in robustness.samples { for name in sample.brokenLimits { counts[name, default: 0] += 1 } }
        return counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { ($0.key, $0.value) }
    }

    var summary: JSONValue {
        let samples = robustness.samples, settings = robustness.settings
        func distribution(_ values: [Double]) -> JSONValue {
            guard let p = Robustness.percentiles(values) else { return .null }
            return .object([("p10", .number(withoutNoise(p.p10))), ("p50", .number(withoutNoise(p.p50))), ("p90", .number(withoutNoise(p.p90)))])
        }
        let robust = robustness.robust
        let spreads: [(String, JSONValue)] = Robustness.SoftColumn.allCases.map { ($0.rawValue, .number(settings.spreads[$0] ?? 0)) }
        let broken: [(String, JSONValue)] = brokenCounts.map { ($0.name, .number(Double($0.samples))) }
        let perTier: [(String, JSONValue)] = robustShares.map { share in
            (share.tier, share.accounts == 0 ? .null : .number(Double(share.robust) / Double(share.accounts)))
        }
        let solved = Double(samples.filter { $0.optimal != nil }.count)
        let invalid = Double(samples.filter { $0.status == "invalid" }.count)
        let infeasible = Double(samples.filter { $0.committed == nil && $0.status != "invalid" }.count)
        let regrets = samples.compactMap(\.regret).map(Self.regretWithoutNoise)
        var members: [(String, JSONValue)] = [("samples", .number(Double(settings.samples))), ("seed", .number(Double(settings.seed)))]
        members.append(("spreads", .object(spreads)))
        members.append(("base_net_contribution", .number(withoutNoise(robustness.basePlan.netContribution))))
        members += [("samples_with_optimum", .number(solved)), ("invalid_samples", .number(invalid))]
        members += [("optimal", distribution(samples.compactMap(\.optimal))), ("committed", distribution(samples.compactMap(\.committed))),
                    ("regret", distribution(regrets))]
        members += [("committed_infeasible", .number(infeasible)), ("broken_limits", .object(broken))]
        members += [("robust_accounts", .number(Double(robust.filter { $0 }.count))), ("robust_share_per_tier", .object(perTier))]
        return .object(members)
    }

    /// Per base tier: its accounts and how many are robust.
    var robustShares: [(tier: String, accounts: Int, robust: Int)] {
        let robust = robustness.robust
        return tierIds.indices.map { t in
            let accounts = robustness.basePlan.accounts.filter { $0.tier == t }
            return (tierIds[t], accounts.count, accounts.filter { robust[$0.account] }.count)
        }
    }

    /// The terminal summary: percentiles, robust accounts per tier, limits broken.
    public var text: String {
        let samples = robustness.samples
        var lines = ["Samples           \(Words.count(samples.count, "sample")), seed \(robustness.settings.seed); "
                     + "\(Words.count(samples.filter { $0.optimal != nil }.count, "optimum", "optima")) found"]
        func row(_ label: String, _ values: [Double]) {
            guard let p = Robustness.percentiles(values) else { return lines.append(label.padding(toLength: 18, withPad: " ", startingAt: 0) + "—") }
            lines.append(label.padding(toLength: 18, withPad: " ", startingAt: 0)
                         + "P10 \(SummaryText.amount(p.p10))  P50 \(SummaryText.amount(p.p50))  P90 \(SummaryText.amount(p.p90))")
        }
        row("Optimal", samples.compactMap(\.optimal))
        row("Committed plan", samples.compactMap(\.committed))
        row("Regret", samples.compactMap(\.regret).map(Self.regretWithoutNoise))
        let invalid = samples.filter { $0.status == "invalid" }
        if let first = invalid.first {
            // Why, once: the first invalid world's first problem (the sampled values broke a rule).
            let reason = (first.message ?? "").split(separator: "\n").first.map(String.init) ?? ""
            lines.append("Invalid samples   \(Words.count(invalid.count, "sample")) left out; sample \(first.index + 1): "
                         + TerminalText.escaped(reason))
        }
        let broken = samples.filter { $0.committed == nil && $0.status != "invalid" }.count
        if broken > 0 {
            lines.append("Limits broken     the committed plan breaks a limit in \(Words.count(broken, "sample")): "
                         + brokenCounts.map { "\(TerminalText.escaped($0.name)) (\($0.samples))" }.joined(separator: ", "))
        }
        lines.append("Robust accounts   base tier optimal in ≥ 80 % of samples:")
        for share in robustShares where share.accounts > 0 {
            lines.append("  \(TerminalText.escaped(share.tier)): \(SummaryText.amount(Double(share.robust))) of \(Words.count(share.accounts, "account"))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
