// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// How one footprint region works an account.
public struct LocalStaffing: Sendable, Hashable {
    public var region: Int
    public var localFTE: Double
    /// The region's part of the account's expected revenue: its share of the kept base and
    /// of the central potential won, plus its own local potential won.
    public var expectedRevenue: Double
}

/// The plan for one account (a row of plan_accounts.csv).
public struct AccountStaffing: Sendable, Hashable {
    public var account: Int
    public var tier: Int
    public var gamFTE: Double
    public var centralFTE: Double
    public var execHours: Double
    public var localFTE: Double
    public var expectedRevenue: Double
    public var grossProfit: Double
    /// `c_t + Σ_r local_fte_cost_r · x[a,r]`; change and programme costs are group-level.
    public var salesExpense: Double
    public var netContribution: Double { grossProfit - salesExpense }
    /// Whether the tier differs from the account's current tier (false without one).
    public var changed: Bool
    public var local: [LocalStaffing]
    /// The named GAM who leads the account (index into ``Dataset/gams``): global tiers of a
    /// dataset with gams.csv only.
    public var leadGAM: Int? = nil
}

/// The plan for one region (a row of plan_regions.csv).
public struct RegionStaffing: Sendable, Hashable {
    public var region: Int
    public var localFTE: Double
    public var localCapacityFTE: Double
    public var localExpense: Double
    public var expectedRevenue: Double
    /// Net contribution per extra FTE of capacity with the tier choices kept; 0 when not binding.
    public var shadowPrice: Double
}

/// One limit in force, with how much of it the plan uses.
public struct LimitUse: Sendable, Hashable {
    public var kind: LimitKind
    /// The key as users know it: `budget`, `gam_headcount`, `local_capacity_fte.EMEA`, …
    public var name: String
    public var value: Double
    public var used: Double
    public var slack: Double
    public var binding: Bool
    /// Net contribution gained per unit more of `value`, from the LP with the tier choices
    /// fixed; nil for limits that only tier choices use (the fixed LP cannot price them).
    public var shadowPrice: Double?
}

/// The optimiser's answer: tiers and local effort for every account, with totals.
public struct StaffingPlan: Sendable {
    public var accounts: [AccountStaffing]
    public var regions: [RegionStaffing]
    public var limits: [LimitUse]
    public var programmeActive: Bool
    public var tierChanges: Int
    /// Accounts per tier, in the model's tier order.
    public var tierCounts: [Int]
    public var expectedRevenue: Double
    public var grossProfit: Double
    /// `E`: all sales expense, including programme and change costs.
    public var salesExpense: Double
    /// `G`: tier costs plus the programme cost.
    public var globalExpense: Double
    /// The objective: Σ account net contribution − programme cost − change costs.
    public var netContribution: Double
    /// The group lines that no account carries: the programme's fixed cost (0 when it does
    /// not run) and the tier changes' cost (changes × change cost).
    public var programmeCost: Double
    public var tierChangeCost: Double
    /// Named GAMs (portfolios.md): global accounts led by their current GAM and the value that
    /// keeps (a group line added), global accounts led from another region and their cost (a
    /// group line of sales and global expense).
    public var keptWithGAM = 0
    public var ledFromAway = 0
    public var continuityValue = 0.0
    public var awayCost = 0.0

    /// The objective from its parts: Σ accounts' net contribution, less the programme and
    /// the tier changes (the lines `plan_accounts.csv` does not carry).
    public var reconciliation: Reconciliation {
        Reconciliation(accountsNetContribution: accounts.reduce(0) { $0 + $1.netContribution },
                       accountsSalesExpense: accounts.reduce(0) { $0 + $1.salesExpense },
                       programmeCost: programmeCost, tierChangeCost: tierChangeCost, tierChanges: tierChanges,
                       continuityValue: continuityValue, awayCost: awayCost,
                       netContribution: netContribution, salesExpense: salesExpense)
    }
}

/// One named GAM's portfolio in a plan.
public struct GAMPortfolio: Sendable {
    public var gam: Int
    /// The accounts led, in descending net contribution.
    public var accounts: [Int]
    public var usedFTE: Double
    /// Accounts led that were already this GAM's; accounts led from another region.
    public var kept: Int
    public var away: Int
}

