// SPDX-License-Identifier: GPL-3.0-or-later

public import LinearProgramming

/// The group-level limits of the specification (§6, 3–10), named for reports.
public enum LimitKind: Hashable, Sendable {
    case regionalCapacity(region: Int)
    case budget
    case gamHeadcount
    case centralFTE
    case execHours
    case maxCostOfSales
    case globalShareMinimum
    case globalShareMaximum
    case maxGlobalAccounts
    case maxChanges
    /// A named GAM's FTE (`capacity_fte` in gams.csv).
    case gamCapacity(gam: Int)
    /// A named GAM's number of accounts (`max_accounts`).
    case gamMaxAccounts(gam: Int)
    /// The decomposition's pooled model (``LeadPools``): the total FTE and accounts of the pool
    /// of interchangeable GAMs whose first member is `firstGAM`. Never a limit of a plan.
    case gamPoolCapacity(firstGAM: Int)
    case gamPoolMaxAccounts(firstGAM: Int)

    /// The key as users know it: `budget`, `gam_headcount`, `local_capacity_fte.EMEA`, …
    public func name(in dataset: Dataset) -> String {
        switch self {
        case .regionalCapacity(let r): return "local_capacity_fte.\(dataset.regions[r].id)"
        case .budget: return "budget"
        case .gamHeadcount: return "gam_headcount"
        case .centralFTE: return "central_fte"
        case .execHours: return "exec_hours"
        case .maxCostOfSales: return "max_cost_of_sales"
        case .globalShareMinimum: return "global_share_min"
        case .globalShareMaximum: return "global_share_max"
        case .maxGlobalAccounts: return "max_global_accounts"
        case .maxChanges: return "max_changes"
        case .gamCapacity(let g): return "gam_capacity_fte.\(dataset.gams[g].id)"
        case .gamMaxAccounts(let g): return "gam_max_accounts.\(dataset.gams[g].id)"
        case .gamPoolCapacity(let g): return "gam_pool_capacity_fte.\(dataset.gams[g].id)"
        case .gamPoolMaxAccounts(let g): return "gam_pool_max_accounts.\(dataset.gams[g].id)"
        }
    }

    /// The what-if key that sets the limit's value (`limits.budget`,
    /// `regions.EMEA.local_capacity_fte`, …); nil for the two ends of the global-share band,
    /// which are set together as `limits.global_share`.
    public func key(in dataset: Dataset) -> String? {
        switch self {
        case .regionalCapacity(let r): return "regions.\(dataset.regions[r].id).local_capacity_fte"
        case .gamCapacity, .gamMaxAccounts, .gamPoolCapacity, .gamPoolMaxAccounts: return nil
        default: return KeySchema.key(of: self)?.path
        }
    }
}

/// The mixed-integer program of an ``AllocationInstance`` and the map from its variables and
/// constraints back to accounts, tiers, regions and limits.
///
/// The program (see docs/model.md), built from the ``Formulation``: one binary per (account, open tier); local effort split
/// into one bounded continuous variable per response segment, so the concave curve needs no
/// binaries; one binary for the global programme. The part of each account's value that no
/// decision changes (its cheapest tier's value) is moved into the objective constant, so the
/// solver's relative gap speaks of money the decisions move.
public struct AllocationProgram: Sendable {
    public let instance: AllocationInstance
    public let program: LinearProgram
    /// `tierVariables[a][j]` is the binary for account `a` in choice `choices[a][j]` (a tier,
    /// and for a global tier of a dataset with gams.csv its lead GAM).
    public let tierVariables: [[VariableIndex]]
    /// The tier and lead GAM each binary of `tierVariables` stands for.
    let choices: [[(tier: Int, gam: Int?)]]
    /// `effortVariables[a][e]` are the segment variables of footprint pair `e` of account `a`
    /// (empty when the pair's saturation scale is 0).
    public let effortVariables: [[[VariableIndex]]]
    /// `p`: the global account programme runs.
    public let programmeVariable: VariableIndex
    /// The constraint that carries each limit in force.
    public let limitConstraints: [(kind: LimitKind, constraint: ConstraintIndex)]
    /// With `elastic`, the slack variable that relaxes each limit (parallel to
    /// ``limitConstraints``), in the limit row's own units; empty otherwise.
    public let limitSlacks: [VariableIndex]

    /// Builds the program from the ``Formulation``. `names` labels rows and columns in domain
    /// terms (for LP files); leave it off on large instances to save memory. `elastic` adds a
    /// slack variable to every limit so that any limit can give way (for diagnosing
    /// infeasibility); the objective is left as it is.
    public init(instance: AllocationInstance, names: Bool = false, elastic: Bool = false) {
        self.instance = instance
        let formulation = Formulation(instance: instance)
        var builder = ProgramBuilder(formulation: formulation, programmeActive: nil, names: names)
        var tierVariables: [[VariableIndex]] = []
        var effortVariables: [[[VariableIndex]]] = []
        var chosen: [[(tier: Int, gam: Int?)]] = []
        for a in instance.dataset.accounts.indices {
            let choices = formulation.choices(account: a)
            chosen.append(choices.map { ($0.tier, $0.gam) })
            let variables = builder.addTierChoices(account: a, choices, shiftToFloor: true)
            tierVariables.append(variables)
            effortVariables.append(instance.pairs[a].indices.map { e in
                builder.addEffort(account: a, pair: e, choices: Array(zip(choices, variables)))
            })
        }
        let programme = builder.programme!
        let (program, limits, slacks) = builder.finish(elastic: elastic)
        self.program = program
        self.tierVariables = tierVariables
        self.choices = chosen
        self.effortVariables = effortVariables
        self.programmeVariable = programme
        self.limitConstraints = limits
        self.limitSlacks = slacks
    }
}
