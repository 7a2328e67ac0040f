// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

/// The decomposition's pooled GAMs (``LeadPools``) and the step that names the persons
/// (``LeadPacking``), on cases worked by hand.
@Suite struct LeadPoolTests {
    typealias Tiny = TinyInstanceTests

    /// Five GAMs: G1, G2, G4 alike (R, 1 FTE, no limit), G3 in R with 1.5 FTE, G5 in region S.
    /// X is led by G2 today; Y by G3.
    static func instance(_ refinement: LeadPools.Refinement = .init(), current: [Int?] = [1, 2, nil]) throws -> AllocationInstance {
        var accounts = [Tiny.account("X", revenue: 10e6), Tiny.account("Y", revenue: 5e6), Tiny.account("Z", revenue: 8e6)]
        for a in accounts.indices { accounts[a].currentGAM = current[a] }
        var premium = Tiny.premium
        premium.gamFTE = 0.5
        let other = Region(id: "S", localCapacityFTE: 100, localFTECost: 100_000, productivity: 10_000_000)
        let gams = [GlobalAccountManager(id: "G1", homeRegion: 0), GlobalAccountManager(id: "G2", homeRegion: 0),
                    GlobalAccountManager(id: "G3", homeRegion: 0, capacityFTE: 1.5), GlobalAccountManager(id: "G4", homeRegion: 0),
                    GlobalAccountManager(id: "G5", homeRegion: 1, maxAccounts: 2)]
        let dataset = Dataset(accounts: accounts, regions: [Tiny.region, other], gams: gams)
        var model = AllocationModel(tiers: [Tiny.local, premium])
        model.portfolio = PortfolioRules(continuityValue: 20_000, awayCost: 15_000)
        return try AllocationInstance(dataset: dataset, model: model).pooledLeads(refinement)
    }

    static func gamKinds(_ instance: AllocationInstance) -> [LimitKind] {
        instance.limitsInForce.filter {
            switch $0 {
            case .gamCapacity, .gamMaxAccounts, .gamPoolCapacity, .gamPoolMaxAccounts: return true
            default: return false
            }
        }
    }

    /// At first one pool per region: R's four GAMs share one row of 4.5 FTE (no account-limit
    /// row: none of them has a limit); G5 alone keeps their rows. X may be led by G2 by name,
    /// by some GAM of R's pool, or by G5.
    @Test func aRegionsGAMsShareAPool() throws {
        let instance = try Self.instance()
        let pools = try #require(instance.leadPools)
        #expect(pools.members == [[0, 1, 2, 3], [4]])
        #expect(pools.ownRows == [false, false, false, false, false])
        #expect(Self.gamKinds(instance) == [.gamPoolCapacity(firstGAM: 0), .gamCapacity(gam: 4), .gamMaxAccounts(gam: 4)])
        let formulation = Formulation(instance: instance)
        let poolRow = try #require(formulation.rows.first { $0.kind == .gamPoolCapacity(firstGAM: 0) })
        #expect(poolRow.bound == 4.5)
        let leads = formulation.choices(account: 0).filter(\.isGlobal).map { $0.lead! }
        #expect(leads == [Lead(gam: 1, pool: 0), Lead(gam: nil, pool: 0), Lead(gam: 4, pool: 1)])
        // G2 by name earns continuity; both load the pool's row; G5 sits away from X's headquarters.
        let byName = formulation.choice(account: 0, tier: 1, lead: Lead(gam: 1, pool: 0))
        let someone = formulation.choice(account: 0, tier: 1, lead: Lead(gam: nil, pool: 0))
        #expect(formulation.coefficient(of: byName, in: poolRow) == 0.5 && formulation.coefficient(of: someone, in: poolRow) == 0.5)
        #expect(byName.continuity == 20_000 && someone.continuity == 0 && byName.value - someone.value == 20_000)
        #expect(formulation.choice(account: 0, tier: 1, lead: Lead(gam: 4, pool: 1)).awayCost == 15_000 && someone.awayCost == 0)
    }

