// SPDX-License-Identifier: GPL-3.0-or-later

internal import OutputFiles
internal import InputFiles

/// Every key of a model file and every data column a what-if can change, in one table: its
/// path, type, rule, where it lives, the limit it moves and the words reports use for it.
///
/// The table drives the model file's decoding (known sections and keys, types, defaults),
/// its validation (the rules), `--set` (which keys exist), `--vary` and what-if sessions
/// (reading and writing a value, the limit whose bound it is), and report labels. Adding a
/// model key is one entry here (plus its field in ``AllocationModel``).
enum KeySchema {
    /// One key of the model file (`section.name`, or `tier.ID.name` for a tier's key).
    struct Key: Sendable {
        enum Kind: Sendable { case amount, count, band, list, text, table }
        enum Rule: Sendable { case none, cost, nonNegative, fraction, positiveSeconds, years, growthRate }

        /// `costs`, `limits`, `response`, `solver`, `transition`, `portfolio`, `roadmap`, `tier` or `pin`.
        let section: String
        let name: String
        let kind: Kind
        let rule: Rule
        /// A tier's key that every `[[tier]]` must give.
        let required: Bool
        /// The limit the key belongs to, if any.
        let limit: LimitKind?
        /// The key's value is its limit's right-hand side: a what-if change moves one bound.
        let isBound: Bool
        /// What reports call the thing the key counts, in plural and singular (`global account
        /// manager FTE`, `global account manager`).
        let words: (plural: String, singular: String)?
        /// Reads and writes the value in a model; the `Int` is the tier's index for tier keys.
        let get: @Sendable (AllocationModel, Int) -> Double?
        let set: @Sendable (inout AllocationModel, Int, Double?) -> Void

        var path: String { "\(section).\(name)" }
        var isNumeric: Bool { kind == .amount || kind == .count }
        /// An unsigned percentage is the value itself (`12%` = 0.12): the key is a fraction.
        var percentIsFraction: Bool { rule == .fraction || Self.fractionsByMeaning.contains(path) }
        /// Fractions whose rule allows more than 1 (a ratio, a gap) but that users write as percentages.
        static let fractionsByMeaning: Set<String> = ["limits.max_cost_of_sales", "solver.mip_gap"]

        /// What is wrong with `value` under the key's rule, or nil.
        func problem(_ value: Double) -> String? {
            switch rule {
            case .none: return nil
            case .cost: return value < 0 ? "costs must be ≥ 0, found \(formatShort(value))" : nil
            case .nonNegative: return !(value >= 0) ? "must be ≥ 0, found \(formatShort(value))" : nil
            case .fraction: return !(0...1).contains(value) ? "must be a fraction from 0 to 1, found \(formatShort(value))" : nil
            case .positiveSeconds: return !(value > 0) ? "must be > 0 seconds, found \(formatShort(value))" : nil
            case .years:
                return !(1...Double(RoadmapSettings.maximumYears)).contains(value)
                    ? "must be from 1 to \(RoadmapSettings.maximumYears) years, found \(formatShort(value))" : nil
            case .growthRate: return !(value > -1) ? "must be > -1 (a yearly rate: 0.03 is 3 % growth), found \(formatShort(value))" : nil
            }
        }
    }

    // MARK: - The table

    private static func model(_ section: String, _ name: String, _ kind: Key.Kind, _ rule: Key.Rule = .none,
                              limit: LimitKind? = nil, isBound: Bool = false,
                              words: (String, String)? = nil,
                              get: @escaping @Sendable (AllocationModel) -> Double? = { _ in nil },
                              set: @escaping @Sendable (inout AllocationModel, Double?) -> Void = { _, _ in }) -> Key {
        Key(section: section, name: name, kind: kind, rule: rule, required: false, limit: limit, isBound: isBound,
            words: words.map { (plural: $0.0, singular: $0.1) }, get: { model, _ in get(model) },
            set: { model, _, value in set(&model, value) })
    }

    private static func tier(_ name: String, _ kind: Key.Kind, _ rule: Key.Rule, required: Bool = false,
                             _ path: any WritableKeyPath<CoverageTier, Double> & Sendable) -> Key {
        Key(section: "tier", name: name, kind: kind, rule: rule, required: required, limit: nil, isBound: false,
            words: nil, get: { model, t in model.tiers[t][keyPath: path] },
            set: { model, t, value in if let value { model.tiers[t][keyPath: path] = value } })
    }

