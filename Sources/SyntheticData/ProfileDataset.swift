// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
internal import OutputFiles

/// A second, independent family of synthetic datasets, written from its own description rather
/// than from ``SyntheticDataset``'s code, so that benchmarks do not only measure instances shaped
/// like the method: 8 regions by default, log-normal revenues (σ ≈ 1.4 around ~9M), growth
/// potential 5–80 % of revenue, footprints of 1 + Exp(0.8) regions with the HQ weighted up,
/// margins 15–55 %, central share Beta(2,3), competition 0–0.5, fit 0.2–1.0, the standard four
/// tiers, and only the budget binding.
///
/// Each ``Profile`` then varies one property that matters to a decomposition: footprint breadth,
/// heavy tails, exact ties between accounts, which limit binds, pins, many current tiers.
public struct ProfileDataset {
    public enum Profile: String, CaseIterable, Sendable {
        /// The family as described: budget only.
        case market
        /// Footprints of 1 + Exp(0.3) regions: many accounts span most regions.
        case broad
        /// Revenues with σ ≈ 2.2: a few giants, a long tail of small accounts.
        case heavyTail = "heavy-tail"
        /// Accounts drawn from 40 archetypes: thousands of identical accounts, exact ties.
        case nearTies = "near-ties"
        /// The cost-of-sales ratio binds (the budget is loose).
        case costOfSales = "cost-of-sales"
        /// The global-share band binds from below, the budget too.
        case globalShare = "global-share"
        /// GAM headcount and the number of global accounts bind.
        case gamHeadcount = "gam-headcount"
        /// Most accounts have a current tier; change cost and max_changes bind.
        case maxChanges = "max-changes"
        /// 2 % of the accounts are pinned to a tier (some of them above their eligibility).
        case pins
    }

    public var accountCount: Int
    public var regionCount: Int
    public var seed: UInt64
    public var profile: Profile

    public init(accounts: Int, regions: Int = 8, seed: UInt64 = 1, profile: Profile = .market) {
        accountCount = accounts
        regionCount = regions
        self.seed = seed
        self.profile = profile
    }

    /// A tier of the standard four, with what the generator needs to estimate spend.
    private struct Tier {
        var id: String
        var cost: Double
        var gamFTE: Double
        var minRevenue: Double
        var minRegions: Int
        var minFit: Double
    }

    /// The standard tiers as the generator needs them, read from the very text it writes
    /// (``SyntheticDataset/standardTiers``) and the costs of its header: one place for each.
    private static let tiers: [Tier] = {
        let costs = keyValues(header)
        return SyntheticDataset.standardTiers.components(separatedBy: "[[tier]]").dropFirst().map { block in
            let values = keyValues(block)
            let gam = values["gam_fte"] ?? 0
            let cost = gam * (costs["gam_fte_cost"] ?? 0) + (values["central_fte"] ?? 0) * (costs["central_fte_cost"] ?? 0)
                + (values["exec_hours"] ?? 0) * (costs["exec_hour_cost"] ?? 0)
            return Tier(id: texts(block)["id"] ?? "", cost: cost, gamFTE: gam, minRevenue: values["min_revenue"] ?? 0,
                        minRegions: Int(values["min_regions"] ?? 1), minFit: values["min_fit"] ?? 0)
        }
    }()

    /// The `key = number` lines of a TOML fragment (underscores in numbers allowed).
    private static func keyValues(_ text: String) -> [String: Double] {
        texts(text).compactMapValues { Double($0.replacingOccurrences(of: "_", with: "")) }
    }

    /// The `key = value` lines of a TOML fragment, comments and quotes removed.
    private static func texts(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let body = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let parts = body.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            result[parts[0]] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return result
    }

    private struct Account {
        var revenue, margin, growth, central, competition, fit: Double
        var hq: Int
        var shares: [(region: Int, share: Double)]
    }