extension StaffingPlan {
    /// Every named GAM's portfolio (in gams.csv's order), empty portfolios included.
    public func portfolios(_ dataset: Dataset) -> [GAMPortfolio] {
        var led = [[AccountStaffing]](repeating: [], count: dataset.gams.count)
        for staffing in accounts { if let g = staffing.leadGAM { led[g].append(staffing) } }
        return led.enumerated().map { g, staffings in
            let sorted = staffings.sorted { $0.netContribution > $1.netContribution || ($0.netContribution == $1.netContribution && $0.account < $1.account) }
            return GAMPortfolio(gam: g, accounts: sorted.map(\.account), usedFTE: sorted.reduce(0) { $0 + $1.gamFTE },
                                kept: sorted.filter { dataset.accounts[$0.account].currentGAM == g }.count,
                                away: sorted.filter { dataset.accounts[$0.account].headquarters != dataset.gams[g].homeRegion }.count)
        }
    }
}

/// How the group totals are made of the accounts' figures and the group lines.
public struct Reconciliation: Sendable {
    public var accountsNetContribution: Double
    public var accountsSalesExpense: Double
    public var programmeCost: Double
    public var tierChangeCost: Double
    public var tierChanges: Int
    /// Named GAMs: the value of accounts kept with their GAM, the cost of accounts led from away.
    public var continuityValue: Double
    public var awayCost: Double
    /// The totals as reported (equal to the parts up to rounding in the last digits).
    public var netContribution: Double
    public var salesExpense: Double
}

/// How a solve ended, in the terms of summary.json.
public enum PlanStatus: String, Sendable {
    /// Optimal within the configured gap.
    case optimal
    /// Stopped by the time limit with a plan and a larger gap.
    case timeLimit = "time_limit"
    /// No plan satisfies the limits.
    case infeasible
    /// The time limit ended the solve before any plan was found (an interruption is not a
    /// status: it throws ``PlanningInterrupted``).
    case noSolution = "no_solution"

    /// Whether a plan comes with the status.
    public var hasPlan: Bool { self == .optimal || self == .timeLimit }
}

/// Seconds spent per phase, and the process's peak memory.
public struct PhaseTimings: Sendable, Hashable {
    /// Reading the CSV files and the model file.
    public var read: Double = 0
    /// Cross-checking dataset and model and deriving the model's quantities.
    public var validate: Double = 0
    /// Building the program and loading it into the solver (or the decomposition's blocks).
    public var build: Double = 0
    /// The LP relaxation: the solver's root LP, or the decomposition's column generation.
    public var lp: Double = 0
    /// Branch and bound, or the decomposition's restricted MIP.
    public var mip: Double = 0
    /// The LP with tiers fixed, for shadow prices.
    public var duals: Double = 0
    /// Explaining an infeasible model (limits relaxed, one by one).
    public var diagnosis: Double = 0
    /// Rendering and writing the output files.
    public var write: Double = 0
    /// Peak resident memory of the process, in bytes, when measured.
    public var peakMemoryBytes: Int = 0

    public init() {}

    /// LP + MIP + duals.
    public var solve: Double { lp + mip + duals }
    /// Every phase.
    public var total: Double { read + validate + build + lp + mip + duals + diagnosis + write }

    /// The process's peak resident memory so far, in bytes.
    public static func currentPeakMemory() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}

/// Everything a solve produced: the status, the plan when there is one, and the solver's view.
public struct PlanningResult: Sendable {
    public var status: PlanStatus
    public var plan: StaffingPlan?
    /// The best bound on the net contribution the search proved (nil when unknown).
    public var bestBound: Double?
    /// `|bound − objective|` relative to the decision-dependent part of the objective
    /// (`objective − fixedPart`): the solver's own gap on the monolithic program, whose
    /// objective excludes the fixed part, and computed so for the decomposition.
    public var relativeGap: Double?
    /// `|bound − objective|`, in money.
    public var absoluteGap: Double?
    /// The part of the net contribution no decision changes, which the relative gap leaves out.
    public var fixedPart: Double
    public var timings: PhaseTimings
    /// The solver's own words.
    public var rawStatus: String
    /// Why there is no plan and what would admit one, when the status is infeasible and a
    /// diagnosis was asked for.
    public var diagnosis: InfeasibilityDiagnosis? = nil
    /// Signs that the inputs may not mean what was meant (``Plausibility``).
    public var warnings: [String] = []
    /// Whether the search ran to its deadline (the command's time limit less what its files
    /// need): a stop outside the gap is then the clock's, however short the whole run was.
    public var reachedDeadline = false
}
