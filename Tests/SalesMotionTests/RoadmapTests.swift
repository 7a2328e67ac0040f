// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

/// The roadmap (roadmap.md) on instances small enough to solve by hand; every expected number
/// is derived in the comments.
///
/// The set-up of `TinyInstanceTests`: one region R (local FTE cost 100k, productivity 10M), no
/// growth potential (local effort wins nothing), margin 0.5, competition 0.4; "local" keeps
/// 0.8·revenue, "premium" (1 GAM FTE at 200k) keeps all of it. Per year:
///   X (revenue 10M): local 4.0M, premium 4.8M (+0.8M)
///   Y (revenue  5M): local 2.0M, premium 2.3M (+0.3M)
@Suite struct RoadmapTests {
    typealias Tiny = TinyInstanceTests

    static func plan(_ accounts: [Account], model: AllocationModel) throws -> (RoadmapResult, RoadmapInstance) {
        var model = model
        model.solver.mipGap = 0
        let instance = try AllocationInstance(dataset: Dataset(accounts: accounts, regions: [Tiny.region]), model: model)
        let roadmap = try RoadmapInstance(instance)
        return (try RoadmapPlanner.plan(roadmap, options: .glpk), roadmap)
    }

    /// Each account's tier year by year, by id.
    static func paths(_ result: RoadmapResult, _ roadmap: RoadmapInstance) -> [String: [String]] {
        var paths: [String: [String]] = [:]
        for year in result.years {
            for staffing in year.plan.accounts {
                paths[roadmap.base.dataset.accounts[staffing.account].id, default: []].append(roadmap.base.model.tiers[staffing.tier].id)
            }
        }
        return paths
    }

    /// Headcount 1 then 2, two years, no discount: year 1 has one premium, and X gains more
    /// (0.8M against 0.3M): X premium, Y local = 4.8M + 2.0M = 6.8M. Year 2 takes both:
    /// 4.8M + 2.3M = 7.1M. Total 13.9M; Y's move is year 2's one change.
    @Test func aPerYearHeadcountPhasesTheMoves() throws {
        var model = AllocationModel(tiers: [Tiny.local, Tiny.premium], costs: CostRates(gamFTECost: 200_000))
        model.roadmap = RoadmapSettings(years: 2)
        model.yearValues["limits.gam_headcount"] = [1, 2]
        model.limits.gamHeadcount = 1
        let (result, roadmap) = try Self.plan([Tiny.account("X", revenue: 10e6), Tiny.account("Y", revenue: 5e6)], model: model)
        #expect(result.status == .optimal)
        #expect(Self.paths(result, roadmap) == ["X": ["premium", "premium"], "Y": ["local", "premium"]])
        #expect(isApproximatelyEqual(result.objective!, 13_900_000))
        #expect(isApproximatelyEqual(result.years[0].plan.netContribution, 6_800_000))
        #expect(isApproximatelyEqual(result.years[1].plan.netContribution, 7_100_000))
        #expect(result.years.map(\.plan.tierChanges) == [0, 1])
        #expect(result.years[0].plan.limits.first { $0.name == "gam_headcount" }?.value == 1)
        #expect(result.years[1].plan.limits.first { $0.name == "gam_headcount" }?.value == 2)
    }

