// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

/// The decomposition's pooled GAMs (``LeadPools``) and the step that names the persons
/// (``LeadPacking``), on cases worked by hand.
@Suite struct LeadPoolTests {
    typealias Tiny = TinyInstanceTests

    /// Five GAMs: G1, G2, G4 alike (R, 1 FTE, no limit), G3 with 1.5 FTE, G5 in region S.
    /// X is led by G2 today; Y by G3.
    static func instance(apart: Set<Int> = []) throws -> AllocationInstance {
        var x = Tiny.account("X", revenue: 10e6), y = Tiny.account("Y", revenue: 5e6)
        x.currentGAM = 1
        y.currentGAM = 2
        var premium = Tiny.premium
        premium.gamFTE = 0.5
        let other = Region(id: "S", localCapacityFTE: 100, localFTECost: 100_000, productivity: 10_000_000)
        let gams = [GlobalAccountManager(id: "G1", homeRegion: 0), GlobalAccountManager(id: "G2", homeRegion: 0),
                    GlobalAccountManager(id: "G3", homeRegion: 0, capacityFTE: 1.5), GlobalAccountManager(id: "G4", homeRegion: 0),
                    GlobalAccountManager(id: "G5", homeRegion: 1)]
        let dataset = Dataset(accounts: [x, y, Tiny.account("Z", revenue: 8e6)], regions: [Tiny.region, other], gams: gams)
        var model = AllocationModel(tiers: [Tiny.local, premium])
        model.portfolio = PortfolioRules(continuityValue: 20_000, awayCost: 15_000)
        return try AllocationInstance(dataset: dataset, model: model).pooledLeads(apart: apart)
    }

    /// Pools by (region, capacity, account limit): {G1, G2, G4}, {G3}, {G5}. Only G2 of the
    /// shared pool leads by name, so the rows are the pool's (3 FTE) and G2's own, plus the
    /// singletons' rows; X may be led by G2 by name, some GAM of the pool, G3 or G5.
    @Test func alikeGAMsShareAPool() throws {
        let instance = try Self.instance()
        let pools = try #require(instance.leadPools)
        #expect(pools.members == [[0, 1, 3], [2], [4]])
        #expect(pools.named == [false, true, false, false, false])
        let gamKinds = instance.limitsInForce.filter {
            switch $0 {
            case .gamCapacity, .gamMaxAccounts, .gamPoolCapacity, .gamPoolMaxAccounts: return true
            default: return false
            }
        }
        #expect(gamKinds == [.gamPoolCapacity(firstGAM: 0), .gamCapacity(gam: 1), .gamCapacity(gam: 2), .gamCapacity(gam: 4)])
        let formulation = Formulation(instance: instance)
        let poolRow = try #require(formulation.rows.first { $0.kind == .gamPoolCapacity(firstGAM: 0) })
        #expect(poolRow.bound == 3)
        let leads = formulation.choices(account: 0).filter(\.isGlobal).map { $0.lead! }
        #expect(leads == [Lead(gam: 1, pool: 0), Lead(gam: nil, pool: 0), Lead(gam: 2, pool: 1), Lead(gam: 4, pool: 2)])
        // Some GAM of the pool loads the pool's row, not G2's; G2 by name loads both and earns continuity.
        let byName = formulation.choice(account: 0, tier: 1, lead: Lead(gam: 1, pool: 0))
        let someone = formulation.choice(account: 0, tier: 1, lead: Lead(gam: nil, pool: 0))
        let own = try #require(formulation.rows.first { $0.kind == .gamCapacity(gam: 1) })
        #expect(formulation.coefficient(of: byName, in: own) == 0.5 && formulation.coefficient(of: byName, in: poolRow) == 0.5)
        #expect(formulation.coefficient(of: someone, in: own) == 0 && formulation.coefficient(of: someone, in: poolRow) == 0.5)
        #expect(byName.continuity == 20_000 && someone.continuity == 0 && byName.value - someone.value == 20_000)
        // G5 sits in S, away from X's headquarters in R.
        #expect(formulation.choice(account: 0, tier: 1, lead: Lead(gam: 4, pool: 2)).awayCost == 15_000)
        #expect(someone.awayCost == 0)
    }

