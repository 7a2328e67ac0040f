// SPDX-License-Identifier: GPL-3.0-or-later

/// A numeric input a what-if can vary: any numeric model key (`limits.budget`,
/// `costs.gam_fte_cost`, `tier.total.gam_fte`, …) or a region's column
/// (`regions.EMEA.local_capacity_fte`).
public struct WhatIfKey: Hashable, Sendable, CustomStringConvertible {
    public enum RegionColumn: String, Sendable, CaseIterable {
        case localCapacityFTE = "local_capacity_fte"
        case localFTECost = "local_fte_cost"
        case productivity
    }

    enum Target: Hashable, Sendable {
        case model(section: String, key: String)
        case tier(id: String, key: String)
        case region(id: String, column: RegionColumn)
    }

    static let modelKeys: [String: [String]] = [
        "costs": ["gam_fte_cost", "central_fte_cost", "exec_hour_cost", "program_fixed_cost"],
        "limits": ["budget", "gam_headcount", "central_fte", "exec_hours", "max_cost_of_sales", "max_global_accounts"],
        "solver": ["mip_gap", "time_limit"],
        "transition": ["change_cost", "max_changes"],
    ]
    static let tierKeys = ["gam_fte", "central_fte", "exec_hours", "protection", "central_reach",
                           "min_local_coverage", "min_revenue", "min_regions", "min_fit"]

    let target: Target
    public let description: String

    /// Parses a key; throws ``InputError`` (source `--vary`) naming what is wrong.
    public init(_ text: String, source: String = "--vary") throws {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        func fail(_ message: String) -> InputError {
            InputError([InputDiagnostic(SourceLocation(file: source), "\(text): \(message)")])
        }
        description = text
        switch parts.count {
        case 2:
            guard let keys = Self.modelKeys[parts[0]] else {
                throw fail("unknown section; numeric keys live in \(Self.modelKeys.keys.sorted().joined(separator: ", ")), tier.ID.key or regions.ID.column")
            }
            guard keys.contains(parts[1]) else {
                throw fail("not a numeric key of [\(parts[0])]\(suggestion(for: parts[1], in: keys))")
            }
            target = .model(section: parts[0], key: parts[1])
        case 3 where parts[0] == "tier":
            guard Self.tierKeys.contains(parts[2]) else {
                throw fail("not a numeric tier key\(suggestion(for: parts[2], in: Self.tierKeys))")
            }
            target = .tier(id: parts[1], key: parts[2])
        case 3 where parts[0] == "regions":
            guard let column = RegionColumn(rawValue: parts[2]) else {
                throw fail("not a region column\(suggestion(for: parts[2], in: RegionColumn.allCases.map(\.rawValue)))")
            }
            target = .region(id: parts[1], column: column)
        default:
            throw fail("expected section.key, tier.ID.key or regions.ID.column")
        }
    }

    /// The key's value in `instance`; nil when the key is an absent optional limit.
    public func value(in instance: AllocationInstance) throws -> Double? {
        switch target {
        case .model(let section, let key):
            let model = instance.model
            switch (section, key) {
            case ("costs", "gam_fte_cost"): return model.costs.gamFTECost
            case ("costs", "central_fte_cost"): return model.costs.centralFTECost
            case ("costs", "exec_hour_cost"): return model.costs.execHourCost
            case ("costs", "program_fixed_cost"): return model.costs.programFixedCost
            case ("limits", "budget"): return model.limits.budget
            case ("limits", "gam_headcount"): return model.limits.gamHeadcount
            case ("limits", "central_fte"): return model.limits.centralFTE
            case ("limits", "exec_hours"): return model.limits.execHours
            case ("limits", "max_cost_of_sales"): return model.limits.maxCostOfSales
            case ("limits", "max_global_accounts"): return model.limits.maxGlobalAccounts.map(Double.init)
            case ("solver", "mip_gap"): return model.solver.mipGap
            case ("solver", "time_limit"): return model.solver.timeLimit
            case ("transition", "change_cost"): return model.transition.changeCost
            case ("transition", "max_changes"): return model.transition.maxChanges.map(Double.init)
            default: return nil
            }
        case .tier(let id, let key):
            let tier = try tier(id, in: instance.model)
            return Self.tierValue(tier, key)
        case .region(let id, let column):
            let region = instance.dataset.regions[try regionIndex(id, in: instance.dataset)]
            switch column {
            case .localCapacityFTE: return region.localCapacityFTE
            case .localFTECost: return region.localFTECost
            case .productivity: return region.productivity
            }
        }
    }

