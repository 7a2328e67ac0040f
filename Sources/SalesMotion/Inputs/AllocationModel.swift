// SPDX-License-Identifier: GPL-3.0-or-later

public import InputFiles

/// One way of handling an account, from plain local handling to Total Account Management.
public struct CoverageTier: Sendable, Hashable {
    public var id: String
    /// Global account manager FTE per account; a tier with `gamFTE > 0` is global.
    public var gamFTE: Double
    /// Central-unit FTE per account.
    public var centralFTE: Double
    /// Executive sponsorship hours per account per year.
    public var execHours: Double
    /// Share of at-risk revenue kept.
    public var protection: Double
    /// Share of centrally decided potential won.
    public var centralReach: Double
    /// Minimum local effort in every footprint region, in saturation units.
    public var minLocalCoverage: Double
    public var minRevenue: Double = 0
    public var minRegions: Int = 1
    public var minFit: Double = 0

    public init(id: String, gamFTE: Double, centralFTE: Double, execHours: Double, protection: Double,
                centralReach: Double, minLocalCoverage: Double, minRevenue: Double = 0,
                minRegions: Int = 1, minFit: Double = 0) {
        self.id = id
        self.gamFTE = gamFTE
        self.centralFTE = centralFTE
        self.execHours = execHours
        self.protection = protection
        self.centralReach = centralReach
        self.minLocalCoverage = minLocalCoverage
        self.minRevenue = minRevenue
        self.minRegions = minRegions
        self.minFit = minFit
    }

    /// Whether the tier needs the global account programme.
    public var isGlobal: Bool { gamFTE > 0 }
}

/// Unit costs of the global functions (`[costs]`).
public struct CostRates: Sendable, Hashable {
    public var gamFTECost: Double = 0
    public var centralFTECost: Double = 0
    public var execHourCost: Double = 0
    /// Cost of running a global account programme at all.
    public var programmeFixedCost: Double = 0

    public init(gamFTECost: Double = 0, centralFTECost: Double = 0, execHourCost: Double = 0,
                programmeFixedCost: Double = 0) {
        self.gamFTECost = gamFTECost
        self.centralFTECost = centralFTECost
        self.execHourCost = execHourCost
        self.programmeFixedCost = programmeFixedCost
    }

    /// The annual cost `c_t` of one account in `tier`.
    public func cost(of tier: CoverageTier) -> Double {
        tier.gamFTE * gamFTECost + tier.centralFTE * centralFTECost + tier.execHours * execHourCost
    }
}

/// The group-level limits (`[limits]`); nil means "no limit".
public struct Limits: Sendable, Hashable {
    public var budget: Double?
    public var gamHeadcount: Double?
    public var centralFTE: Double?
    public var execHours: Double?
    public var maxCostOfSales: Double?
    /// Band for global expense / total sales expense.
    public var globalShare: ClosedRange<Double>?
    public var maxGlobalAccounts: Int?

    public init(budget: Double? = nil, gamHeadcount: Double? = nil, centralFTE: Double? = nil,
                execHours: Double? = nil, maxCostOfSales: Double? = nil,
                globalShare: ClosedRange<Double>? = nil, maxGlobalAccounts: Int? = nil) {
        self.budget = budget
        self.gamHeadcount = gamHeadcount
        self.centralFTE = centralFTE
        self.execHours = execHours
        self.maxCostOfSales = maxCostOfSales
        self.globalShare = globalShare
        self.maxGlobalAccounts = maxGlobalAccounts
    }
}

/// Stability against today's handling (`[transition]`).
public struct TransitionRules: Sendable, Hashable {
    /// One-off cost for every account whose tier differs from its current tier.
    public var changeCost: Double = 0
    public var maxChanges: Int?

    public init(changeCost: Double = 0, maxChanges: Int? = nil) {
        self.changeCost = changeCost
        self.maxChanges = maxChanges
    }
}

/// A what-if that forces an account into a tier, overriding eligibility.
public struct TierPin: Sendable, Hashable {
    public var account: String
    public var tier: String
    /// The GAM who leads the account (portfolios.md); the tier must then be global.
    public var gam: String?
    /// Where the pin was given (`--pin`, or the model file's line), for messages.
    public var source: SourceLocation?

    public init(account: String, tier: String, gam: String? = nil, source: SourceLocation? = nil) {
        (self.account, self.tier, self.gam, self.source) = (account, tier, gam, source)
    }
}

/// What named GAMs are worth and cost beyond their FTE (`[portfolio]`, portfolios.md).
public struct PortfolioRules: Sendable, Hashable {
    /// Per year, for each global account led by its `current_gam`.
    public var continuityValue: Double = 0
    /// Per year, for each global account led by a GAM whose home region is not the account's
    /// headquarters region; a sales and a global expense.
    public var awayCost: Double = 0

    public init(continuityValue: Double = 0, awayCost: Double = 0) {
        (self.continuityValue, self.awayCost) = (continuityValue, awayCost)
    }
}

/// How hard the solver works (`[solver]`).
public struct SolverSettings: Sendable, Hashable {
    /// Relative MIP gap, measured on the decision-dependent part of the net contribution.
    public var mipGap: Double = 1e-4
    /// Wall-clock limit in seconds.
    public var timeLimit: Double = 60

    public init(mipGap: Double = 1e-4, timeLimit: Double = 60) {
        self.mipGap = mipGap
        self.timeLimit = timeLimit
    }
}

/// The firm's coverage design: tiers, costs, limits, response curve and solver settings
/// (the model file).
public struct AllocationModel: Sendable, Hashable {
    public static let defaultBreakpoints: [Double] = [0.25, 0.5, 1.0, 2.0, 3.0]

    public var costs = CostRates()
    public var limits = Limits()
    /// Response-curve breakpoints in saturation units, increasing, > 0.
    public var breakpoints: [Double] = AllocationModel.defaultBreakpoints
    public var solver = SolverSettings()
    /// Ordered from the least to the most integrated.
    public var tiers: [CoverageTier]
    public var transition = TransitionRules()
    public var portfolio = PortfolioRules()
    public var pins: [TierPin] = []
    /// `[roadmap]`, when the model file has it (single-year commands ignore it).
    public var roadmap: RoadmapSettings?
    /// Keys given year by year (key path → one value per year); the single-year fields above
    /// hold year 1's value (``year(_:)`` gives any year's model).
    public var yearValues: [String: [Double]] = [:]
    /// `limits.global_share` year by year, when given as an array of bands.
    public var yearBands: [ClosedRange<Double>]?

    public init(tiers: [CoverageTier], costs: CostRates = CostRates(), limits: Limits = Limits(),
                breakpoints: [Double] = AllocationModel.defaultBreakpoints,
                solver: SolverSettings = SolverSettings(), transition: TransitionRules = TransitionRules(),
                pins: [TierPin] = []) {
        self.tiers = tiers
        self.costs = costs
        self.limits = limits
        self.breakpoints = breakpoints
        self.solver = solver
        self.transition = transition
        self.pins = pins
    }

    /// The index of the tier with `id`, if any.
    public func tierIndex(of id: String) -> Int? { tiers.firstIndex { $0.id == id } }
}