    /// GAMs kept apart are pools of their own; with none alike left the instance is the exact one.
    @Test func apartGAMsStandAlone() throws {
        let pools = try #require(try Self.instance(apart: [0]).leadPools)
        #expect(pools.members == [[0], [1, 3], [2], [4]])
        #expect(try Self.instance(apart: [0, 1]).leadPools == nil)
    }

    /// Best-fit decreasing misses a packing that exists: two GAMs with 1 FTE left, accounts of
    /// 0.4, 0.4, 0.3, 0.3, 0.3, 0.3 FTE (2.0 in all). It puts both 0.4s on the first GAM (0.2
    /// left), three 0.3s on the second (0.1 left) and the last 0.3 fits nowhere; 0.4 + 0.3 + 0.3
    /// on each fits. The exact packing finds it, within every capacity.
    @Test func theExactPackingFindsWhatBestFitMisses() throws {
        let sizes = [0.4, 0.4, 0.3, 0.3, 0.3, 0.3]
        let bins = [(capacity: 1.0, accounts: Int.max), (capacity: 1.0, accounts: Int.max)]
        let current = [Int?](repeating: nil, count: sizes.count)
        #expect(LeadPacking.bestFit(sizes: sizes, current: current, members: [7, 9], bins: bins) == nil)
        let packing = LeadPacking(instance: try Self.instance(), backend: PlanningOptions.glpk.backend)
        let placed = try #require(try packing.exactPacking(sizes: sizes, current: current, members: [7, 9], bins: bins))
        for gam in [7, 9] {
            let load = zip(sizes, placed).filter { $0.1 == gam }.reduce(0) { $0 + $1.0 }
            #expect(load <= 1 + 1e-9)
        }
        // Three of 0.75 on two people of 1.2: no packing at all.
        #expect(try packing.exactPacking(sizes: [0.75, 0.75, 0.75], current: [nil, nil, nil], members: [0, 1],
                                         bins: [(1.2, Int.max), (1.2, Int.max)]) == nil)
    }

    /// An account goes to its current GAM when it fits there (continuity), else best fit; an
    /// account limit counts like capacity.
    @Test func bestFitPrefersTheCurrentGAM() {
        let bins = [(capacity: 1.0, accounts: Int.max), (capacity: 0.5, accounts: Int.max), (capacity: 1.0, accounts: 1)]
        // 0.5 (current G12) → G12; 0.5 → G11 (exactly fills it); 0.25 → G10 (G12 has no account left).
        #expect(LeadPacking.bestFit(sizes: [0.5, 0.25, 0.5], current: [12, nil, nil], members: [10, 11, 12], bins: bins)
                == [12, 10, 11])
    }

    /// The whole route: the pooled search on the packing case (three accounts of 0.75 FTE, two
    /// alike GAMs of 1.2) finds the pool's 2.4 FTE enough for all three, the packing fails, the
    /// pool is split and the search runs again: 10.7M (worked in `PortfolioTests`), both GAMs apart.
    @Test func aPoolThatDoesNotPackIsSplit() throws {
        var premium = Tiny.premium
        premium.gamFTE = 0.75
        var model = AllocationModel(tiers: [Tiny.local, premium], costs: CostRates(gamFTECost: 200_000))
        model.solver.mipGap = 0
        let dataset = Dataset(accounts: [Tiny.account("X", revenue: 10e6), Tiny.account("Y", revenue: 5e6), Tiny.account("Z", revenue: 8e6)],
                              regions: [Tiny.region],
                              gams: [GlobalAccountManager(id: "G1", homeRegion: 0, capacityFTE: 1.2),
                                     GlobalAccountManager(id: "G2", homeRegion: 0, capacityFTE: 1.2)])
        let instance = try AllocationInstance(dataset: dataset, model: model)
        var options = PlanningOptions.glpk
        options.method = .decomposition
        let result = try AllocationPlanner.result(of: DecompositionSolver(instance: instance, options: options))
        #expect(result.apart == [0, 1])
        #expect(isApproximatelyEqual(try #require(result.planning.plan).netContribution, 10_700_000))
    }
}