    /// A whole number from a what-if value: rounded down (the range rule keeps it far inside
    /// `Int`, so the conversion is checked, never trapping).
    private static func count(_ value: Double?) -> Int? {
        value.map { Int(exactly: $0.rounded(.down)) ?? 0 }
    }

    static let keys: [Key] = [
        model("costs", "gam_fte_cost", .amount, .cost, get: { $0.costs.gamFTECost }, set: { $0.costs.gamFTECost = $1 ?? 0 }),
        model("costs", "central_fte_cost", .amount, .cost, get: { $0.costs.centralFTECost },
              set: { $0.costs.centralFTECost = $1 ?? 0 }),
        model("costs", "exec_hour_cost", .amount, .cost, get: { $0.costs.execHourCost }, set: { $0.costs.execHourCost = $1 ?? 0 }),
        model("costs", "program_fixed_cost", .amount, .cost, get: { $0.costs.programmeFixedCost },
              set: { $0.costs.programmeFixedCost = $1 ?? 0 }),
        model("limits", "budget", .amount, .nonNegative, limit: .budget, isBound: true,
              get: { $0.limits.budget }, set: { $0.limits.budget = $1 }),
        model("limits", "gam_headcount", .amount, .nonNegative, limit: .gamHeadcount, isBound: true,
              words: ("global account manager FTE", "global account manager"),
              get: { $0.limits.gamHeadcount }, set: { $0.limits.gamHeadcount = $1 }),
        model("limits", "central_fte", .amount, .nonNegative, limit: .centralFTE, isBound: true,
              words: ("central-team FTE", "central-team FTE"), get: { $0.limits.centralFTE }, set: { $0.limits.centralFTE = $1 }),
        model("limits", "exec_hours", .amount, .nonNegative, limit: .execHours, isBound: true,
              words: ("executive hours", "executive hour"), get: { $0.limits.execHours }, set: { $0.limits.execHours = $1 }),
        model("limits", "max_cost_of_sales", .amount, .nonNegative, limit: .maxCostOfSales,
              get: { $0.limits.maxCostOfSales }, set: { $0.limits.maxCostOfSales = $1 }),
        model("limits", "global_share", .band),
        model("limits", "max_global_accounts", .count, .nonNegative, limit: .maxGlobalAccounts, isBound: true,
              words: ("global accounts", "global account"), get: { $0.limits.maxGlobalAccounts.map(Double.init) },
              set: { $0.limits.maxGlobalAccounts = count($1) }),
        model("response", "breakpoints", .list),
        model("solver", "mip_gap", .amount, .nonNegative, get: { $0.solver.mipGap }, set: { if let v = $1 { $0.solver.mipGap = v } }),
        model("solver", "time_limit", .amount, .positiveSeconds, get: { $0.solver.timeLimit },
              set: { if let v = $1 { $0.solver.timeLimit = v } }),
        model("transition", "change_cost", .amount, .cost, get: { $0.transition.changeCost },
              set: { $0.transition.changeCost = $1 ?? 0 }),
        model("transition", "max_changes", .count, .nonNegative, limit: .maxChanges, isBound: true,
              words: ("tier changes", "tier change"), get: { $0.transition.maxChanges.map(Double.init) },
              set: { $0.transition.maxChanges = count($1) }),
        model("portfolio", "continuity_value", .amount, .cost, get: { $0.portfolio.continuityValue },
              set: { $0.portfolio.continuityValue = $1 ?? 0 }),
        model("portfolio", "away_cost", .amount, .cost, get: { $0.portfolio.awayCost }, set: { $0.portfolio.awayCost = $1 ?? 0 }),
        model("roadmap", "years", .count, .years, get: { $0.roadmap?.years.map(Double.init) },
              set: { $0[roadmap: RoadmapSettings()].years = count($1) }),
        model("roadmap", "discount_rate", .amount, .nonNegative, get: { $0.roadmap?.discountRate },
              set: { $0[roadmap: RoadmapSettings()].discountRate = $1 ?? 0 }),
        model("roadmap", "market_growth", .amount, .growthRate, get: { $0.roadmap?.marketGrowth },
              set: { $0[roadmap: RoadmapSettings()].marketGrowth = $1 ?? 0 }),
        model("roadmap", "max_changes_per_account", .count, .nonNegative, words: ("tier changes per account", "tier change per account"),
              get: { $0.roadmap?.maxChangesPerAccount.map(Double.init) },
              set: { $0[roadmap: RoadmapSettings()].maxChangesPerAccount = count($1) }),
        model("roadmap", "local_capacity_fte", .table),
        Key(section: "tier", name: "id", kind: .text, rule: .none, required: true, limit: nil, isBound: false, words: nil,
            get: { _, _ in nil }, set: { _, _, _ in }),
        tier("gam_fte", .amount, .nonNegative, required: true, \.gamFTE),
        tier("central_fte", .amount, .nonNegative, required: true, \.centralFTE),
        tier("exec_hours", .amount, .nonNegative, required: true, \.execHours),
        tier("protection", .amount, .fraction, required: true, \.protection),
        tier("central_reach", .amount, .fraction, required: true, \.centralReach),
        tier("min_local_coverage", .amount, .nonNegative, required: true, \.minLocalCoverage),
        tier("min_revenue", .amount, .nonNegative, \.minRevenue),
        Key(section: "tier", name: "min_regions", kind: .count, rule: .nonNegative, required: false, limit: nil,
            isBound: false, words: nil, get: { model, t in Double(model.tiers[t].minRegions) },
            set: { model, t, value in if let value = count(value) { model.tiers[t].minRegions = value } }),
        tier("min_fit", .amount, .fraction, \.minFit),
        model("pin", "account", .text),
        model("pin", "tier", .text),
        model("pin", "gam", .text),
    ]

