// SPDX-License-Identifier: GPL-3.0-or-later

public import InputFiles

/// One region of the local sales organisation (a row of regions.csv).
public struct Region: Sendable, Hashable {
    public var id: String
    /// Local sales FTE available.
    public var localCapacityFTE: Double
    /// Fully loaded annual cost of one local FTE.
    public var localFTECost: Double
    /// Annual revenue one local FTE can fully develop; sets the saturation scale.
    public var productivity: Double

    public init(id: String, localCapacityFTE: Double, localFTECost: Double, productivity: Double) {
        self.id = id
        self.localCapacityFTE = localCapacityFTE
        self.localFTECost = localFTECost
        self.productivity = productivity
    }
}

/// The share of an account's revenue and potential that sits in one region.
public struct FootprintShare: Sendable, Hashable {
    /// Index into ``Dataset/regions``, and the share of the account that sits there.
    public var region: Int, share: Double
    /// Today's local FTE of the region on the account (`current_local_fte`), when given; used
    /// by `compare --today` only.
    public var currentLocalFTE: Double?

    public init(region: Int, share: Double, currentLocalFTE: Double? = nil) {
        (self.region, self.share, self.currentLocalFTE) = (region, share, currentLocalFTE)
    }
}

/// One customer account (a row of accounts.csv with its footprint rows).
public struct Account: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Index into ``Dataset/regions`` of the customer's group headquarters.
    public var headquarters: Int
    public var revenue: Double
    public var margin: Double
    public var growthPotential: Double
    public var centralShare: Double
    public var competition: Double
    public var fit: Double
    /// Tier id the account is handled in today; nil when it has none.
    public var currentTier: String?
    /// Index into ``Dataset/gams`` of the GAM who leads the account today (`current_gam`); nil
    /// when none.
    public var currentGAM: Int?
    /// Regions with their shares; only shares > 0 are kept, and the list is never empty
    /// (no footprint rows means 100 % in the headquarters region).
    public var footprint: [FootprintShare]
    /// Where the account was read (file and line), for messages; `accounts.csv` without a
    /// line for accounts made in code.
    public var source: SourceLocation

    public init(id: String, name: String? = nil, headquarters: Int, revenue: Double, margin: Double,
                growthPotential: Double, centralShare: Double = 0, competition: Double = 0,
                fit: Double = 1, currentTier: String? = nil, footprint: [FootprintShare]? = nil,
                source: SourceLocation = SourceLocation(file: "accounts.csv")) {
        self.id = id
        self.name = name ?? id
        self.headquarters = headquarters
        self.revenue = revenue
        self.margin = margin
        self.growthPotential = growthPotential
        self.centralShare = centralShare
        self.competition = competition
        self.fit = fit
        self.currentTier = currentTier
        self.footprint = footprint ?? [FootprintShare(region: headquarters, share: 1)]
        self.source = source
    }
}

/// One global account manager (a row of gams.csv, portfolios.md).
public struct GlobalAccountManager: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Index into ``Dataset/regions`` of where the GAM sits.
    public var homeRegion: Int
    /// FTE this person can give to accounts.
    public var capacityFTE: Double
    /// The most accounts this person may lead; nil: no limit.
    public var maxAccounts: Int?
    /// Where the GAM was read, for messages.
    public var source: SourceLocation

    public init(id: String, name: String? = nil, homeRegion: Int, capacityFTE: Double = 1, maxAccounts: Int? = nil,
                source: SourceLocation = SourceLocation(file: "gams.csv")) {
        self.id = id
        self.name = name ?? id
        self.homeRegion = homeRegion
        self.capacityFTE = capacityFTE
        self.maxAccounts = maxAccounts
        self.source = source
    }
}

/// The world the model allocates over: customer accounts and the own regional organisation.
public struct Dataset: Sendable {
    public var accounts: [Account]
    public var regions: [Region]
    /// The global account managers by name (gams.csv); empty when the dataset has none.
    public var gams: [GlobalAccountManager]

    public init(accounts: [Account], regions: [Region], gams: [GlobalAccountManager] = []) {
        self.accounts = accounts
        self.regions = regions
        self.gams = gams
    }

    /// Whether the dataset names its global account managers (gams.csv).
    public var hasNamedGAMs: Bool { !gams.isEmpty }

    /// Whether any account names a current tier (then the plan reports changes).
    public var hasCurrentTiers: Bool { accounts.contains { $0.currentTier != nil } }
}
