// SPDX-License-Identifier: GPL-3.0-or-later

internal import OutputFiles

/// Writes an instance as a GNU MathProg data file for `models/allocation.mod`: raw inputs
/// only, so that glpsol derives everything itself and checks the Swift solver independently.
struct GMPLDataWriter {
    let instance: AllocationInstance

    var text: String {
        let dataset = instance.dataset, model = instance.model
        var out = "/* SalesMotion instance for models/allocation.mod (salesmotion export --format gmpl) */\ndata;\n\n"
        func symbol(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
        func number(_ value: Double) -> String { formatShort(value) }
        func set(_ name: String, _ members: [String]) {
            out += "set \(name) :=" + members.map { "\n  " + $0 }.joined() + ";\n"
        }
        func param(_ name: String, _ rows: [(String, Double)]) {
            out += "param \(name) :=" + rows.map { "\n  \($0.0) \(number($0.1))" }.joined() + ";\n"
        }
        func scalar(_ name: String, _ value: Double) { out += "param \(name) := \(number(value));\n" }

        let accounts = dataset.accounts.map { symbol($0.id) }
        set("A", accounts)
        set("R", dataset.regions.map { symbol($0.id) })
        set("T", model.tiers.map { symbol($0.id) })
        var footprint: [(String, Double)] = []
        for (a, account) in dataset.accounts.enumerated() {
            for entry in account.footprint {
                footprint.append(("\(accounts[a]) \(symbol(dataset.regions[entry.region].id))", entry.share))
            }
        }
        set("FP", footprint.map(\.0))
        set("PIN", model.pins.map { "\(symbol($0.account)) \(symbol($0.tier))" })
        set("CUR", dataset.accounts.compactMap { account in
            account.currentTier.map { "\(symbol(account.id)) \(symbol($0))" }
        })
        out += "\n"
        scalar("nK", Double(model.breakpoints.count))
        param("b", ([0] + model.breakpoints).enumerated().map { ("\($0)", $1) })
        out += "\n"
        for (name, value) in [("revenue", \Account.revenue), ("margin", \Account.margin), ("growth", \Account.growthPotential),
                              ("central_share", \Account.centralShare), ("competition", \Account.competition),
                              ("fit", \Account.fit)] {
            param(name, zip(accounts, dataset.accounts.map { $0[keyPath: value] }).map { ($0, $1) })
        }
        param("sigma", footprint)
        out += "\n"
        let regions = dataset.regions.map { symbol($0.id) }
        param("capacity", zip(regions, dataset.regions.map(\.localCapacityFTE)).map { ($0, $1) })
        param("fte_cost", zip(regions, dataset.regions.map(\.localFTECost)).map { ($0, $1) })
        param("productivity", zip(regions, dataset.regions.map(\.productivity)).map { ($0, $1) })
        out += "\n"
        let tiers = model.tiers.map { symbol($0.id) }
        for (name, value) in [("gam", \CoverageTier.gamFTE), ("cfte", \CoverageTier.centralFTE),
                              ("hours", \CoverageTier.execHours), ("protection", \CoverageTier.protection),
                              ("reach", \CoverageTier.centralReach), ("mincov", \CoverageTier.minLocalCoverage),
                              ("min_revenue", \CoverageTier.minRevenue), ("min_fit", \CoverageTier.minFit)] {
            param(name, zip(tiers, model.tiers.map { $0[keyPath: value] }).map { ($0, $1) })
        }
        param("min_regions", zip(tiers, model.tiers.map { Double($0.minRegions) }).map { ($0, $1) })
        out += "\n"
        scalar("gam_cost", model.costs.gamFTECost)
        scalar("central_cost", model.costs.centralFTECost)
        scalar("hour_cost", model.costs.execHourCost)
        scalar("program_cost", model.costs.programmeFixedCost)
        scalar("change_cost", model.transition.changeCost)
        let limits = model.limits
        let optional: [(String, String, Double?)] = [
            ("use_budget", "budget", limits.budget), ("use_gam", "gam_headcount", limits.gamHeadcount),
            ("use_central", "central_fte", limits.centralFTE), ("use_hours", "exec_hours", limits.execHours),
            ("use_cos", "max_cost_of_sales", limits.maxCostOfSales),
            ("use_max_global", "max_global_accounts", limits.maxGlobalAccounts.map(Double.init)),
            ("use_max_changes", "max_changes", model.transition.maxChanges.map(Double.init)),
        ]
        for (flag, name, value) in optional {
            if let value {
                scalar(flag, 1)
                scalar(name, value)
            }
        }
        if let band = limits.globalShare {
            scalar("use_share", 1)
            scalar("share_lo", band.lowerBound)
            scalar("share_hi", band.upperBound)
        }
        out += "\nend;\n"
        return out
    }
}