    /// The limit this key sets, when it is one, so its shadow price can be reported.
    public func limitKind(in instance: AllocationInstance) -> LimitKind? {
        switch target {
        case .model(let section, let key):
            return LimitKind.modelKeyKinds.first { $0.key(in: instance.dataset) == "\(section).\(key)" }
        case .region(let id, .localCapacityFTE):
            return (try? regionIndex(id, in: instance.dataset)).map { .regionalCapacity(region: $0) }
        default:
            return nil
        }
    }

    /// Sets the key to `value` in copies of the inputs. Counts (accounts, changes, regions) are
    /// rounded down to whole numbers.
    func apply(_ value: Double, dataset: inout Dataset, model: inout AllocationModel) throws {
        if let problem = NumberSyntax.rangeProblem(value) {
            throw InputError([InputDiagnostic(SourceLocation(file: "--vary"), "\(description): \(problem)")])
        }
        // A checked conversion: the range rule above keeps the value far inside Int.
        let count = Int(exactly: value.rounded(.down)) ?? 0
        switch target {
        case .model(let section, let key):
            switch (section, key) {
            case ("costs", "gam_fte_cost"): model.costs.gamFTECost = value
            case ("costs", "central_fte_cost"): model.costs.centralFTECost = value
            case ("costs", "exec_hour_cost"): model.costs.execHourCost = value
            case ("costs", "program_fixed_cost"): model.costs.programFixedCost = value
            case ("limits", "budget"): model.limits.budget = value
            case ("limits", "gam_headcount"): model.limits.gamHeadcount = value
            case ("limits", "central_fte"): model.limits.centralFTE = value
            case ("limits", "exec_hours"): model.limits.execHours = value
            case ("limits", "max_cost_of_sales"): model.limits.maxCostOfSales = value
            case ("limits", "max_global_accounts"): model.limits.maxGlobalAccounts = count
            case ("solver", "mip_gap"): model.solver.mipGap = value
            case ("solver", "time_limit"): model.solver.timeLimit = value
            case ("transition", "change_cost"): model.transition.changeCost = value
            case ("transition", "max_changes"): model.transition.maxChanges = count
            default: break
            }
        case .tier(let id, let key):
            _ = try tier(id, in: model)
            let position = model.tierIndex(of: id)!
            switch key {
            case "gam_fte": model.tiers[position].gamFTE = value
            case "central_fte": model.tiers[position].centralFTE = value
            case "exec_hours": model.tiers[position].execHours = value
            case "protection": model.tiers[position].protection = value
            case "central_reach": model.tiers[position].centralReach = value
            case "min_local_coverage": model.tiers[position].minLocalCoverage = value
            case "min_revenue": model.tiers[position].minRevenue = value
            case "min_regions": model.tiers[position].minRegions = count
            case "min_fit": model.tiers[position].minFit = value
            default: break
            }
        case .region(let id, let column):
            let r = try regionIndex(id, in: dataset)
            switch column {
            case .localCapacityFTE: dataset.regions[r].localCapacityFTE = value
            case .localFTECost: dataset.regions[r].localFTECost = value
            case .productivity: dataset.regions[r].productivity = value
            }
        }
    }

    /// Whether setting the key changes only the bound of one constraint that already exists.
    func changesOnlyABound(in instance: AllocationInstance) -> Bool {
        switch target {
        case .model("limits", let key) where ["budget", "gam_headcount", "central_fte", "exec_hours",
                                               "max_global_accounts"].contains(key):
            return (try? value(in: instance)) != nil
        case .model("transition", "max_changes"):
            return instance.model.transition.maxChanges != nil
        case .region(_, .localCapacityFTE):
            return true
        default:
            return false
        }
    }

    private func tier(_ id: String, in model: AllocationModel) throws -> CoverageTier {
        guard let position = model.tierIndex(of: id) else {
            throw InputError([InputDiagnostic(SourceLocation(file: "--vary"),
                                              "\(description): no tier '\(id)'\(suggestion(for: id, in: model.tiers.map(\.id)))")])
        }
        return model.tiers[position]
    }

    private func regionIndex(_ id: String, in dataset: Dataset) throws -> Int {
        guard let position = dataset.regions.firstIndex(where: { $0.id == id }) else {
            throw InputError([InputDiagnostic(SourceLocation(file: "--vary"),
                                              "\(description): no region '\(id)'\(suggestion(for: id, in: dataset.regions.map(\.id)))")])
        }
        return position
    }

    private static func tierValue(_ tier: CoverageTier, _ key: String) -> Double? {
        switch key {
        case "gam_fte": return tier.gamFTE
        case "central_fte": return tier.centralFTE
        case "exec_hours": return tier.execHours
        case "protection": return tier.protection
        case "central_reach": return tier.centralReach
        case "min_local_coverage": return tier.minLocalCoverage
        case "min_revenue": return tier.minRevenue
        case "min_regions": return Double(tier.minRegions)
        case "min_fit": return tier.minFit
        default: return nil
        }
    }
}
