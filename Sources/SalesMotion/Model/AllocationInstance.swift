// SPDX-License-Identifier: GPL-3.0-or-later

internal import OutputFiles
internal import InputFiles

/// A dataset and a model checked against each other, with the derived quantities of the
/// specification (§3) computed once: saturation scales, open tiers, tier values.
public struct AllocationInstance: Sendable {
    /// One (account, region) pair of an account's footprint.
    public struct FootprintPair: Sendable, Hashable {
        public var region: Int
        /// `σ[a,r]`.
        public var share: Double
        /// `s[a,r] = σ·(revenue + growth_potential) / productivity_r`, in FTE.
        public var saturation: Double
        /// `growth_potential·(1 − central_share)·σ`: the local potential this region can win.
        public var localPotential: Double
    }

    /// The largest saturation scale (FTE for one account in one region) the model accepts.
    public static let largestSaturation = 1e9

    public private(set) var dataset: Dataset
    public private(set) var model: AllocationModel
    public let curve: ResponseCurve
    /// Tier indices open to each account (eligible, or the pinned one only).
    public let openTiers: [[Int]]
    /// The pinned tier of each account, if any.
    public let pinnedTier: [Int?]
    /// The GAM a pin names to lead each account, if any (index into ``Dataset/gams``).
    public let pinnedGAM: [Int?]
    /// Index of each account's current tier; nil when it has none.
    public private(set) var currentTier: [Int?]
    /// Footprint pairs of each account, in region order.
    public private(set) var pairs: [[FootprintPair]]
    /// `c_t` for every tier.
    public let tierCost: [Double]
    /// Interchangeable GAMs pooled (the decomposition's model, ``pooledLeads(apart:)``); nil in
    /// the exact model, where every GAM has rows of their own.
    var leadPools: LeadPools?

