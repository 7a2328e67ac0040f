// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
internal import OutputFiles
internal import InputFiles

extension Dataset {
    /// Reads `accounts.csv`, `regions.csv` and the optional `footprint.csv` from `folder`.
    ///
    /// Every problem of every file is collected and thrown together as one ``InputError``.
    public static func read(from folder: String) throws -> Dataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError([InputDiagnostic(SourceLocation(file: folder), "data folder not found")])
        }
        let optional = Set(["footprint.csv", "gams.csv"].filter {
            FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0))
        })
        // The files are parsed side by side (a million accounts: accounts.csv and footprint.csv
        // are 70 MB each), then read in their usual order, so messages come as they always do.
        let names = ["regions.csv", "accounts.csv", "footprint.csv", "gams.csv"]
            .filter { $0 == "accounts.csv" || $0 == "regions.csv" || optional.contains($0) }
        let parsed = sideBySide(names.count) { index in
            let path = (folder as NSString).appendingPathComponent(names[index])
            return try CSVTable(path: path, displayName: path)
        }
        let tables = Dictionary(uniqueKeysWithValues: zip(names, parsed))
        return try read { name in try tables[name]?.get() }
    }

    /// Parses a dataset from the bytes of its files (`footprint` may be absent), with messages
    /// that name them `accounts.csv`, `regions.csv` and `footprint.csv`: the same rules as
    /// ``read(from:)``, for callers that hold the files in memory (and the fuzzer).
    public static func parse(accounts: Data, regions: Data, footprint: Data?, gams: Data? = nil) throws -> Dataset {
        try read { name in
            switch name {
            case "accounts.csv": return try CSVTable(data: accounts, displayName: name)
            case "regions.csv": return try CSVTable(data: regions, displayName: name)
            case "gams.csv": return try gams.map { try CSVTable(data: $0, displayName: name) }
            default: return try footprint.map { try CSVTable(data: $0, displayName: name) }
            }
        }
    }

    /// Reads the dataset from the tables `table` gives by file name (nil: the file is absent).
    private static func read(_ table: (String) throws -> CSVTable?) throws -> Dataset {
        var problems = DiagnosticCollector()
        func open(_ name: String) -> CSVTable? {
            do {
                let opened = try table(name)
                if let opened { problems.absorb(InputError(opened.rowProblems.diagnostics, omitted: opened.rowProblems.omitted)) }
                return opened
            } catch let error as InputError {
                problems.absorb(error)
            } catch {
                problems.report(SourceLocation(file: name), "\(error)")
            }
            return nil
        }
        let regionTable = open("regions.csv")
        let accountTable = open("accounts.csv")
        let footprintTable = open("footprint.csv")
        let gamTable = open("gams.csv")

        var declaredRegions: Set<String> = []
        let regions = regionTable.map { readRegions($0, declared: &declaredRegions, &problems) } ?? []
        // Without a usable regions file every region reference would be reported again.
        let checkRegions = regionTable.map { !$0.rows.isEmpty } ?? false
        var declaredGAMs: Set<String> = []
        let gams = gamTable.map { readGAMs($0, regions: regions, declared: checkRegions ? declaredRegions : nil,
                                           declaredGAMs: &declaredGAMs, &problems) } ?? []
        var accountIds = AccountIds()
        // The footprint's cells are checked while the accounts are read (a million broad
        // accounts: 3.2 million rows); its rows then wait only for the account ids.
        let (checkedFootprint, accountList) = alongside({ footprintTable.flatMap { checkFootprintCells($0, regions: regions) } }) {
            var accounts = accountTable.map {
                readAccounts($0, regions: regions, declared: checkRegions ? declaredRegions : nil, ids: &accountIds, &problems)
            } ?? []
            if let accountTable {
                readCurrentGAMs(accountTable, gams: gams, hasGAMFile: gamTable != nil, declaredGAMs: declaredGAMs,
                                accountIds: accountIds, accounts: &accounts, &problems)
            }
            return accounts
        }
        var accounts = accountList
        if let footprintTable, !accountIds.isEmpty {
            readFootprint(footprintTable, checked: checkedFootprint, regions: regions, declared: checkRegions ? declaredRegions : nil,
                          accountIds: accountIds, accounts: &accounts, &problems)
        }
        try problems.throwIfAny()
        return Dataset(accounts: accounts, regions: regions, gams: gams)
    }

    /// Whether `id` is seen for the first time; a repeat is reported with the line of the first.
    static func isFirst(_ id: String, _ what: String, at location: SourceLocation, _ firstLine: inout [String: Int],
                        _ problems: inout DiagnosticCollector) -> Bool {
        isFirst(id, what, at: location, keeping: location.line, in: &firstLine, line: { $0 }, &problems)
    }

    /// As ``isFirst(_:_:at:_:_:)``, keeping `value` for a first `id` (the line of a repeat's first
    /// is `line(value)`).
    static func isFirst<Value>(_ id: String, _ what: String, at location: SourceLocation, keeping value: Value,
                               in first: inout [String: Value], line: (Value) -> Int,
                               _ problems: inout DiagnosticCollector) -> Bool {
        // One hash in the usual case: insert, and put the first value back for a duplicate.
        if let earlier = first.updateValue(value, forKey: id) {
            first[id] = earlier
            problems.report(location, "\(what) '\(id)' already defined on line \(line(earlier))")
            return false
        }
        return true
    }

    /// The valid regions; `declared` receives every region id named, valid or not, so that
    /// references to a region with a bad value are not reported a second time.
    private static func readRegions(_ table: CSVTable, declared: inout Set<String>,
                                    _ problems: inout DiagnosticCollector) -> [Region] {
        guard let columns = table.requireColumns(["region", "local_capacity_fte", "local_fte_cost", "productivity"],
                                                 into: &problems) else { return [] }
        declared.formUnion(table.leftOutCells("region"))
        var regions: [Region] = []
        var firstLine: [String: Int] = [:]
        for row in table.rows {
            let cells = CSVFieldReader(file: table.path, row: row, header: table.header)
            let id = cells.requiredText(columns["region"]!, &problems)
            let capacity = cells.number(columns["local_capacity_fte"], KeySchema.regionColumn("local_capacity_fte")!.rule, name: "local_capacity_fte", &problems)
            let cost = cells.number(columns["local_fte_cost"], KeySchema.regionColumn("local_fte_cost")!.rule, name: "local_fte_cost", &problems)
            let productivity = cells.number(columns["productivity"], KeySchema.regionColumn("productivity")!.rule, name: "productivity", &problems)
            guard let id else { continue }
            declared.insert(id)
            guard isFirst(id, "region", at: cells.location(columns["region"]!), &firstLine, &problems) else { continue }
            guard let capacity, let cost, let productivity else { continue }
            regions.append(Region(id: id, localCapacityFTE: capacity, localFTECost: cost, productivity: productivity))
        }
        if table.rows.isEmpty { problems.report(SourceLocation(file: table.path), "has no regions") }
        return regions
    }

    /// The account ids of accounts.csv: the row that first names each, the account each row
    /// became, and the ids of rows left out (still declared, so not reported again elsewhere).
    struct AccountIds {
        /// Each valid id's first row, as a position in the table's rows.
        var firstRow: [String: Int] = [:]
        /// The account each row became; -1 for a row that became none.
        var accountOfRow: [Int] = []
        var leftOut: Set<String> = []

        var isEmpty: Bool { firstRow.isEmpty && leftOut.isEmpty }

        /// The account `id` names, when its first row became one.
        func account(_ id: String) -> Int? {
            guard let row = firstRow[id], accountOfRow[row] >= 0 else { return nil }
            return accountOfRow[row]
        }

        func isDeclared(_ id: String) -> Bool { firstRow[id] != nil || leftOut.contains(id) }
    }

    /// The valid accounts; `ids` receives every account id named, valid or not.
    private static func readAccounts(_ table: CSVTable, regions: [Region], declared: Set<String>?,
                                     ids: inout AccountIds, _ problems: inout DiagnosticCollector) -> [Account] {
        guard let columns = table.requireColumns(
            ["account_id", "hq_region", "revenue", "margin", "growth_potential"], into: &problems) else { return [] }
        let regionIndex = Dictionary(regions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let regionIds = declared.map { $0.sorted() } ?? regions.map(\.id)
        let idColumn = columns["account_id"]!, hqColumn = columns["hq_region"]!
        let revenueColumn = columns["revenue"], marginColumn = columns["margin"], growthColumn = columns["growth_potential"]
        let nameColumn = table.column("name"), centralColumn = table.column("central_share")
        let competitionColumn = table.column("competition"), fitColumn = table.column("fit")
        let currentColumn = table.column("current_tier")
        var accounts: [Account] = []
        accounts.reserveCapacity(table.rows.count)
        ids.firstRow.reserveCapacity(table.rows.count)
        ids.accountOfRow = [Int](repeating: -1, count: table.rows.count)
        ids.leftOut = Set(table.leftOutCells("account_id"))
        let rule = { (name: String) in KeySchema.accountColumn(name)!.rule }
        let (revenueRule, marginRule, growthRule) = (rule("revenue"), rule("margin"), rule("growth_potential"))
        let (centralRule, competitionRule, fitRule) = (rule("central_share"), rule("competition"), rule("fit"))
        for (position, row) in table.rows.enumerated() {
            let cells = CSVFieldReader(file: table.path, row: row, header: table.header)
            let id = cells.requiredText(idColumn, &problems)
            let hqText = cells.requiredText(hqColumn, &problems)
            let revenue = cells.number(revenueColumn, revenueRule, name: "revenue", &problems)
            let margin = cells.number(marginColumn, marginRule, name: "margin", &problems)
            let growth = cells.number(growthColumn, growthRule, name: "growth_potential", &problems)
            let central = cells.number(centralColumn, centralRule, default: 0, name: "central_share", &problems)
            let competition = cells.number(competitionColumn, competitionRule, default: 0, name: "competition", &problems)
            let fit = cells.number(fitColumn, fitRule, default: 1, name: "fit", &problems)
            var headquarters: Int?
            if let hqText {
                headquarters = regionIndex[hqText]
                if headquarters == nil, let declared, !declared.contains(hqText) {
                    problems.report(cells.location(hqColumn),
                                    "hq_region: unknown region '\(hqText)'\(suggestion(for: hqText, in: regionIds))")
                }
            }
            guard let id else { continue }
            guard isFirst(id, "account", at: cells.location(idColumn), keeping: position, in: &ids.firstRow,
                          line: { table.rows[$0].line }, &problems) else { continue }
            guard let headquarters, let revenue, let margin, let growth, let central, let competition, let fit
            else { continue }
            let name = cells.text(nameColumn)
            let current = cells.text(currentColumn)
            ids.accountOfRow[position] = accounts.count
            accounts.append(Account(
                id: id, name: name.isEmpty ? id : name, headquarters: headquarters, revenue: revenue,
                margin: margin, growthPotential: growth, centralShare: central, competition: competition,
                fit: fit, currentTier: current.isEmpty ? nil : current,
                source: SourceLocation(file: table.path, line: row.line,
                                       column: currentColumn.map { $0 + 1 } ?? 0)))
        }
        if table.rows.isEmpty { problems.report(SourceLocation(file: table.path), "has no accounts") }
        return accounts
    }

    /// The footprint rows whose cells have no problem of their own: their regions and numbers,
    /// one array each (a million broad accounts: 3.2 million rows, 38 MB so, while the files are
    /// still in memory). `region` is −1 for any other row, which ``readFootprint`` checks cell by
    /// cell as it reports; `currentFTE` is empty without the column.
    struct CheckedFootprintCells: Sendable {
        var region: [Int32] = []
        var share: [Double] = []
        var currentFTE: [Double] = []
    }

    /// Each row's cells checked as ``readFootprint`` checks them, without the accounts and
    /// without reporting (nil when a required column is missing): the rows ``readFootprint``
    /// need not check again.
    static func checkFootprintCells(_ table: CSVTable, regions: [Region]) -> CheckedFootprintCells? {
        guard let idColumn = table.column("account_id"), let regionColumn = table.column("region"),
              let shareColumn = table.column("share") else { return nil }
        let regionIndex = Dictionary(regions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let currentColumn = table.column("current_local_fte")
        var checked = CheckedFootprintCells()
        checked.region.reserveCapacity(table.rows.count)
        checked.share.reserveCapacity(table.rows.count)
        if currentColumn != nil { checked.currentFTE.reserveCapacity(table.rows.count) }
        for row in table.rows {
            let cells = CSVFieldReader(file: table.path, row: row, header: table.header)
            var unreported = DiagnosticCollector()
            let hasId = cells.requiredText(idColumn, &unreported) != nil
            let region = cells.requiredText(regionColumn, &unreported).flatMap { regionIndex[$0] }
            let share = cells.number(shareColumn, .fraction, name: "share", &unreported)
            let currentFTE = currentColumn.flatMap { cells.number($0, .nonNegative, name: "current_local_fte", &unreported) }
            let clean = hasId && share != nil && unreported.isEmpty
            checked.region.append(clean ? region.flatMap { Int32(exactly: $0) } ?? -1 : -1)
            checked.share.append(share ?? 0)
            if currentColumn != nil { checked.currentFTE.append(currentFTE ?? 0) }
        }
        return checked
    }

    private static func readFootprint(_ table: CSVTable, checked: CheckedFootprintCells?, regions: [Region], declared: Set<String>?,
                                      accountIds: AccountIds, accounts: inout [Account],
                                      _ problems: inout DiagnosticCollector) {
        guard let columns = table.requireColumns(["account_id", "region", "share"], into: &problems) else { return }
        let regionIndex = Dictionary(regions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let regionIds = declared.map { $0.sorted() } ?? regions.map(\.id)
        let idColumn = columns["account_id"]!, regionColumn = columns["region"]!, shareColumn = columns["share"]!
        // Each account's rows as a list threaded through one array (newest first), rather than
        // an array per account: a million accounts would mean a million small allocations.
        struct Entry { var region: Int; var line: Int; var share: Double; var currentFTE: Double?; var next: Int }
        var entries: [Entry] = []
        entries.reserveCapacity(table.rows.count)
        var newest = [Int](repeating: -1, count: accounts.count)
        // Accounts with a row pointing at a region whose own row is invalid: their shares
        // cannot be checked, and the region's problem is already reported.
        var incomplete = [Bool](repeating: false, count: accounts.count)
        let currentColumn = table.column("current_local_fte")
        var knownIds: [String]?
        for (position, row) in table.rows.enumerated() {
            let cells = CSVFieldReader(file: table.path, row: row, header: table.header)
            let accountId: String?, regionId: String?, share: Double?, currentFTE: Double?
            var account: Int?, region: Int?
            if let checked, checked.region[position] >= 0 {
                // Cells already checked: nothing to report of them, the region known.
                (accountId, regionId, share) = (cells.text(idColumn), nil, checked.share[position])
                currentFTE = checked.currentFTE.isEmpty ? nil : checked.currentFTE[position]
                region = Int(checked.region[position])
            } else {
                accountId = cells.requiredText(idColumn, &problems)
                regionId = cells.requiredText(regionColumn, &problems)
                share = cells.number(shareColumn, .fraction, name: "share", &problems)
                currentFTE = currentColumn.flatMap { cells.number($0, .nonNegative, name: "current_local_fte", &problems) }
            }
            if let accountId {
                account = accountIds.account(accountId)
                if account == nil, !accountIds.isDeclared(accountId) {
                    if knownIds == nil { knownIds = accounts.map(\.id) }
                    problems.report(cells.location(idColumn),
                                    "account_id: unknown account '\(accountId)'\(suggestion(for: accountId, in: knownIds!))")
                }
            }
            if let regionId {
                region = regionIndex[regionId]
                if region == nil, let declared, !declared.contains(regionId) {
                    problems.report(cells.location(regionColumn),
                                    "region: unknown region '\(regionId)'\(suggestion(for: regionId, in: regionIds))")
                }
            }
            if let account, region == nil || share == nil { incomplete[account] = true }
            guard let account, let region, let share else { continue }
            var earlier = newest[account]
            while earlier >= 0 && entries[earlier].region != region { earlier = entries[earlier].next }
            if earlier >= 0 {
                problems.report(cells.location(regionColumn),
                                "account '\(accounts[account].id)' in region '\(regions[region].id)' already listed on line \(entries[earlier].line)")
                incomplete[account] = true
                continue
            }
            entries.append(Entry(region: region, line: row.line, share: share, currentFTE: currentFTE, next: newest[account]))
            newest[account] = entries.count - 1
        }
        for index in accounts.indices where newest[index] >= 0 && !incomplete[index] {
            var shares: [FootprintShare] = []
            var lastLine = 0
            var entry = newest[index]
            while entry >= 0 {
                let listed = entries[entry]
                lastLine = max(lastLine, listed.line)
                if listed.share > 0 {
                    shares.append(FootprintShare(region: listed.region, share: listed.share, currentLocalFTE: listed.currentFTE))
                }
                entry = listed.next
            }
            shares.reverse()
            // Summed in file order, so that the total (and its message) is the one a reader gets.
            let total = shares.reduce(0) { $0 + $1.share }
            if abs(total - 1) > 1e-6 {
                problems.report(SourceLocation(file: table.path, line: lastLine, column: shareColumn + 1),
                                "shares of account '\(accounts[index].id)' add up to \(formatShort(total)), expected 1")
                continue
            }
            accounts[index].footprint = shares.sorted { $0.region < $1.region }
        }
    }
}

