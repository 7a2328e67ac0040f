// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
import Synchronization
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
        let parsed = Mutex([String: Result<CSVTable, any Error>]())
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            let path = (folder as NSString).appendingPathComponent(names[index])
            let table = Result { try CSVTable(path: path, displayName: path) }
            parsed.withLock { $0[names[index]] = table }
        }
        let tables = parsed.withLock { $0 }
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
        var declaredAccounts: Set<String> = []
        var accounts = accountTable.map {
            readAccounts($0, regions: regions, declared: checkRegions ? declaredRegions : nil,
                         declaredAccounts: &declaredAccounts, &problems)
        } ?? []
        if let accountTable {
            readCurrentGAMs(accountTable, gams: gams, hasGAMFile: gamTable != nil, declaredGAMs: declaredGAMs,
                            accounts: &accounts, &problems)
        }
        if let footprintTable, !declaredAccounts.isEmpty {
            readFootprint(footprintTable, regions: regions, declared: checkRegions ? declaredRegions : nil,
                          declaredAccounts: declaredAccounts, accounts: &accounts, &problems)
        }
        try problems.throwIfAny()
        return Dataset(accounts: accounts, regions: regions, gams: gams)
    }

    /// Whether `id` is seen for the first time; a repeat is reported with the line of the first.
    static func isFirst(_ id: String, _ what: String, at location: SourceLocation, _ firstLine: inout [String: Int],
                                _ problems: inout DiagnosticCollector) -> Bool {
        // One hash in the usual case: insert, and put the first line back for a duplicate.
        if let earlier = firstLine.updateValue(location.line, forKey: id) {
            firstLine[id] = earlier
            problems.report(location, "\(what) '\(id)' already defined on line \(earlier)")
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

    /// The valid accounts; `declaredAccounts` receives every account id named, valid or not.
    private static func readAccounts(_ table: CSVTable, regions: [Region], declared: Set<String>?,
                                     declaredAccounts: inout Set<String>,
                                     _ problems: inout DiagnosticCollector) -> [Account] {
        guard let columns = table.requireColumns(
            ["account_id", "hq_region", "revenue", "margin", "growth_potential"], into: &problems) else { return [] }
        let regionIndex = Dictionary(regions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let regionIds = declared.map { $0.sorted() } ?? regions.map(\.id)
        let nameColumn = table.column("name"), centralColumn = table.column("central_share")
        let competitionColumn = table.column("competition"), fitColumn = table.column("fit")
        let currentColumn = table.column("current_tier")
        var accounts: [Account] = []
        var firstLine: [String: Int] = [:]
        accounts.reserveCapacity(table.rows.count)
        firstLine.reserveCapacity(table.rows.count)
        declaredAccounts.reserveCapacity(table.rows.count)
        declaredAccounts.formUnion(table.leftOutCells("account_id"))
        let rule = { (name: String) in KeySchema.accountColumn(name)!.rule }
        let (revenueRule, marginRule, growthRule) = (rule("revenue"), rule("margin"), rule("growth_potential"))
        let (centralRule, competitionRule, fitRule) = (rule("central_share"), rule("competition"), rule("fit"))
        for row in table.rows {
            let cells = CSVFieldReader(file: table.path, row: row, header: table.header)
            let id = cells.requiredText(columns["account_id"]!, &problems)
            let hqText = cells.requiredText(columns["hq_region"]!, &problems)
            let revenue = cells.number(columns["revenue"], revenueRule, name: "revenue", &problems)
            let margin = cells.number(columns["margin"], marginRule, name: "margin", &problems)
            let growth = cells.number(columns["growth_potential"], growthRule, name: "growth_potential", &problems)
            let central = cells.number(centralColumn, centralRule, default: 0, name: "central_share", &problems)
            let competition = cells.number(competitionColumn, competitionRule, default: 0, name: "competition", &problems)
            let fit = cells.number(fitColumn, fitRule, default: 1, name: "fit", &problems)
            var headquarters: Int?
            if let hqText {
                headquarters = regionIndex[hqText]
                if headquarters == nil, let declared, !declared.contains(hqText) {
                    problems.report(cells.location(columns["hq_region"]!),
                                    "hq_region: unknown region '\(hqText)'\(suggestion(for: hqText, in: regionIds))")
                }
            }
            guard let id else { continue }
            declaredAccounts.insert(id)
            guard isFirst(id, "account", at: cells.location(columns["account_id"]!), &firstLine, &problems) else { continue }
            guard let headquarters, let revenue, let margin, let growth, let central, let competition, let fit
            else { continue }
            let name = cells.text(nameColumn)
            let current = cells.text(currentColumn)
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

    private static func readFootprint(_ table: CSVTable, regions: [Region], declared: Set<String>?,
                                      declaredAccounts: Set<String>, accounts: inout [Account],
                                      _ problems: inout DiagnosticCollector) {
        guard let columns = table.requireColumns(["account_id", "region", "share"], into: &problems) else { return }
        let regionIndex = Dictionary(regions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let accountIndex = Dictionary(accounts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let regionIds = declared.map { $0.sorted() } ?? regions.map(\.id), accountIds = accounts.map(\.id)
        var shares = [[FootprintShare]](repeating: [], count: accounts.count)
        var hasRows = [Bool](repeating: false, count: accounts.count)
        var lastLine = [Int](repeating: 0, count: accounts.count)
        // Per account, the regions listed so far and on which line (a few each: a list is cheaper
        // than hashing a key per row).
        var seen = [[(region: Int, line: Int)]](repeating: [], count: accounts.count)
        // Accounts with a row pointing at a region whose own row is invalid: their shares
        // cannot be checked, and the region's problem is already reported.
        var incomplete = [Bool](repeating: false, count: accounts.count)
        let currentColumn = table.column("current_local_fte")
        for row in table.rows {
            let cells = CSVFieldReader(file: table.path, row: row, header: table.header)
            let accountId = cells.requiredText(columns["account_id"]!, &problems)
            let regionId = cells.requiredText(columns["region"]!, &problems)
            let share = cells.number(columns["share"], .fraction, name: "share", &problems)
            let currentFTE = currentColumn.flatMap { cells.number($0, .nonNegative, name: "current_local_fte", &problems) }
            var account: Int?, region: Int?
            if let accountId {
                account = accountIndex[accountId]
                if account == nil, !declaredAccounts.contains(accountId) {
                    problems.report(cells.location(columns["account_id"]!),
                                    "account_id: unknown account '\(accountId)'\(suggestion(for: accountId, in: accountIds))")
                }
            }
            if let regionId {
                region = regionIndex[regionId]
                if region == nil, let declared, !declared.contains(regionId) {
                    problems.report(cells.location(columns["region"]!),
                                    "region: unknown region '\(regionId)'\(suggestion(for: regionId, in: regionIds))")
                }
            }
            if let account, region == nil || share == nil { incomplete[account] = true }
            guard let account, let region, let share else { continue }
            if let earlier = seen[account].first(where: { $0.region == region }) {
                problems.report(cells.location(columns["region"]!),
                                "account '\(accounts[account].id)' in region '\(regions[region].id)' already listed on line \(earlier.line)")
                incomplete[account] = true
                continue
            }
            seen[account].append((region, row.line))
            hasRows[account] = true
            lastLine[account] = max(lastLine[account], row.line)
            if share > 0 { shares[account].append(FootprintShare(region: region, share: share, currentLocalFTE: currentFTE)) }
        }
        for index in accounts.indices where hasRows[index] && !incomplete[index] {
            let total = shares[index].reduce(0) { $0 + $1.share }
            if abs(total - 1) > 1e-6 {
                problems.report(SourceLocation(file: table.path, line: lastLine[index], column: columns["share"]! + 1),
                                "shares of account '\(accounts[index].id)' add up to \(formatShort(total)), expected 1")
                continue
            }
            accounts[index].footprint = shares[index].sorted { $0.region < $1.region }
        }
    }
}

