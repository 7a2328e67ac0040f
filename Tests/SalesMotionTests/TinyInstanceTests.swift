// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

/// Instances small enough to solve by hand; every expected number is derived in the comments.
///
/// Shared set-up unless a test says otherwise: one region R (local FTE cost 100k, productivity
/// 10M); no growth potential, so local effort wins nothing and costs 100k per FTE; margin 0.5;
/// competition 0.4, so "local" (protection 0.5) keeps revenue·(1 − 0.4·0.5) = 0.8·revenue and
/// "premium" (protection 1, GAM 1 FTE at 200k) keeps all of it.
/// Account values, gross profit minus tier cost:
///   X (revenue 10M): local 0.5·8M = 4.0M, premium 0.5·10M − 200k = 4.8M (+0.8M)
///   Y (revenue  5M): local 0.5·4M = 2.0M, premium 0.5·5M  − 200k = 2.3M (+0.3M)
///   Z (revenue  8M): local 0.5·6.4M = 3.2M, premium 0.5·8M − 200k = 3.8M (+0.6M)
@Suite struct TinyInstanceTests {
    static let region = Region(id: "R", localCapacityFTE: 100, localFTECost: 100_000, productivity: 10_000_000)

    static func account(_ id: String, revenue: Double, current: String? = nil) -> Account {
        Account(id: id, headquarters: 0, revenue: revenue, margin: 0.5, growthPotential: 0, competition: 0.4,
                currentTier: current)
    }

    static let local = CoverageTier(id: "local", gamFTE: 0, centralFTE: 0, execHours: 0, protection: 0.5,
                                    centralReach: 0, minLocalCoverage: 0)
    static let premium = CoverageTier(id: "premium", gamFTE: 1, centralFTE: 0, execHours: 0, protection: 1,
                                      centralReach: 0, minLocalCoverage: 0)

    static func solve(_ accounts: [Account], model: AllocationModel,
                      regions: [Region] = [region]) throws -> (PlanningResult, AllocationInstance) {
        let instance = try AllocationInstance(dataset: Dataset(accounts: accounts, regions: regions), model: model)
        return (try AllocationPlanner.solve(instance, options: .glpk), instance)
    }

    static func tiers(_ result: PlanningResult, _ instance: AllocationInstance) -> [String] {
        result.plan!.accounts.map { instance.model.tiers[$0.tier].id }
    }

    /// Budget 200k buys one premium: X gains more (0.8M vs 0.3M), so X premium, Y local:
    /// 4.8M + 2.0M = 6.8M. Expense 200k = budget.
    @Test func budgetBinds() throws {
        let model = AllocationModel(tiers: [Self.local, Self.premium], costs: CostRates(gamFTECost: 200_000),
                                    limits: Limits(budget: 200_000), solver: SolverSettings(mipGap: 0))
        let (result, instance) = try Self.solve([Self.account("X", revenue: 10e6), Self.account("Y", revenue: 5e6)],
                                                model: model)
        #expect(result.status == .optimal)
        #expect(Self.tiers(result, instance) == ["premium", "local"])
        #expect(isApproximatelyEqual(result.plan!.netContribution, 6_800_000))
        #expect(isApproximatelyEqual(result.plan!.salesExpense, 200_000))
        let budget = result.plan!.limits.first { $0.name == "budget" }!
        #expect(budget.binding)
    }

    /// Without a budget both go premium: 4.8M + 2.3M = 7.1M.
    @Test func withoutBudgetBothGoPremium() throws {
        let model = AllocationModel(tiers: [Self.local, Self.premium], costs: CostRates(gamFTECost: 200_000),
                                    solver: SolverSettings(mipGap: 0))
        let (result, instance) = try Self.solve([Self.account("X", revenue: 10e6), Self.account("Y", revenue: 5e6)],
                                                model: model)
        #expect(Self.tiers(result, instance) == ["premium", "premium"])
        #expect(isApproximatelyEqual(result.plan!.netContribution, 7_100_000))
    }

    /// Local effort only, one segment (breakpoints [1]): F(u) = c·u with c = 1 − e^(−1).
    /// P: growth 10M, margin 0.5, s = 10M/10M = 1 FTE; value per FTE 0.5·10M·c − 100k = 5M·c − 100k.
    /// Q: growth 20M, margin 0.3, s = 2 FTE; value per FTE 0.3·20M·c/2 − 100k = 3M·c − 100k.
    /// Capacity 1.5 FTE: P fills its 1 FTE first, Q gets 0.5:
    /// 5M·c − 100k + 0.5·(3M·c − 100k) = 6.5M·c − 150k. Capacity binds; its shadow price is Q's
    /// rate 3M·c − 100k.
    static func capacityInstance(capacity: Double) throws -> (PlanningResult, AllocationInstance) {
        let region = Region(id: "R", localCapacityFTE: capacity, localFTECost: 100_000, productivity: 10_000_000)
        let p = Account(id: "P", headquarters: 0, revenue: 0, margin: 0.5, growthPotential: 10e6)
        let q = Account(id: "Q", headquarters: 0, revenue: 0, margin: 0.3, growthPotential: 20e6)
        let model = AllocationModel(tiers: [Self.local], breakpoints: [1.0], solver: SolverSettings(mipGap: 0))
        return try solve([p, q], model: model, regions: [region])
    }