    /// The dataset and model as file name → contents (the names of ``SyntheticDataset/fileNames``).
    public func files() throws -> [(name: String, contents: Data)] {
        var random = SplitMix64(seed: seed ^ 0x5EED_0F_FA_A11E)
        let regionIds = (0..<regionCount).map { $0 < SyntheticDataset.regionNames.count ? SyntheticDataset.regionNames[$0] : "R\($0 + 1)" }
        let productivity = regionIds.map { _ in random.uniform(0.8e6, 1.6e6).rounded(to: 10_000) }
        let fteCost = regionIds.map { _ in random.uniform(100_000, 170_000).rounded(to: 1000) }
        let archetypes = profile == .nearTies ? (0..<40).map { _ in drawAccount(&random) } : []
        var accounts = CSVDocument(header: ["account_id", "name", "hq_region", "revenue", "margin", "growth_potential",
                                            "central_share", "competition", "fit", "current_tier"])
        var footprint = CSVDocument(header: ["account_id", "region", "share"])
        var pins: [(String, String)] = []
        var saturation = [Double](repeating: 0, count: regionCount)
        var localSpend = 0.0, minimumSpend = 0.0, globalSpend = 0.0, expectedRevenue = 0.0, eligibleGlobal = 0.0
        let width = String(accountCount).count
        for index in 0..<accountCount {
            let id = "C" + String(repeating: "0", count: max(0, width - String(index + 1).count)) + String(index + 1)
            let account = archetypes.isEmpty ? drawAccount(&random) : archetypes[Int(random.unit() * Double(archetypes.count))]
            let open = Self.tiers.indices.filter { t in
                account.revenue >= Self.tiers[t].minRevenue && account.shares.count >= Self.tiers[t].minRegions
                    && account.fit >= Self.tiers[t].minFit
            }
            var current = ""
            let currentShare = profile == .maxChanges ? 0.8 : 0.15
            if random.unit() < currentShare { current = Self.tiers[open[Int(random.unit() * Double(open.count))]].id }
            if profile == .pins && random.unit() < 0.02 {
                // Mostly an open tier; one pin in five above the account's eligibility.
                let tier = random.unit() < 0.2 ? Int(random.unit() * 4) : open[Int(random.unit() * Double(open.count))]
                pins.append((id, Self.tiers[tier].id))
            }
            accounts.append([.text(id), .text("Customer \(index + 1)"), .text(regionIds[account.hq]),
                             .number(account.revenue), .number(account.margin), .number(account.growth),
                             .number(account.central), .number(account.competition), .number(account.fit),
                             .text(current)])
            if account.shares.count > 1 || account.shares[0].region != account.hq {
                for (region, share) in account.shares { footprint.append([.text(id), .text(regionIds[region]), .number(share)]) }
            }
            // Rough spend at half a saturation unit per region and the cheapest global tier where one is open:
            // the scale the limits are set against.
            for (region, share) in account.shares {
                let scale = share * (account.revenue + account.growth) / productivity[region]
                saturation[region] += scale
                localSpend += 0.5 * scale * fteCost[region]
                minimumSpend += 0.2 * scale * fteCost[region]
            }
            if open.count > 1 {
                globalSpend += Self.tiers[open[1]].cost
                eligibleGlobal += 1
            }
            expectedRevenue += account.revenue + 0.3 * account.growth
        }
        var regions = CSVDocument(header: ["region", "local_capacity_fte", "local_fte_cost", "productivity"])
        for r in 0..<regionCount {
            // Capacities far above any plan's use: only the profile's limit binds.
            regions.append([.text(regionIds[r]), .number(max(1, (3 * saturation[r]).rounded(to: 1))),
                            .number(fteCost[r]), .number(productivity[r])])
        }
        let spend = localSpend + globalSpend
        // A plan at the local minimum coverage spends `minimumSpend`; unconstrained plans of this
        // family spend about half of `spend`. A budget between the two binds.
        // Identical accounts (near-ties) spend less than the estimate: their budget sits lower.
        let tightBudget = (minimumSpend + (profile == .nearTies ? 0.15 : 0.5) * max(0, 0.5 * spend - minimumSpend)).rounded(to: 1000)
        var limits: [String] = []
        var transition = ["change_cost = 30_000"]
        switch profile {
        case .market, .broad, .heavyTail, .nearTies, .pins:
            limits.append("budget = \(formatShort(tightBudget))")
        case .costOfSales:
            limits.append("budget = \(formatShort((3 * spend).rounded(to: 1000)))")
            limits.append("max_cost_of_sales = \(formatShort((0.53 * spend / max(1, expectedRevenue)).rounded(to: 0.0001)))")
        case .globalShare:
            limits.append("budget = \(formatShort((0.5 * (tightBudget + 0.5 * spend)).rounded(to: 1000)))")
            let share = globalSpend / max(1, spend)
            limits.append("global_share = [\(formatShort((2.5 * share).rounded(to: 0.001))), \(formatShort(min(1, 5 * share).rounded(to: 0.001)))]")
        case .gamHeadcount:
            limits.append("budget = \(formatShort((1.5 * spend).rounded(to: 1000)))")
            limits.append("gam_headcount = \(formatShort(max(1, (0.035 * eligibleGlobal).rounded())))")
            limits.append("max_global_accounts = \(max(1, Int(0.1 * eligibleGlobal)))")
        case .maxChanges:
            limits.append("budget = \(formatShort((0.85 * spend).rounded(to: 1000)))")
            transition.append("max_changes = \(max(1, accountCount / 50))")
        }
        var model = Self.header + "[limits]\n" + limits.joined(separator: "\n") + "\n\n" + SyntheticDataset.standardTiers + "\n\n"
            + "[transition]\n" + transition.joined(separator: "\n") + "\n"
        for (account, tier) in pins { model += "\n[[pin]]\naccount = \"\(account)\"\ntier = \"\(tier)\"\n" }
        return [("accounts.csv", try accounts.data()), ("footprint.csv", try footprint.data()),
                ("regions.csv", try regions.data()), ("model.toml", Data(model.utf8))]
    }

