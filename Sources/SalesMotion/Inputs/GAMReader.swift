// SPDX-License-Identifier: GPL-3.0-or-later

internal import OutputFiles
internal import InputFiles

/// Reading the named global account managers (portfolios.md): `gams.csv` and the accounts'
/// `current_gam`.
extension Dataset {
    /// The valid GAMs of gams.csv; `declaredGAMs` receives every id named, valid or not, so that
    /// a `current_gam` naming a GAM whose row is invalid is not reported a second time.
    static func readGAMs(_ table: CSVTable, regions: [Region], declared: Set<String>?, declaredGAMs: inout Set<String>,
                         _ problems: inout DiagnosticCollector) -> [GlobalAccountManager] {
        guard let columns = table.requireColumns(["gam_id", "home_region"], into: &problems) else { return [] }
        let regionIndex = Dictionary(regions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let regionIds = declared.map { $0.sorted() } ?? regions.map(\.id)
        let nameColumn = table.column("name"), capacityColumn = table.column("capacity_fte")
        let maxColumn = table.column("max_accounts")
        declaredGAMs.formUnion(table.leftOutCells("gam_id"))
        var gams: [GlobalAccountManager] = []
        var firstLine: [String: Int] = [:]
        for row in table.rows {
            let cells = CSVFieldReader(file: table.path, row: row, header: table.header)
            let id = cells.requiredText(columns["gam_id"]!, &problems)
            let homeText = cells.requiredText(columns["home_region"]!, &problems)
            let capacity = cells.number(capacityColumn, .positive, default: 1, name: "capacity_fte", &problems)
            var home: Int?
            if let homeText {
                home = regionIndex[homeText]
                if home == nil, let declared, !declared.contains(homeText) {
                    problems.report(cells.location(columns["home_region"]!),
                                    "home_region: unknown region '\(homeText)'\(suggestion(for: homeText, in: regionIds))")
                }
            }
            // max_accounts: a whole number ≥ 1, or blank for no limit.
            var maxAccounts: Int?
            var maxValid = true
            if let maxColumn, !cells.text(maxColumn).isEmpty {
                let cell = cells.text(maxColumn)
                if let value = NumberSyntax.plainDecimal(cell), value >= 1, value == value.rounded(), value < 1e9 {
                    maxAccounts = Int(value)
                } else {
                    problems.report(cells.location(maxColumn), "max_accounts: expected a whole number ≥ 1 (or blank for no limit), found \(cell)")
                    maxValid = false
                }
            }
            guard let id else { continue }
            declaredGAMs.insert(id)
            guard isFirst(id, "GAM", at: cells.location(columns["gam_id"]!), &firstLine, &problems) else { continue }
            guard let home, let capacity, maxValid else { continue }
            let name = cells.text(nameColumn)
            gams.append(GlobalAccountManager(id: id, name: name.isEmpty ? id : name, homeRegion: home, capacityFTE: capacity,
                                             maxAccounts: maxAccounts, source: cells.location(columns["gam_id"]!)))
        }
        if table.rows.isEmpty { problems.report(SourceLocation(file: table.path), "has no GAMs; leave the file out when the team is not named") }
        return gams
    }

    /// Each account's `current_gam`: a GAM of gams.csv, or blank; any `current_gam` without a
    /// gams.csv is an error.
    static func readCurrentGAMs(_ table: CSVTable, gams: [GlobalAccountManager], hasGAMFile: Bool, declaredGAMs: Set<String>,
                                accountIds: AccountIds, accounts: inout [Account], _ problems: inout DiagnosticCollector) {
        guard let column = table.column("current_gam") else { return }
        let gamIndex = Dictionary(gams.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let gamIds = gams.map(\.id)
        for (position, row) in table.rows.enumerated() {
            let cells = CSVFieldReader(file: table.path, row: row, header: table.header)
            let text = cells.text(column)
            guard !text.isEmpty else { continue }
            guard hasGAMFile else {
                problems.report(cells.location(column), "current_gam: '\(text)' names a GAM, but the dataset has no gams.csv; add gams.csv with the team, or leave the column out")
                continue
            }
            guard let gam = gamIndex[text] else {
                if !declaredGAMs.contains(text) {
                    problems.report(cells.location(column), "current_gam: unknown GAM '\(text)'\(suggestion(for: text, in: gamIds))")
                }
                continue
            }
            // The row's account, when it became one (a duplicate keeps its first row).
            if position < accountIds.accountOfRow.count, accountIds.accountOfRow[position] >= 0 {
                accounts[accountIds.accountOfRow[position]].currentGAM = gam
            }
        }
    }
}