    // MARK: - Lookups

    /// The sections of a model file with their keys (`tier` and `pin` are arrays of tables).
    static let sections: [String: [String]] = Dictionary(grouping: keys.filter { !["tier", "pin"].contains($0.section) },
                                                         by: \.section).mapValues { $0.map(\.name) }
    /// The sections in the order the table lists them.
    static let sectionOrder: [String] = keys.map(\.section).reduce(into: []) { order, section in
        if !["tier", "pin"].contains(section) && !order.contains(section) { order.append(section) }
    }
    static let tierKeys: [String] = keys.filter { $0.section == "tier" }.map(\.name)
    static let pinKeys: [String] = keys.filter { $0.section == "pin" }.map(\.name)

    static func key(_ section: String, _ name: String) -> Key? {
        keys.first { $0.section == section && $0.name == name }
    }

    /// The key whose limit is `kind` (nil for the global-share band and regional capacities).
    static func key(of kind: LimitKind) -> Key? {
        keys.first { $0.limit == kind }
    }

    // MARK: - Data columns

    /// A numeric column of `regions.csv` a what-if can change (`regions.ID.column`).
    struct RegionColumn: Sendable {
        let name: String
        /// The column is the region's capacity, the right-hand side of its capacity row.
        let isCapacity: Bool
        /// What a value must be (the reader checks cells with it, changes too).
        let rule: CSVFieldReader.NumberRule
        let path: any WritableKeyPath<Region, Double> & Sendable
    }

    static let regionColumns: [RegionColumn] = [
        RegionColumn(name: "local_capacity_fte", isCapacity: true, rule: .nonNegative, path: \.localCapacityFTE),
        RegionColumn(name: "local_fte_cost", isCapacity: false, rule: .positive, path: \.localFTECost),
        RegionColumn(name: "productivity", isCapacity: false, rule: .positive, path: \.productivity),
    ]

    /// A numeric column of `accounts.csv` a what-if can change (`accounts.ID.column`).
    struct AccountColumn: Sendable {
        let name: String
        let rule: CSVFieldReader.NumberRule
        let path: any WritableKeyPath<Account, Double> & Sendable
    }

    static let accountColumns: [AccountColumn] = [
        AccountColumn(name: "revenue", rule: .nonNegative, path: \.revenue),
        AccountColumn(name: "margin", rule: .fraction, path: \.margin),
        AccountColumn(name: "growth_potential", rule: .nonNegative, path: \.growthPotential),
        AccountColumn(name: "central_share", rule: .fraction, path: \.centralShare),
        AccountColumn(name: "competition", rule: .fraction, path: \.competition),
        AccountColumn(name: "fit", rule: .fraction, path: \.fit),
    ]

    static func regionColumn(_ name: String) -> RegionColumn? { regionColumns.first { $0.name == name } }
    static func accountColumn(_ name: String) -> AccountColumn? { accountColumns.first { $0.name == name } }
}