    /// X is local today; headcount 1, 0, 1 over three years; a change costs 100k. Paths:
    ///   premium, local, premium: 4.8 + 4.0 + 4.8 − 3 × 0.1 = 13.3M (three changes)
    ///   premium, local, local:   4.8 + 4.0 + 4.0 − 2 × 0.1 = 12.6M
    ///   local, local, premium:   4.0 + 4.0 + 4.8 − 1 × 0.1 = 12.7M
    ///   local, local, local:     12.0M
    /// Free, the up-and-down path wins (13.3M); with max_changes_per_account = 1 only the last
    /// two are allowed and the move waits for year 3 (12.7M).
    @Test func oneChangePerAccountForbidsUpAndDown() throws {
        var model = AllocationModel(tiers: [Tiny.local, Tiny.premium], costs: CostRates(gamFTECost: 200_000),
                                    transition: TransitionRules(changeCost: 100_000))
        model.roadmap = RoadmapSettings(years: 3)
        model.yearValues["limits.gam_headcount"] = [1, 0, 1]
        model.limits.gamHeadcount = 1
        let x = Tiny.account("X", revenue: 10e6, current: "local")
        let (free, freeRoadmap) = try Self.plan([x], model: model)
        #expect(Self.paths(free, freeRoadmap)["X"] == ["premium", "local", "premium"])
        #expect(isApproximatelyEqual(free.objective!, 13_300_000))
        #expect(free.years.map(\.plan.tierChanges) == [1, 1, 1])

        model.roadmap?.maxChangesPerAccount = 1
        let (limited, limitedRoadmap) = try Self.plan([x], model: model)
        #expect(Self.paths(limited, limitedRoadmap)["X"] == ["local", "local", "premium"])
        #expect(isApproximatelyEqual(limited.objective!, 12_700_000))
        #expect(limited.years.map(\.plan.tierChanges) == [0, 0, 1])
    }

    /// Y is local today, and "local" here needs full coverage (min_local_coverage 1: s = 5M /
    /// 10M = 0.5 FTE at 100k = 50k a year, winning nothing): local 1.95M, premium 2.3M. In year 2
    /// the global share must be at least 10 %, which a local Y (global expense 0 of 50k) breaks,
    /// so Y is premium by year 2; a change costs 1.2M. Moving in year 1 or in year 2:
    ///   rate 0:   premium, premium = 2.3 − 1.2 + 2.3 = 3.4M;  local, premium = 1.95 + (2.3 − 1.2) = 3.05M
    ///   rate 0.5 (year 2 counts 1/1.5): 1.1 + 2.3/1.5 = 2.6333M;  1.95 + 1.1/1.5 = 2.6833M
    /// Undiscounted the move comes in year 1; at 50 % it waits for year 2, paying the change
    /// cost later. (Year 2 with the move: global 200k of 1.4M = 14 % ≥ 10 %.)
    @Test func discountingMovesAChangeLater() throws {
        var local = Tiny.local
        local.minLocalCoverage = 1
        var model = AllocationModel(tiers: [local, Tiny.premium], costs: CostRates(gamFTECost: 200_000),
                                    transition: TransitionRules(changeCost: 1_200_000))
        model.roadmap = RoadmapSettings(years: 2)
        model.yearBands = [0...1, 0.1...1]
        model.limits.globalShare = 0...1
        let y = Tiny.account("Y", revenue: 5e6, current: "local")
        let (undiscounted, roadmap) = try Self.plan([y], model: model)
        #expect(Self.paths(undiscounted, roadmap)["Y"] == ["premium", "premium"])
        #expect(isApproximatelyEqual(undiscounted.objective!, 3_400_000))

        model.roadmap?.discountRate = 0.5
        let (discounted, later) = try Self.plan([y], model: model)
        #expect(Self.paths(discounted, later)["Y"] == ["local", "premium"])
        #expect(isApproximatelyEqual(discounted.objective!, 1_950_000 + 1_100_000 / 1.5))
        // Per-year figures are undiscounted; only `discounted` carries the factor.
        #expect(isApproximatelyEqual(discounted.years[1].plan.netContribution, 1_100_000))
        #expect(isApproximatelyEqual(discounted.years[1].discounted, 1_100_000 / 1.5))
    }

    /// Year k's revenue and growth potential are today's × (1 + g)^(k−1), and eligibility stays
    /// today's: with min_revenue 11M premium is closed to X (10M) in every year, even when
    /// growth of 20 % takes X to 12M in year 2. Year 2: local keeps 0.8 × 12M, gross profit 4.8M.
    @Test func marketGrowthScalesRevenueButNotEligibility() throws {
        var premium = Tiny.premium
        premium.minRevenue = 11e6
        var model = AllocationModel(tiers: [Tiny.local, premium], costs: CostRates(gamFTECost: 200_000))
        model.roadmap = RoadmapSettings(years: 2, marketGrowth: 0.2)
        let (result, roadmap) = try Self.plan([Tiny.account("X", revenue: 10e6)], model: model)
        #expect(Self.paths(result, roadmap)["X"] == ["local", "local"])
        #expect(isApproximatelyEqual(result.years[1].plan.expectedRevenue, 9_600_000))
        #expect(isApproximatelyEqual(result.objective!, 4_000_000 + 4_800_000))
    }