    /// Cross-checks `dataset` and `model`; throws ``InputError`` listing every problem
    /// (unknown current tiers, pins to unknown accounts, accounts with no open tier).
    public init(dataset: Dataset, model: AllocationModel, modelFile: String = "model.toml") throws {
        self.dataset = dataset
        self.model = model
        curve = ResponseCurve(breakpoints: model.breakpoints)
        var problems = DiagnosticCollector()
        let tierIds = model.tiers.map(\.id)
        let accountIndex = Dictionary(dataset.accounts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var pinned = [Int?](repeating: nil, count: dataset.accounts.count)
        var pinnedGAM = [Int?](repeating: nil, count: dataset.accounts.count)
        let gamIndex = Dictionary(dataset.gams.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for pin in model.pins {
            guard let account = accountIndex[pin.account] else {
                let shown = pin.source?.file == "--pin" ? "\(pin.account)=\(pin.tier): unknown account" : "pin: unknown account"
                problems.report(pin.source ?? SourceLocation(file: modelFile),
                                "\(shown) '\(pin.account)'\(suggestion(for: pin.account, in: dataset.accounts.map(\.id)))")
                continue
            }
            pinned[account] = model.tierIndex(of: pin.tier)
            if let gam = pin.gam {
                if dataset.gams.isEmpty {
                    problems.report(pin.source ?? SourceLocation(file: modelFile),
                                    "pin: account '\(pin.account)' is pinned to GAM '\(gam)', but the dataset has no gams.csv")
                } else if let g = gamIndex[gam] {
                    pinnedGAM[account] = g
                } else {
                    problems.report(pin.source ?? SourceLocation(file: modelFile),
                                    "pin: unknown GAM '\(gam)'\(suggestion(for: gam, in: dataset.gams.map(\.id)))")
                }
            }
        }
        var open: [[Int]] = []
        var current: [Int?] = []
        var pairs: [[FootprintPair]] = []
        for (a, account) in dataset.accounts.enumerated() {
            var currentIndex: Int?
            if let tierId = account.currentTier {
                currentIndex = model.tierIndex(of: tierId)
                if currentIndex == nil {
                    problems.report(account.source,
                                    "current_tier: unknown tier '\(tierId)'\(suggestion(for: tierId, in: tierIds)); tiers are \(tierIds.joined(separator: ", "))")
                }
            }
            current.append(currentIndex)
            let regionCount = account.footprint.count
            if let pin = pinned[a] {
                open.append([pin])
            } else {
                let eligible = model.tiers.indices.filter { t in
                    let tier = model.tiers[t]
                    return account.revenue >= tier.minRevenue && regionCount >= tier.minRegions && account.fit >= tier.minFit
                }
                if eligible.isEmpty {
                    problems.report(SourceLocation(file: account.source.file, line: account.source.line),
                                    "account '\(account.id)' is eligible for no tier (revenue \(formatShort(account.revenue)), \(regionCount) region\(regionCount == 1 ? "" : "s"), fit \(formatShort(account.fit))); lower a tier's min_revenue, min_regions or min_fit, or pin the account")
                }
                open.append(eligible)
            }
            pairs.append(Self.footprintPairs(of: account, in: dataset))
            for pair in pairs[a] where !(pair.saturation <= Self.largestSaturation) {
                problems.report(SourceLocation(file: account.source.file, line: account.source.line),
                                "account '\(account.id)' in \(dataset.regions[pair.region].id): a saturation scale of \(formatShort(pair.saturation)) FTE (share × (revenue + growth_potential) / productivity) is beyond \(formatShort(Self.largestSaturation)); check that revenue and productivity use the same units")
            }
        }
        try problems.throwIfAny()
        openTiers = open
        pinnedTier = pinned
        self.pinnedGAM = pinnedGAM
        currentTier = current
        self.pairs = pairs
        tierCost = model.tiers.map { model.costs.cost(of: $0) }
    }

    /// `s[a,r]` and the local potential of every footprint pair of `account` (spec §3).
    static func footprintPairs(of account: Account, in dataset: Dataset) -> [FootprintPair] {
        let scale = account.revenue + account.growthPotential
        return account.footprint.map { entry in
            FootprintPair(region: entry.region, share: entry.share,
                          saturation: entry.share * scale / dataset.regions[entry.region].productivity,
                          localPotential: account.growthPotential * (1 - account.centralShare) * entry.share)
        }
    }

    /// The instance of another year of a roadmap: `dataset` and `model` differ from this
    /// instance's only in revenues, growth potentials, capacities, current tiers and limit
    /// values. Open tiers and pins stay as decided on today's evidence (roadmap.md: eligibility
    /// uses the dataset's values in every year); saturation scales follow the year's values.
    func forYear(_ dataset: Dataset, _ model: AllocationModel) -> AllocationInstance {
        var copy = self
        copy.dataset = dataset
        copy.model = model
        copy.pairs = dataset.accounts.map { Self.footprintPairs(of: $0, in: dataset) }
        copy.currentTier = dataset.accounts.map { $0.currentTier.flatMap(model.tierIndex) }
        return copy
    }

    /// The instance with the limit values of `model` and the regional capacities of `dataset`,
    /// which nothing derived depends on, so nothing is derived again. Every other part of
    /// `dataset` and `model` must be as in this instance (what-if sessions use it after a
    /// change that ``WhatIfKey/changesOnlyABound(in:)`` says moves a bound only).
    func withLimits(of dataset: Dataset, _ model: AllocationModel) -> AllocationInstance {
        var copy = self
        copy.dataset = dataset
        copy.model = model
        return copy
    }

    /// Expected revenue of account `a` in tier `t` that does not depend on local effort:
    /// kept base plus central potential won.
    public func tierRevenue(account a: Int, tier t: Int) -> (keptBase: Double, centralWon: Double) {
        let account = dataset.accounts[a], tier = model.tiers[t]
        let kept = account.revenue * (1 - account.competition * (1 - tier.protection))
        let central = account.growthPotential * account.centralShare * tier.centralReach * account.fit
        return (kept, central)
    }

    /// The limits in force, in the order the program's rows and the reports list them.
    public var limitsInForce: [LimitKind] {
        var kinds = dataset.regions.indices.map { LimitKind.regionalCapacity(region: $0) }
        let limits = model.limits
        if limits.budget != nil { kinds.append(.budget) }
        if limits.gamHeadcount != nil { kinds.append(.gamHeadcount) }
        if limits.centralFTE != nil { kinds.append(.centralFTE) }
        if limits.execHours != nil { kinds.append(.execHours) }
        if limits.maxCostOfSales != nil { kinds.append(.maxCostOfSales) }
        if limits.globalShare != nil { kinds += [.globalShareMinimum, .globalShareMaximum] }
        if limits.maxGlobalAccounts != nil { kinds.append(.maxGlobalAccounts) }
        if model.transition.maxChanges != nil { kinds.append(.maxChanges) }
        for (g, gam) in dataset.gams.enumerated() {
            // Pooled: a shared pool's rows at its first GAM, a person's own rows when named.
            if let pools = leadPools, pools.isShared(pools.pool[g]) {
                if pools.members[pools.pool[g]][0] == g {
                    kinds.append(.gamPoolCapacity(firstGAM: g))
                    if pools.maxAccounts(of: pools.pool[g], in: dataset) != nil { kinds.append(.gamPoolMaxAccounts(firstGAM: g)) }
                }
                guard pools.ownRows[g] else { continue }
            }
            kinds.append(.gamCapacity(gam: g))
            if gam.maxAccounts != nil { kinds.append(.gamMaxAccounts(gam: g)) }
        }
        return kinds
    }

    /// Whether choosing tier `t` for account `a` counts as a change of tier.
    public func isChange(account a: Int, tier t: Int) -> Bool {
        dataset.accounts[a].currentTier != nil && currentTier[a] != t
    }
}
