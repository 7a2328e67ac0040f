// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
internal import OutputFiles

/// Deterministic synthetic datasets with realistic shapes, for benchmarks and tests:
/// log-normal revenues, a few broad global groups, many one-region accounts, central
/// purchasing that grows with size, some accounts with a current tier, and a model file whose
/// limits bind.
public struct SyntheticDataset {
    public var accountCount: Int
    public var regionCount: Int
    public var seed: UInt64

    static let regionNames = ["EMEA", "DACH", "AMER", "APAC", "LATAM", "NORDICS", "JAPAN", "MEA", "ANZ", "CHINA",
                              "INDIA", "IBERIA", "BENELUX", "UKI", "CEE", "CANADA"]

    public init(accounts: Int, regions: Int = 8, seed: UInt64 = 1) {
        accountCount = accounts
        regionCount = regions
        self.seed = seed
    }

    /// The dataset and model as file name → contents: accounts.csv, footprint.csv,
    /// regions.csv, model.toml.
    public func files() throws -> [(name: String, contents: Data)] {
        var random = SplitMix64(seed: seed)
        let regionIds = (0..<regionCount).map { $0 < Self.regionNames.count ? Self.regionNames[$0] : "R\($0 + 1)" }
        let productivity = regionIds.map { _ in (random.uniform(8, 15) * 10).rounded() * 100_000 }
        let fteCost = regionIds.map { _ in (random.uniform(90, 180)).rounded() * 1000 }
        var accounts = CSVDocument(header: ["account_id", "name", "hq_region", "revenue", "margin", "growth_potential",
                                            "central_share", "competition", "fit", "current_tier"])
        var footprint = CSVDocument(header: ["account_id", "region", "share"])
        var saturation = [Double](repeating: 0, count: regionCount)
        let width = String(accountCount).count
        for index in 0..<accountCount {
            let id = "A" + String(repeating: "0", count: max(0, width - String(index + 1).count)) + String(index + 1)
            let revenue = min(2e9, max(2e5, exp(log(3e6) + 1.3 * random.normal()))).rounded(to: 1000)
            let size = min(1, max(0, (log10(revenue) - 5.3) / 3.9))
            let hq = Int(random.unit() * Double(regionCount))
            let regionsBought: Int
            if revenue >= 150e6 { regionsBought = min(regionCount, 3 + Int(random.unit() * Double(regionCount - 2))) }
            else if revenue >= 20e6 { regionsBought = min(regionCount, 1 + Int(random.unit() * 3)) }
            else { regionsBought = random.unit() < 0.85 ? 1 : min(regionCount, 2) }
            let margin = random.uniform(0.2, 0.45).rounded(to: 0.01)
            let growth = (revenue * random.uniform(0.1, 0.4)).rounded(to: 1000)
            let central = min(0.9, max(0, 0.05 + 0.6 * size + random.uniform(-0.1, 0.1))).rounded(to: 0.01)
            let competition = random.uniform(0.05, 0.4).rounded(to: 0.01)
            let fit = random.uniform(0.3, 1).rounded(to: 0.01)
            var current = ""
            if random.unit() < 0.3 {
                current = revenue >= 50e6 ? ["strategic", "total", "coordinated"][Int(random.unit() * 3)]
                    : revenue >= 5e6 ? ["coordinated", "local"][Int(random.unit() * 2)] : "local"
            }
            accounts.append([.text(id), .text("Company \(index + 1)"), .text(regionIds[hq]), .number(revenue),
                             .number(margin), .number(growth), .number(central), .number(competition), .number(fit),
                             .text(current)])
            var shares: [(Int, Double)] = [(hq, 1)]
            if regionsBought > 1 {
                var others = Array(0..<regionCount).filter { $0 != hq }
                for k in stride(from: others.count - 1, to: 0, by: -1) { others.swapAt(k, Int(random.unit() * Double(k + 1))) }
                let chosen = [hq] + others.prefix(regionsBought - 1)
                let weights = chosen.enumerated().map { $0.offset == 0 ? random.uniform(1.5, 3) : random.uniform(0.5, 2) }
                let total = weights.reduce(0, +)
                var rounded = weights.map { ($0 / total).rounded(to: 0.001) }
                rounded[0] = (1 - rounded.dropFirst().reduce(0, +)).rounded(to: 0.001)
                shares = zip(chosen, rounded).map { ($0, $1) }
                for (region, share) in shares { footprint.append([.text(id), .text(regionIds[region]), .number(share)]) }
            }
            for (region, share) in shares { saturation[region] += share * (revenue + growth) / productivity[region] }
        }
        var regions = CSVDocument(header: ["region", "local_capacity_fte", "local_fte_cost", "productivity"])
        for r in 0..<regionCount {
            // About 0.7 saturation units per account: enough for the minimum coverage, short of
            // what full coverage would use, so capacities bind in some regions.
            regions.append([.text(regionIds[r]), .number((saturation[r] * random.uniform(0.6, 0.9)).rounded(to: 1)),
                            .number(fteCost[r]), .number(productivity[r])])
        }
        let n = Double(accountCount)
        let localBudget = zip(saturation, fteCost).reduce(0) { $0 + $1.0 * 0.55 * $1.1 }
        let model = Self.modelText(budget: (localBudget + 0.002 * n * 520_000).rounded(to: 100_000),
                                   gamHeadcount: max(2, (0.004 * n).rounded()),
                                   centralFTE: max(2, (0.005 * n).rounded()),
                                   execHours: max(100, (0.3 * n).rounded(to: 10)),
                                   maxGlobalAccounts: max(3, Int(0.01 * n)))
        return [("accounts.csv", try accounts.data()), ("footprint.csv", try footprint.data()),
                ("regions.csv", try regions.data()), ("model.toml", Data(model.utf8))]
    }