    static let c = 1 - exp(-1.0)

    @Test func regionalCapacityBinds() throws {
        let (result, _) = try Self.capacityInstance(capacity: 1.5)
        let plan = result.plan!
        #expect(isApproximatelyEqual(plan.accounts[0].localFTE, 1))
        #expect(isApproximatelyEqual(plan.accounts[1].localFTE, 0.5))
        #expect(isApproximatelyEqual(plan.netContribution, 6_500_000 * Self.c - 150_000))
        #expect(isApproximatelyEqual(plan.regions[0].localFTE, 1.5))
        #expect(isApproximatelyEqual(plan.regions[0].shadowPrice, 3_000_000 * Self.c - 100_000))
        // Expected revenue: P wins 10M·c, Q wins 20M·c·(0.5/2).
        #expect(isApproximatelyEqual(plan.expectedRevenue, 10e6 * Self.c + 5e6 * Self.c))
    }

    /// The shadow price must equal what one more FTE actually earns: re-solve with capacity 2.5.
    @Test func shadowPriceMatchesOneMoreFTE() throws {
        let (base, _) = try Self.capacityInstance(capacity: 1.5)
        let (more, _) = try Self.capacityInstance(capacity: 2.5)
        let gained = more.plan!.netContribution - base.plan!.netContribution
        #expect(isApproximatelyEqual(gained, base.plan!.regions[0].shadowPrice, relative: 1e-7))
        #expect(isApproximatelyEqual(gained, 3_000_000 * Self.c - 100_000, relative: 1e-9))
    }

    /// Premium needs revenue ≥ 8M: Y (5M) is not eligible, so X premium, Y local = 6.8M.
    /// Pinning Y to premium overrides that: 4.8M + 2.3M = 7.1M. Pinning X to local: 4.0M + 2.0M.
    @Test func eligibilityAndPins() throws {
        var premium = Self.premium
        premium.minRevenue = 8e6
        var model = AllocationModel(tiers: [Self.local, premium], costs: CostRates(gamFTECost: 200_000),
                                    solver: SolverSettings(mipGap: 0))
        let accounts = [Self.account("X", revenue: 10e6), Self.account("Y", revenue: 5e6)]
        let (free, instance) = try Self.solve(accounts, model: model)
        #expect(Self.tiers(free, instance) == ["premium", "local"])
        #expect(isApproximatelyEqual(free.plan!.netContribution, 6_800_000))

        model.pins = [TierPin(account: "Y", tier: "premium")]
        let (pinnedUp, _) = try Self.solve(accounts, model: model)
        #expect(Self.tiers(pinnedUp, instance) == ["premium", "premium"])
        #expect(isApproximatelyEqual(pinnedUp.plan!.netContribution, 7_100_000))

        model.pins = [TierPin(account: "X", tier: "local")]
        let (pinnedDown, _) = try Self.solve(accounts, model: model)
        #expect(Self.tiers(pinnedDown, instance) == ["local", "local"])
        #expect(isApproximatelyEqual(pinnedDown.plan!.netContribution, 6_000_000))
    }

    /// All three are local today; a change costs 100k. Gains net of the change:
    /// X 0.8M − 0.1M = 0.7M, Z 0.6M − 0.1M = 0.5M, Y 0.3M − 0.1M = 0.2M.
    /// At most two changes: X and Z move, 4.0M + 2.0M + 3.2M + 0.7M + 0.5M = 10.4M.
    /// Expense: two premium tiers 400k plus two changes 200k = 600k.
    /// Without the cap Y moves as well: 10.6M.
    @Test func currentTierAndMaxChanges() throws {
        var model = AllocationModel(tiers: [Self.local, Self.premium], costs: CostRates(gamFTECost: 200_000),
                                    solver: SolverSettings(mipGap: 0),
                                    transition: TransitionRules(changeCost: 100_000, maxChanges: 2))
        let accounts = [Self.account("X", revenue: 10e6, current: "local"),
                        Self.account("Y", revenue: 5e6, current: "local"),
                        Self.account("Z", revenue: 8e6, current: "local")]
        let (capped, instance) = try Self.solve(accounts, model: model)
        #expect(Self.tiers(capped, instance) == ["premium", "local", "premium"])
        #expect(capped.plan!.tierChanges == 2)
        #expect(capped.plan!.accounts.map(\.changed) == [true, false, true])
        #expect(isApproximatelyEqual(capped.plan!.netContribution, 10_400_000))
        #expect(isApproximatelyEqual(capped.plan!.salesExpense, 600_000))
        #expect(capped.plan!.limits.first { $0.name == "max_changes" }!.binding)

        model.transition.maxChanges = nil
        let (free, _) = try Self.solve(accounts, model: model)
        #expect(free.plan!.tierChanges == 3)
        #expect(isApproximatelyEqual(free.plan!.netContribution, 10_600_000))
    }

