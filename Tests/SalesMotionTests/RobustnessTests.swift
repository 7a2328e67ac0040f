// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OutputFiles
@testable import SalesMotion
import Testing

/// `salesmotion robustness` (scenarios.md, "Robustness"): the sampling, the committed plan,
/// the shares, and the files.
@Suite struct RobustnessTests {
    typealias Tiny = TinyInstanceTests

    static func sample() throws -> AllocationInstance { try sampleInstance() }

    static func settings(samples: Int, spreads: Double? = nil) -> Robustness.Settings {
        var settings = Robustness.Settings()
        settings.samples = samples
        if let spreads { for column in Robustness.SoftColumn.allCases { settings.spreads[column] = spreads } }
        return settings
    }

    /// With every spread 0 each sampled world is the base: its optimum is the base plan's value
    /// and tiers, the committed plan earns the same, the regret is 0, every account is robust.
    @Test func noSpreadIsTheBase() throws {
        let instance = try Self.sample()
        let base = try #require(try AllocationPlanner.solve(instance, options: .glpk).plan)
        let run = try Robustness.run(instance, basePlan: base, settings: Self.settings(samples: 4, spreads: 0), workers: 2, options: .glpk)
        let unchanged = Robustness.sampledDataset(instance.dataset, settings: Self.settings(samples: 4, spreads: 0), index: 3)
        #expect(unchanged.accounts == instance.dataset.accounts && unchanged.regions == instance.dataset.regions)
        for sample in run.samples {
            #expect(sample.optimal == base.netContribution && sample.committed == base.netContribution && sample.regret == 0)
            #expect(sample.tiers == base.accounts.map(\.tier) && sample.brokenLimits.isEmpty)
        }
        #expect(run.robust.allSatisfy { $0 })
        #expect(zip(run.tierShares, base.accounts).allSatisfy { $0[$1.tier] == 1 })
    }

    /// 10,000 accounts, one sample: each account's factor on growth potential is a draw. The
    /// median factor is 1 and 90 % of the factors lie in [1/1.3, 1.3], within sampling error
    /// (the median's log within 0.01 — its standard error is 1.25·σ/100 = 0.002; the interval's
    /// share within 0.9 ± 0.012, four standard errors); shares stay within 0…1 (central share
    /// 0.9 and fit 1 pushed above 1 are clipped, and about half of the fits are).
    @Test func theSamplingDistribution() {
        let accounts = (0..<10_000).map { i in
            Account(id: "A\(i)", headquarters: 0, revenue: 1e6, margin: 0.5, growthPotential: 1, centralShare: 0.9, competition: 0.5, fit: 1)
        }
        let dataset = Dataset(accounts: accounts, regions: [Tiny.region])
        let sampled = Robustness.sampledDataset(dataset, settings: Self.settings(samples: 1), index: 0)
        let factors = sampled.accounts.map(\.growthPotential).sorted()
        let median = (factors[4_999] + factors[5_000]) / 2
        #expect(abs(log(median)) < 0.01, "median \(median)")
        let inside = Double(factors.filter { $0 >= 1 / 1.3 && $0 <= 1.3 }.count) / 10_000
        #expect(abs(inside - 0.9) < 0.012, "share inside \(inside)")
        for account in sampled.accounts {
            #expect((0...1).contains(account.centralShare) && (0...1).contains(account.competition) && (0...1).contains(account.fit))
        }
        let clipped = Double(sampled.accounts.filter { $0.fit == 1 }.count) / 10_000
        #expect(abs(clipped - 0.5) < 0.02, "fits clipped \(clipped)")
        // Another sample draws other factors; the same sample the same ones.
        #expect(Robustness.sampledDataset(dataset, settings: Self.settings(samples: 2), index: 1).accounts[0].growthPotential != factors.first)
        #expect(Robustness.sampledDataset(dataset, settings: Self.settings(samples: 1), index: 0).accounts == sampled.accounts)
    }