    /// Refined: R by class ({G1, G2, G4}, {G3}); G2 with rows of their own, which only X's
    /// choice by name loads; G1 apart.
    @Test func refinedPools() throws {
        var refinement = LeadPools.Refinement(regionsByClass: [0], ownRows: [1])
        var instance = try Self.instance(refinement)
        var pools = try #require(instance.leadPools)
        #expect(pools.members == [[0, 1, 3], [2], [4]])
        #expect(Self.gamKinds(instance) == [.gamPoolCapacity(firstGAM: 0), .gamCapacity(gam: 1), .gamCapacity(gam: 2),
                                            .gamCapacity(gam: 4), .gamMaxAccounts(gam: 4)])
        let formulation = Formulation(instance: instance)
        let own = try #require(formulation.rows.first { $0.kind == .gamCapacity(gam: 1) })
        #expect(formulation.coefficient(of: formulation.choice(account: 0, tier: 1, lead: Lead(gam: 1, pool: 0)), in: own) == 0.5)
        #expect(formulation.coefficient(of: formulation.choice(account: 0, tier: 1, lead: Lead(gam: nil, pool: 0)), in: own) == 0)
        // One step further: the class pool splits into its persons.
        refinement = refinement.union(pools.splitting(0, in: instance.dataset, refinement))
        #expect(refinement.apart == [0, 1, 3])
        // A region's pool of alike GAMs splits into persons at once.
        instance = try Self.instance(LeadPools.Refinement(apart: [2]))
        pools = try #require(instance.leadPools)
        #expect(pools.splitting(0, in: instance.dataset, LeadPools.Refinement(apart: [2])).apart == [0, 1, 3])
        // Every GAM alone: the exact model.
        #expect(try Self.instance(LeadPools.Refinement(apart: [0, 1, 2, 3])).leadPools == nil)
    }

    /// G2 leads X, Y and Z today and by name in a pooled plan, 0.5 FTE each, 1.5 beyond their
    /// 1 FTE: they keep two (the first two, alike in size); Z is led by some GAM of R's pool
    /// instead, its continuity (20,000) lost, and the packing puts it on G1 (1 FTE left, the
    /// least that fits, before G4; G3 has 1.5).
    @Test func anOverloadedGAMKeepsWhatFits() throws {
        let instance = try Self.instance(current: [1, 1, 1])
        let packing = LeadPacking(instance: instance, backend: PlanningOptions.glpk.backend)
        let decisions = PlanDecisions(tiers: [1, 1, 1], fte: [[0], [0], [0]], programmeActive: true, leads: [1, 1, 1],
                                      pools: [nil, nil, nil])
        guard case .named(let named, let continuity, let overloaded) = try packing.name(decisions) else {
            Issue.record("not packed")
            return
        }
        #expect(named.leads == [1, 1, 0] && named.pools.isEmpty)
        #expect(continuity == -20_000 && overloaded == [1])
        // With rows of their own G2 is never overloaded by the packing: the program kept them within.
        let rowed = try Self.instance(LeadPools.Refinement(ownRows: [1]), current: [1, 1, 1])
        guard case .named(_, let none, let nobody) = try LeadPacking(instance: rowed, backend: PlanningOptions.glpk.backend)
            .name(PlanDecisions(tiers: [1, 1, 0], fte: [[0], [0], [0]], programmeActive: true, leads: [1, 1, nil], pools: [nil, nil, nil]))
        else {
            Issue.record("not packed")
            return
        }
        #expect(none == 0 && nobody.isEmpty)
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
        // A pool beyond the exact packing's size is left to the split, at once.
        let many = [Double](repeating: 0.25, count: 1_001), crowd = Array(0..<200)
        #expect(try packing.exactPacking(sizes: many, current: many.map { _ in nil }, members: crowd,
                                         bins: crowd.map { _ in (capacity: 1.0, accounts: Int.max) }) == nil)
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
        let (dataset, model) = PortfolioTests.packingCase()
        let instance = try AllocationInstance(dataset: dataset, model: model)
        var options = PlanningOptions.glpk
        options.method = .decomposition
        let result = try AllocationPlanner.result(of: DecompositionSolver(instance: instance, options: options))
        #expect(result.refinement.apart == [0, 1])
        #expect(isApproximatelyEqual(try #require(result.planning.plan).netContribution, 10_700_000))
    }

    /// A what-if series keeps what the first search learnt: the packing case solved warm with
    /// its pool split, at `max_global_accounts` 1 (X alone: 4.85 + 2.0 + 3.2 = 10.05M) and 3
    /// (10.7M again).
    @Test func aWhatIfSeriesKeepsTheSplit() throws {
        var (dataset, model) = PortfolioTests.packingCase()
        model.limits.maxGlobalAccounts = 3
        var options = PlanningOptions.glpk
        options.method = .decomposition
        let session = try AllocationPlanner.session(for: try AllocationInstance(dataset: dataset, model: model), options: options)
        var values: [Double] = []
        for limit in [3.0, 1, 3] {
            try session.set(try WhatIfKey("limits.max_global_accounts"), to: limit)
            values.append(try #require(try session.solve().plan).netContribution)
        }
        #expect(zip(values, [10_700_000.0, 10_050_000, 10_700_000]).allSatisfy { isApproximatelyEqual($0, $1) }, "\(values)")
    }
}