    /// The standard four tiers (local, coordinated, strategic, total) as model-file text: both
    /// generator families write them.
    static let standardTiers = """
        [[tier]]
        id = "local"
        gam_fte = 0.0
        central_fte = 0.0
        exec_hours = 0.0
        protection = 0.50
        central_reach = 0.15
        min_local_coverage = 0.2

        [[tier]]
        id = "coordinated"
        gam_fte = 0.25
        central_fte = 0.1
        exec_hours = 8
        protection = 0.70
        central_reach = 0.40
        min_local_coverage = 0.3
        min_revenue = 5_000_000
        min_regions = 2
        min_fit = 0.3

        [[tier]]
        id = "strategic"
        gam_fte = 0.5
        central_fte = 0.4
        exec_hours = 24
        protection = 0.85
        central_reach = 0.70
        min_local_coverage = 0.4
        min_revenue = 20_000_000
        min_regions = 2
        min_fit = 0.5

        [[tier]]
        id = "total"
        gam_fte = 1.0
        central_fte = 0.75
        exec_hours = 60
        protection = 0.95
        central_reach = 0.95
        min_local_coverage = 0.5
        min_revenue = 50_000_000
        min_regions = 3
        min_fit = 0.6
        """

    /// The files `files()` writes.
    public static let fileNames = ["accounts.csv", "footprint.csv", "regions.csv", "model.toml"]

    /// Writes the files as the whole of `folder`, all or nothing.
    public func write(to folder: String) throws {
        let names = Set(Self.fileNames)
        try OutputStage(folder: folder, isReplaceable: { names.contains($0) }).commit(try files())
    }

    static func modelText(budget: Double, gamHeadcount: Double, centralFTE: Double, execHours: Double,
                          maxGlobalAccounts: Int) -> String {
        """
        # Generated by salesmotion generate: the four standard tiers with limits that bind.

        [costs]
        gam_fte_cost = 250_000
        central_fte_cost = 200_000
        exec_hour_cost = 2_000
        program_fixed_cost = 400_000

        [limits]
        budget = \(formatShort(budget))
        gam_headcount = \(formatShort(gamHeadcount))
        central_fte = \(formatShort(centralFTE))
        exec_hours = \(formatShort(execHours))
        max_cost_of_sales = 0.12
        global_share = [0.02, 0.40]
        max_global_accounts = \(maxGlobalAccounts)

        [solver]
        mip_gap = 1e-4
        time_limit = 600

        \(standardTiers)

        [transition]
        change_cost = 20_000

        """
    }
}

extension Double {
    /// Rounded to a multiple of `step`, for tidy generated figures.
    func rounded(to step: Double) -> Double {
        let value = (self / step).rounded() * step
        // Snap decimals so that 0.35 prints as 0.35, not 0.35000000000000003.
        return step < 1 ? Double(String(format: "%.\(max(0, Int(-log10(step).rounded())))f", value))! : value
    }
}