    /// "central" keeps what "local" keeps (protection 0.5) and wins the central potential
    /// (reach 1; central share 1, fit 1: margin 0.5 of the growth potential) for one GAM FTE at
    /// 200k: it pays when 0.5·potential > 200k, a potential above 400k. F (420k) is 20k past the
    /// threshold: a factor below 400/420 (z < ln(0.952)/σ = −0.31 with σ = ln 1.3/1.645, 38 % of
    /// draws) flips it to local. Far (4M) gains 1.8M: only a factor below 0.1 would flip it.
    /// Low (no potential) never pays for central. Only growth potential is sampled.
    @Test func anAccountNearItsThresholdFlips() throws {
        let central = CoverageTier(id: "central", gamFTE: 1, centralFTE: 0, execHours: 0, protection: 0.5, centralReach: 1, minLocalCoverage: 0)
        let model = AllocationModel(tiers: [Tiny.local, central], costs: CostRates(gamFTECost: 200_000), solver: SolverSettings(mipGap: 0))
        let accounts = [("F", 420_000.0), ("Far", 4e6), ("Low", 0)].map { id, potential in
            Account(id: id, headquarters: 0, revenue: 5e6, margin: 0.5, growthPotential: potential, centralShare: 1, competition: 0.4, fit: 1)
        }
        let instance = try AllocationInstance(dataset: Dataset(accounts: accounts, regions: [Tiny.region]), model: model)
        let base = try #require(try AllocationPlanner.solve(instance, options: .glpk).plan)
        #expect(base.accounts.map(\.tier) == [1, 1, 0])
        var settings = Self.settings(samples: 40, spreads: 0)
        settings.spreads[.growthPotential] = 0.3
        let run = try Robustness.run(instance, basePlan: base, settings: settings, workers: 2, options: .glpk)
        let shares = run.tierShares
        #expect(shares[0][1] > 0 && shares[0][1] < 1, "F central in \(shares[0][1])")
        #expect(shares[1][1] == 1 && shares[2][0] == 1)
        // The regret is F's: a sample where F should be local costs what central loses there.
        for sample in run.samples {
            let potential = Robustness.sampledDataset(instance.dataset, settings: settings, index: sample.index).accounts[0].growthPotential
            #expect(isApproximatelyEqual(try #require(sample.regret), max(0, 200_000 - 0.5 * potential), relative: 1e-9, absolute: 1e-3))
        }
    }

    /// Premium needs half the saturation as local effort (min_local_coverage 0.5): X's
    /// saturation is 10M / productivity 10M = 1 FTE, so 0.5 FTE, and R has exactly 0.5. Where
    /// the sampled productivity is lower, the committed premium needs more than R has: the
    /// committed plan breaks R's capacity (named), the world's optimum is local (4.0M); where
    /// it is higher, premium still fits: 4.8M − 0.5·s·100k.
    @Test func aCommittedPlanThatBreaksALimitSaysWhich() throws {
        var premium = Tiny.premium
        premium.minLocalCoverage = 0.5
        let region = Region(id: "R", localCapacityFTE: 0.5, localFTECost: 100_000, productivity: 10_000_000)
        let model = AllocationModel(tiers: [Tiny.local, premium], costs: CostRates(gamFTECost: 200_000), solver: SolverSettings(mipGap: 0))
        let instance = try AllocationInstance(dataset: Dataset(accounts: [Tiny.account("X", revenue: 10e6)], regions: [region]), model: model)
        let base = try #require(try AllocationPlanner.solve(instance, options: .glpk).plan)
        #expect(base.accounts.map(\.tier) == [1])
        var settings = Self.settings(samples: 12, spreads: 0)
        settings.spreads[.productivity] = 0.15
        let run = try Robustness.run(instance, basePlan: base, settings: settings, workers: 1, options: .glpk)
        var broke = 0
        for sample in run.samples {
            let productivity = Robustness.sampledDataset(instance.dataset, settings: settings, index: sample.index).regions[0].productivity
            if productivity < 10_000_000 {
                broke += 1
                #expect(sample.committed == nil && sample.brokenLimits == ["local_capacity_fte.R"], "\(sample)")
                #expect(isApproximatelyEqual(try #require(sample.optimal), 4_000_000))
            } else {
                #expect(isApproximatelyEqual(try #require(sample.committed), 4_800_000 - 0.5 * 1e12 / productivity))
                #expect(sample.brokenLimits.isEmpty && sample.regret == 0)
            }
        }
        #expect(broke > 0 && broke < 12)
        #expect(RobustnessReport(run).brokenCounts.map(\.name) == ["local_capacity_fte.R"])
    }