    /// With one year the roadmap is `solve`: the same value and the same tiers on the sample
    /// (each solved to a gap of 1e-9, by its own program: the roadmap's changes are variables of
    /// their own, solve folds them into the tier choices).
    @Test func oneYearIsTheSingleYearPlan() throws {
        let instance = try sampleInstance(["roadmap.years=1", "solver.mip_gap=1e-9", "transition.max_changes=14"])
        let single = try AllocationPlanner.solve(instance, options: .glpk)
        let roadmap = try RoadmapPlanner.plan(try RoadmapInstance(instance), options: .glpk)
        #expect(roadmap.status == .optimal)
        #expect(isApproximatelyEqual(roadmap.objective!, single.plan!.netContribution, relative: 1e-9))
        #expect(roadmap.years[0].plan.accounts.map(\.tier) == single.plan!.accounts.map(\.tier))
        #expect(roadmap.years[0].plan.tierChanges == single.plan!.tierChanges)
    }

    /// Each year is reported as `solve` would report it with its tiers fixed: on the sample's
    /// roadmap, solving each year alone (every account pinned to its tier, the year before's
    /// tiers current) gives the same net contribution and the same shadow prices, which the
    /// roadmap reads off its own program (divided by the year's discount factor).
    @Test func eachYearIsTheYearAloneWithItsTiers() throws {
        let instance = try AllocationInstance.load(dataFolder: packageRoot + "/data/sample", modelFile: packageRoot + "/models/roadmap.toml",
                                                   overrides: [ModelOverride("solver.mip_gap=1e-9")!])
        let roadmap = try RoadmapInstance(instance)
        for method in [SolutionMethod.monolithic, .decomposition] {
            var options = PlanningOptions.glpk
            options.method = method
            let result = try RoadmapPlanner.plan(roadmap, options: options)
            for year in result.years {
                let alone = try AllocationPlanner.solve(year.instance, options: .glpk).plan!
                #expect(isApproximatelyEqual(year.plan.netContribution, alone.netContribution, relative: 1e-9), "\(method) year \(year.year)")
                #expect(year.plan.tierChanges == alone.tierChanges)
                for (ours, theirs) in zip(year.plan.limits, alone.limits) where ours.binding {
                    #expect(ours.name == theirs.name)
                    #expect(isApproximatelyEqual(ours.shadowPrice ?? 0, theirs.shadowPrice ?? 0, relative: 1e-6, absolute: 1e-4),
                            "\(method) year \(year.year) \(ours.name): \(ours.shadowPrice ?? .nan) vs \(theirs.shadowPrice ?? .nan)")
                }
            }
        }
    }

    /// A relative change of a year-by-year key changes every year (28M, 30M, 33M less 10 % is
    /// 25.2M, 27M, 29.7M); a plain value replaces the array by one value for every year.
    @Test func changesOfYearByYearKeys() throws {
        let file = packageRoot + "/models/roadmap.toml"
        let scaled = try AllocationModel.read(from: file, overrides: [ModelOverride("limits.budget=-10%")!])
        let budgets = try #require(scaled.yearValues["limits.budget"])
        #expect(zip(budgets, [25_200_000.0, 27_000_000, 29_700_000]).allSatisfy { isApproximatelyEqual($0, $1) })
        #expect(scaled.limits.budget.map { isApproximatelyEqual($0, 25_200_000) } == true)
        let added = try AllocationModel.read(from: file, overrides: [ModelOverride("limits.gam_headcount=+1")!])
        #expect(added.yearValues["limits.gam_headcount"] == [7, 9, 11])
        let replaced = try AllocationModel.read(from: file, overrides: [ModelOverride("limits.budget=20M")!])
        #expect(replaced.yearValues["limits.budget"] == nil)
        #expect((1...3).map { replaced.year($0).limits.budget } == [20e6, 20e6, 20e6])
        #expect(replaced.year(3).limits.gamHeadcount == 10)
    }
}