    /// Writes the files as the whole of `folder`, all or nothing.
    public func write(to folder: String) throws {
        let names = Set(SyntheticDataset.fileNames)
        try OutputStage(folder: folder, isReplaceable: { names.contains($0) }).commit(try files())
    }

    private func drawAccount(_ random: inout SplitMix64) -> Account {
        let sigma = profile == .heavyTail ? 2.2 : 1.4
        let revenue = min(5e9, max(1e5, 9e6 * exp(sigma * random.normal()))).rounded(to: 1000)
        let growth = (revenue * random.uniform(0.05, 0.8)).rounded(to: 1000)
        let hq = Int(random.unit() * Double(regionCount))
        // Number of regions: 1 + Exp(rate) rounded down; a broad profile has a smaller rate.
        let rate = profile == .broad ? 0.3 : 0.8
        let extra = Int(-log(max(1e-300, 1 - random.unit())) / rate)
        let count = min(regionCount, 1 + extra)
        var others = Array(0..<regionCount).filter { $0 != hq }
        for k in stride(from: others.count - 1, to: 0, by: -1) { others.swapAt(k, Int(random.unit() * Double(k + 1))) }
        let chosen = [hq] + others.prefix(count - 1)
        let weights = chosen.indices.map { $0 == 0 ? 2 + 2 * random.unit() : 0.2 + random.unit() }
        let total = weights.reduce(0, +)
        var shares = weights.map { ($0 / total).rounded(to: 0.0001) }
        shares[0] = (1 - shares.dropFirst().reduce(0, +)).rounded(to: 0.0001)
        return Account(revenue: revenue, margin: random.uniform(0.15, 0.55).rounded(to: 0.001), growth: growth,
                       central: Self.beta23(&random).rounded(to: 0.001),
                       competition: random.uniform(0, 0.5).rounded(to: 0.001),
                       fit: random.uniform(0.2, 1).rounded(to: 0.001), hq: hq,
                       shares: Array(zip(chosen, shares)).map { (region: $0.0, share: $0.1) })
    }

    /// Beta(2, 3) as X/(X+Y) with X ~ Gamma(2), Y ~ Gamma(3) (sums of exponentials).
    private static func beta23(_ random: inout SplitMix64) -> Double {
        func exponential() -> Double { -log(max(1e-300, 1 - random.unit())) }
        let x = exponential() + exponential()
        let y = exponential() + exponential() + exponential()
        return x / (x + y)
    }

    private static let header = """
        # Generated by salesmotion generate --profile: the four standard tiers.

        [costs]
        gam_fte_cost = 250_000
        central_fte_cost = 200_000
        exec_hour_cost = 2_000
        program_fixed_cost = 500_000

        [solver]
        mip_gap = 1e-4
        time_limit = 600


        """
}