    /// Every tier asks for fit ≥ 0.5 and X's fit is 0.52: a world whose fit factor is below
    /// 0.5/0.52 (a quarter of draws at spread 0.1) leaves X eligible for no tier. Such a world is
    /// `invalid`, left out of the figures, and the terminal says why once.
    @Test func aWorldWithoutAnOpenTierIsInvalid() throws {
        var local = Tiny.local, premium = Tiny.premium
        local.minFit = 0.5
        premium.minFit = 0.5
        let model = AllocationModel(tiers: [local, premium], costs: CostRates(gamFTECost: 200_000), solver: SolverSettings(mipGap: 0))
        let x = Account(id: "X", headquarters: 0, revenue: 10e6, margin: 0.5, growthPotential: 0, competition: 0.4, fit: 0.52)
        let instance = try AllocationInstance(dataset: Dataset(accounts: [x], regions: [Tiny.region]), model: model)
        let base = try #require(try AllocationPlanner.solve(instance, options: .glpk).plan)
        var settings = Self.settings(samples: 20, spreads: 0)
        settings.spreads[.fit] = 0.1
        let run = try Robustness.run(instance, basePlan: base, settings: settings, workers: 1, options: .glpk)
        for sample in run.samples {
            let fit = Robustness.sampledDataset(instance.dataset, settings: settings, index: sample.index).accounts[0].fit
            #expect((sample.status == "invalid") == (fit < 0.5), "fit \(fit): \(sample.status)")
            if sample.status == "invalid" {
                #expect(sample.optimal == nil && sample.message?.contains("eligible for no tier") == true)
            }
        }
        let invalid = run.samples.filter { $0.status == "invalid" }.count
        #expect(invalid > 0 && invalid < 20)
        #expect(RobustnessReport(run).text.contains("Invalid samples   \(Words.count(invalid, "sample")) left out"))
    }

    /// Percentiles are linear between order statistics: P10 of 1…11 is 2, P50 6, P90 10; of 0
    /// and 10, 1, 5, 9.
    @Test func percentiles() throws {
        let p = try #require(Robustness.percentiles((1...11).map(Double.init)))
        #expect(p.p10 == 2 && p.p50 == 6 && p.p90 == 10)
        let q = try #require(Robustness.percentiles([10, 0]))
        #expect(q.p10 == 1 && q.p50 == 5 && q.p90 == 9)
        #expect(Robustness.percentiles([]) == nil)
    }

    /// A bad --spread is located at --spread with the closest column.
    @Test func badSpreads() {
        var settings = Robustness.Settings()
        #expect(inputMessages { try settings.setSpread("growth_potentail=0.3") }.first?.contains("did you mean 'growth_potential'") == true)
        #expect(inputMessages { try settings.setSpread("fit=-1") }.first?.contains("expected a fraction from 0 to 10") == true)
        #expect(inputMessages { try settings.setSpread("fit") }.first?.contains("expected column=fraction") == true)
        #expect(inputMessages { try settings.setSpread("fit=nan") }.count == 1)
        #expect(throws: Never.self) { try settings.setSpread(" fit = 0.25 ") }
        #expect(settings.spreads[.fit] == 0.25)
    }
}
