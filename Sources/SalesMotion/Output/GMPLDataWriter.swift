// SPDX-License-Identifier: GPL-3.0-or-later

internal import OutputFiles

/// Writes an instance as a GNU MathProg data file for `models/allocation.mod`, or a roadmap
/// for `models/roadmap.mod`: raw inputs only (today's values, each year's limits and
/// capacities), so that glpsol derives everything itself and checks the Swift solver
/// independently.
struct GMPLDataWriter {
    let instance: AllocationInstance
    /// When set, the data is for `models/roadmap.mod`: limits and capacities year by year.
    var roadmap: RoadmapInstance? = nil

    var text: String {
        let dataset = instance.dataset, model = instance.model
        let target = roadmap == nil ? "models/allocation.mod (salesmotion export --format gmpl)"
            : "models/roadmap.mod (salesmotion export --format gmpl-roadmap)"
        var out = "/* SalesMotion instance for \(target) */\ndata;\n\n"
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
        if let roadmap {
            param("capacity", roadmap.yearInstances.enumerated().flatMap { k, year in
                zip(regions, year.dataset.regions.map(\.localCapacityFTE)).map { ("\($0) \(k + 1)", $1) }
            })
        } else {
            param("capacity", zip(regions, dataset.regions.map(\.localCapacityFTE)).map { ($0, $1) })
        }
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
        let years = roadmap?.yearInstances.map(\.model) ?? [model]
        func optional(_ flag: String, _ name: String, _ value: (AllocationModel) -> Double?) {
            guard value(model) != nil else { return }
            scalar(flag, 1)
            if roadmap == nil {
                scalar(name, value(model)!)
            } else {
                param(name, years.enumerated().map { ("\($0 + 1)", value($1) ?? 0) })
            }
        }
        optional("use_budget", "budget") { $0.limits.budget }
        optional("use_gam", "gam_headcount") { $0.limits.gamHeadcount }
        optional("use_central", "central_fte") { $0.limits.centralFTE }
        optional("use_hours", "exec_hours") { $0.limits.execHours }
        optional("use_cos", "max_cost_of_sales") { $0.limits.maxCostOfSales }
        optional("use_max_global", "max_global_accounts") { $0.limits.maxGlobalAccounts.map(Double.init) }
        optional("use_max_changes", "max_changes") { $0.transition.maxChanges.map(Double.init) }
        if model.limits.globalShare != nil {
            scalar("use_share", 1)
            if roadmap == nil {
                scalar("share_lo", model.limits.globalShare!.lowerBound)
                scalar("share_hi", model.limits.globalShare!.upperBound)
            } else {
                param("share_lo", years.enumerated().map { ("\($0 + 1)", $1.limits.globalShare?.lowerBound ?? 0) })
                param("share_hi", years.enumerated().map { ("\($0 + 1)", $1.limits.globalShare?.upperBound ?? 1) })
            }
        }
        if !dataset.gams.isEmpty {
            out += "\n"
            let gamIds = dataset.gams.map { symbol($0.id) }
            set("G", gamIds)
            out += "param home :=" + zip(gamIds, dataset.gams).map { "\n  \($0) \(symbol(dataset.regions[$1.homeRegion].id))" }.joined() + ";\n"
            param("gcap", zip(gamIds, dataset.gams.map(\.capacityFTE)).map { ($0, $1) })
            param("gmax", zip(gamIds, dataset.gams.map { Double($0.maxAccounts ?? 0) }).map { ($0, $1) })
            out += "param hq :=" + zip(accounts, dataset.accounts).map { "\n  \($0) \(symbol(dataset.regions[$1.headquarters].id))" }.joined() + ";\n"
            set("CURG", dataset.accounts.compactMap { account in account.currentGAM.map { "\(symbol(account.id)) \(gamIds[$0])" } })
            set("PING", model.pins.compactMap { pin in pin.gam.map { "\(symbol(pin.account)) \(symbol($0))" } })
            scalar("continuity_value", model.portfolio.continuityValue)
            scalar("away_cost", model.portfolio.awayCost)
        }
        if let roadmap {
            out += "\n"
            scalar("nY", Double(roadmap.years))
            scalar("discount_rate", roadmap.settings.discountRate)
            scalar("market_growth", roadmap.settings.marketGrowth)
            if let most = roadmap.settings.maxChangesPerAccount {
                scalar("use_per_account", 1)
                scalar("max_changes_per_account", Double(most))
            }
        }
        out += "\nend;\n"
        return out
    }
}