    /// Synchronisation: premium now needs 0.5 saturation units of local effort. X's scale is
    /// s = 10M/10M = 1 FTE, so 0.5 FTE at 100k: premium is worth 4.8M − 50k = 4.75M > 4.0M.
    @Test func minimumLocalCoverageIsStaffed() throws {
        var premium = Self.premium
        premium.minLocalCoverage = 0.5
        let model = AllocationModel(tiers: [Self.local, premium], costs: CostRates(gamFTECost: 200_000),
                                    solver: SolverSettings(mipGap: 0))
        let (result, _) = try Self.solve([Self.account("X", revenue: 10e6)], model: model)
        #expect(isApproximatelyEqual(result.plan!.accounts[0].localFTE, 0.5))
        #expect(isApproximatelyEqual(result.plan!.netContribution, 4_750_000))
    }

    /// Programme cost 500k: both premium 4.8 + 2.3 − 0.5 = 6.6M beats X alone 6.3M and none 6.0M.
    /// At 1.2M the programme no longer pays: 7.1 − 1.2 = 5.9M < 6.0M, so everything stays local.
    @Test func programmeFixedCost() throws {
        var model = AllocationModel(tiers: [Self.local, Self.premium],
                                    costs: CostRates(gamFTECost: 200_000, programmeFixedCost: 500_000),
                                    solver: SolverSettings(mipGap: 0))
        let accounts = [Self.account("X", revenue: 10e6), Self.account("Y", revenue: 5e6)]
        let (runs, instance) = try Self.solve(accounts, model: model)
        #expect(runs.plan!.programmeActive)
        #expect(Self.tiers(runs, instance) == ["premium", "premium"])
        #expect(isApproximatelyEqual(runs.plan!.netContribution, 6_600_000))
        #expect(isApproximatelyEqual(runs.plan!.globalExpense, 900_000))

        model.costs.programmeFixedCost = 1_200_000
        let (off, _) = try Self.solve(accounts, model: model)
        #expect(!off.plan!.programmeActive)
        #expect(isApproximatelyEqual(off.plan!.netContribution, 6_000_000))
    }

    /// Budget below what any plan costs: every plan needs the minimum coverage of X
    /// (local tier, 0.2 FTE at 100k = 20k), the budget is 10k.
    @Test func infeasibleBudget() throws {
        var local = Self.local
        local.minLocalCoverage = 0.2
        let model = AllocationModel(tiers: [local], limits: Limits(budget: 10_000))
        let (result, _) = try Self.solve([Self.account("X", revenue: 10e6)], model: model)
        #expect(result.status == .infeasible)
        #expect(result.plan == nil)
    }
}

@Suite struct ResponseCurveTests {
    /// f(u) = 1 − e^(−u) at the breakpoints, linear in between, flat beyond the last.
    @Test func valuesAgainstHandComputation() {
        let curve = ResponseCurve(breakpoints: [0.25, 0.5, 1.0, 2.0, 3.0])
        #expect(curve.segmentCount == 5)
        #expect(isApproximatelyEqual(curve.value(at: 0.25), 0.221199216928595, absolute: 1e-15))
        #expect(isApproximatelyEqual(curve.value(at: 1.0), 0.632120558828558, absolute: 1e-15))
        // halfway between f(0.25) = 0.221199216928595 and f(0.5) = 0.393469340287367
        #expect(isApproximatelyEqual(curve.value(at: 0.375), 0.307334278607981, absolute: 1e-14))
        #expect(isApproximatelyEqual(curve.value(at: 5), 0.950212931632136, absolute: 1e-15))
        #expect(curve.value(at: 0) == 0)
        // first slope: f(0.25)/0.25
        #expect(isApproximatelyEqual(curve.slope(ofSegment: 0), 0.884796867714380, absolute: 1e-14))
        #expect(curve.width(ofSegment: 3) == 1)
    }

    /// s = σ·(revenue + growth)/productivity = 0.4·(150 + 50)/20 = 4 FTE;
    /// local potential = growth·(1 − central_share)·σ = 50·0.5·0.4 = 10.
    @Test func saturationScale() throws {
        let regions = [Region(id: "A", localCapacityFTE: 1, localFTECost: 1, productivity: 20),
                       Region(id: "B", localCapacityFTE: 1, localFTECost: 1, productivity: 10)]
        let account = Account(id: "X", headquarters: 0, revenue: 150, margin: 0.3, growthPotential: 50,
                              centralShare: 0.5,
                              footprint: [FootprintShare(region: 0, share: 0.4), FootprintShare(region: 1, share: 0.6)])
        let model = AllocationModel(tiers: [TinyInstanceTests.local])
        let instance = try AllocationInstance(dataset: Dataset(accounts: [account], regions: regions), model: model)
        #expect(isApproximatelyEqual(instance.pairs[0][0].saturation, 4))
        #expect(isApproximatelyEqual(instance.pairs[0][1].saturation, 12))  // 0.6·200/10
        #expect(isApproximatelyEqual(instance.pairs[0][0].localPotential, 10))
    }
}
