// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
public import OutputFiles

/// A dataset written back as the files `Dataset.read` takes (accounts.csv, regions.csv,
/// footprint.csv, and gams.csv with a named team): numbers in shortest round-trip form, so
/// reading them gives the same values.
public enum DatasetFiles {
    public static func files(_ dataset: Dataset, _ dialect: CSVDialect = .standard) throws -> [(name: String, contents: Data)] {
        let regionIds = dataset.regions.map(\.id)
        var regions = CSVDocument(header: ["region", "local_capacity_fte", "local_fte_cost", "productivity"])
        for region in dataset.regions {
            regions.append([.text(region.id), .number(region.localCapacityFTE), .number(region.localFTECost), .number(region.productivity)])
        }
        let currentTiers = dataset.hasCurrentTiers, named = dataset.hasNamedGAMs
        var accounts = CSVDocument(header: ["account_id", "name", "hq_region", "revenue", "margin", "growth_potential", "central_share",
                                            "competition", "fit"] + (currentTiers ? ["current_tier"] : []) + (named ? ["current_gam"] : []))
        let currentFTE = dataset.accounts.contains { $0.footprint.contains { $0.currentLocalFTE != nil } }
        var footprint = CSVDocument(header: ["account_id", "region", "share"] + (currentFTE ? ["current_local_fte"] : []))
        for account in dataset.accounts {
            var row: [CSVCell] = [.text(account.id), .text(account.name), .text(regionIds[account.headquarters]), .number(account.revenue),
                                  .number(account.margin), .number(account.growthPotential), .number(account.centralShare),
                                  .number(account.competition), .number(account.fit)]
            if currentTiers { row.append(.text(account.currentTier ?? "")) }
            if named { row.append(.text(account.currentGAM.map { dataset.gams[$0].id } ?? "")) }
            accounts.append(row)
            for entry in account.footprint {
                footprint.append([.text(account.id), .text(regionIds[entry.region]), .number(entry.share)]
                                 + (currentFTE ? [entry.currentLocalFTE.map(CSVCell.number) ?? .text("")] : []))
            }
        }
        var files = [("accounts.csv", try accounts.data(dialect)), ("regions.csv", try regions.data(dialect)),
                     ("footprint.csv", try footprint.data(dialect))]
        if named {
            var gams = CSVDocument(header: ["gam_id", "name", "home_region", "capacity_fte", "max_accounts"])
            for gam in dataset.gams {
                gams.append([.text(gam.id), .text(gam.name), .text(regionIds[gam.homeRegion]), .number(gam.capacityFTE),
                             gam.maxAccounts.map { .number(Double($0)) } ?? .text("")])
            }
            files.append(("gams.csv", try gams.data(dialect)))
        }
        return files.map { (name: $0.0, contents: $0.1) }
    }
}
