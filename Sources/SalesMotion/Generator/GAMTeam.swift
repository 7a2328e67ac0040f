// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
internal import OutputFiles

/// A named GAM team for a generated dataset (`generate --gams`, portfolios.md): one GAM per
/// about 40 accounts open to a global tier, sitting where those accounts have their
/// headquarters (largest remainder), 1 FTE each (every third 1.5), every fourth limited to three
/// accounts; three in four accounts in a global tier today are led by a GAM of their own region
/// (`current_gam`); the model gets a `[portfolio]` (continuity 20,000, away 15,000). No
/// randomness: the same dataset gives the same team.
public enum GAMTeam {
    /// Accounts open to a global tier per GAM.
    public static let accountsPerGAM = 40

    /// `files` (a generated dataset: accounts.csv, regions.csv, footprint.csv, model.toml) with
    /// gams.csv added and accounts.csv given a `current_gam` column.
    /// `count`, when given, sets the team's size instead.
    public static func adding(to files: [(name: String, contents: Data)], count wanted: Int? = nil) throws -> [(name: String, contents: Data)] {
        func file(_ name: String) -> Data? { files.first { $0.name == name }?.contents }
        guard let accountsData = file("accounts.csv"), let regionsData = file("regions.csv"), let modelData = file("model.toml")
        else { return files }
        let dataset = try Dataset.parse(accounts: accountsData, regions: regionsData, footprint: file("footprint.csv"))
        let model = try AllocationModel.parse(String(decoding: modelData, as: UTF8.self))
        let instance = try AllocationInstance(dataset: dataset, model: model)
        let regions = dataset.regions.count
        // Accounts open to a global tier, by headquarters region.
        var eligible = [Int](repeating: 0, count: regions)
        for (a, open) in instance.openTiers.enumerated() where open.contains(where: { model.tiers[$0].isGlobal }) {
            eligible[dataset.accounts[a].headquarters] += 1
        }
        let total = eligible.reduce(0, +)
        let count = wanted ?? max(1, Int((Double(total) / Double(accountsPerGAM)).rounded()))
        // Home regions in proportion to the eligible accounts' headquarters (largest remainder).
        // Without eligible accounts the team sits in the first region.
        var seats = eligible.map { total > 0 ? count * $0 / total : 0 }
        if total == 0 { seats[0] = count }
        let order = eligible.indices.sorted {
            let left = Double(count * eligible[$0]) / Double(max(1, total)) - Double(seats[$0])
            let right = Double(count * eligible[$1]) / Double(max(1, total)) - Double(seats[$1])
            return left > right || (left == right && $0 < $1)
        }
        for r in order.prefix(count - seats.reduce(0, +)) { seats[r] += 1 }
        var homes: [Int] = []
        for (r, n) in seats.enumerated() { homes += Array(repeating: r, count: n) }
        let width = String(count).count
        let ids = homes.indices.map { "G" + String(repeating: "0", count: max(0, width - String($0 + 1).count)) + String($0 + 1) }
        var gams = CSVDocument(header: ["gam_id", "name", "home_region", "capacity_fte", "max_accounts"])
        for (g, home) in homes.enumerated() {
            gams.append([.text(ids[g]), .text("GAM \(g + 1)"), .text(dataset.regions[home].id),
                         .number(g % 3 == 2 ? 1.5 : 1), g % 4 == 3 ? .number(3) : .text("")])
        }
        // Today's leads: round robin over the GAMs of the account's region (any GAM when none).
        let byRegion = (0..<regions).map { r in homes.indices.filter { homes[$0] == r } }
        var next = [Int](repeating: 0, count: regions), globalToday = 0
        var current = [String](repeating: "", count: dataset.accounts.count)
        for (a, account) in dataset.accounts.enumerated() {
            guard let t = instance.currentTier[a], model.tiers[t].isGlobal else { continue }
            globalToday += 1
            if globalToday % 4 == 0 { continue }
            let pool = byRegion[account.headquarters].isEmpty ? Array(homes.indices) : byRegion[account.headquarters]
            current[a] = ids[pool[next[account.headquarters] % pool.count]]
            next[account.headquarters] += 1
        }
        // accounts.csv gains its last column (generated rows hold no line breaks).
        var lines = String(decoding: accountsData, as: UTF8.self).components(separatedBy: "\n")
        var row = 0
        for index in lines.indices where !lines[index].isEmpty {
            if index == 0 {
                lines[index] += ",current_gam"
            } else {
                lines[index] += "," + current[row]
                row += 1
            }
        }
        // The model values continuity and costs leading from away (portfolios.md's example values).
        var modelText = String(decoding: modelData, as: UTF8.self)
        if !modelText.contains("[portfolio]") {
            modelText += "\n[portfolio]\ncontinuity_value = 20_000   # per year, a global account led by its current GAM\naway_cost = 15_000          # per year, a global account led from another region\n"
        }
        var result = files.map { file -> (name: String, contents: Data) in
            switch file.name {
            case "accounts.csv": return (file.name, Data(lines.joined(separator: "\n").utf8))
            case "model.toml": return (file.name, Data(modelText.utf8))
            default: return file
            }
        }
        result.append((name: "gams.csv", contents: try gams.data()))
        return result
    }
}
