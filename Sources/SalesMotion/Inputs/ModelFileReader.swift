// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import OutputFiles
internal import TOML
internal import InputFiles

/// Turns a ``TOMLValue`` tree into an ``AllocationModel``, reporting every type error and
/// unknown key with its key path.
struct ModelDecoder {
    static let sections = KeySchema.sections
    static let tierKeys = KeySchema.tierKeys
    static let pinKeys = KeySchema.pinKeys

    let file: String
    let overridden: Set<String>
    private(set) var locator: KeyLocations?
    var problems = DiagnosticCollector()

    init(file: String, overridden: Set<String>, locator: KeyLocations? = nil) {
        self.file = file
        self.overridden = overridden
        self.locator = locator
    }

    private mutating func report(_ path: String, _ message: String) {
        if overridden.contains(path) {
            problems.report(SourceLocation(file: "--set"), "\(path): \(message)")
            return
        }
        let position = locator?.position(of: path)
        problems.report(SourceLocation(file: file, line: position?.line ?? 0, column: position?.column ?? 0),
                        "\(path): \(message)")
    }

    /// Applies one override to the tree; a tier is addressed by its id (`tier.total.gam_fte`).
    /// Relative values (`+2`, `-15%`) change the value the tree holds, or the key's default.
    static func apply(_ change: ModelOverride, to tree: inout TOMLValue) throws {
        let path = change.path
        let joined = change.key
        func fail(_ message: String) -> InputError {
            InputError([InputDiagnostic(change.source, "\(joined): \(message)")])
        }
        guard case .table(var root) = tree else { return }
        /// The new TOML value of `key`, whose entry in the tree is `current`.
        func newValue(_ key: KeySchema.Key, current: TOMLValue?, tier: Int?) throws -> TOMLValue? {
            let value: ChangeValue
            do {
                value = try ChangeValue(change.valueText, key: joined, percentIsFraction: key.percentIsFraction)
            } catch {
                throw InputError([InputDiagnostic(change.source, error.message)])
            }
            switch value {
            case .remove:
                guard tier == nil, key.limit != nil || key.kind == .band else {
                    throw fail("none removes an optional limit; this key needs a value")
                }
                return nil
            case .other(let text): return TOMLValue.parseOverride(text)
            case .set, .add, .scale:
                // A relative change of a year-by-year key changes every year's value.
                if value.isRelative, case .array(let items)? = current, AllocationModel.takesYearValues(key) {
                    return .array(try items.map { item in
                        let year = try newValue(key, current: item, tier: tier)
                        guard let year else { throw fail("none removes an optional limit; it cannot be a year's value") }
                        return year
                    })
                }
                var now: Double?
                switch current {
                case .integer(let number)?: now = Double(number)
                case .float(let number)?: now = number
                case nil: now = key.get(AllocationModel(tiers: []), 0)
                default: now = nil
                }
                if tier != nil && current == nil { now = nil }
                let resolved: Double?
                do { resolved = try value.resolved(from: now, key: joined) } catch { throw fail(String(error.message.dropFirst(joined.count + 2))) }
                guard let number = resolved else { return nil }
                if key.kind == .count && value.isRelative { return .integer(Int(exactly: number.rounded(.down)) ?? Int.max) }
                return .float(number)
            }
        }
        if path.count == 3, path[0] == "tier" {
            guard tierKeys.contains(path[2]), let key = KeySchema.key("tier", path[2]) else {
                throw fail("unknown tier key '\(path[2])'\(suggestion(for: path[2], in: tierKeys))")
            }
            guard case .array(var tiers)? = root["tier"] else { throw fail("the model file has no [[tier]]") }
            let ids = tiers.compactMap { tier -> String? in
                if case .table(let entries) = tier, case .string(let id)? = entries["id"] { return id }
                return nil
            }
            guard let position = tiers.firstIndex(where: {
                if case .table(let entries) = $0, case .string(let id)? = entries["id"] { return id == path[1] }
                return false
            }), case .table(var entries) = tiers[position] else {
                throw fail("no tier '\(path[1])'\(suggestion(for: path[1], in: ids))")
            }
            entries[path[2]] = try newValue(key, current: entries[path[2]], tier: position)
            tiers[position] = .table(entries)
            root["tier"] = .array(tiers)
        } else if path.count == 2, let keys = sections[path[0]] {
            guard keys.contains(path[1]), let key = KeySchema.key(path[0], path[1]) else {
                throw fail("unknown key '\(path[1])' in [\(path[0])]\(suggestion(for: path[1], in: keys))")
            }
            var section: [String: TOMLValue] = [:]
            if case .table(let existing)? = root[path[0]] { section = existing }
            section[path[1]] = try newValue(key, current: section[path[1]], tier: nil)
            root[path[0]] = .table(section)
        } else {
            throw fail("unknown key; use section.key (\(sections.keys.sorted().joined(separator: ", "))), tier.ID.key, regions.ID.column, accounts.ID.column or gams.ID.column")
        }
        tree = .table(root)
    }

    mutating func decode(_ tree: TOMLValue) -> AllocationModel? {
        guard case .table(let root) = tree else { return nil }
        let known = Array(Self.sections.keys) + ["tier", "pin"]
        for key in root.keys.sorted() where !known.contains(key) {
            report(key, "unknown section\(suggestion(for: key, in: known))")
        }
        var model = AllocationModel(tiers: [])
        for name in KeySchema.sectionOrder {
            guard let entries = section(name, root) else { continue }
            if name == "roadmap" && model.roadmap == nil { model.roadmap = RoadmapSettings() }
            for key in KeySchema.keys where key.section == name && entries[key.name] != nil {
                decode(key, from: entries, into: &model)
            }
        }
        for (position, entries) in arrayOfTables("tier", root).enumerated() {
            decodeTier(entries, position: position, into: &model)
        }
        for (position, entries) in arrayOfTables("pin", root).enumerated() {
            let path = "pin[\(position + 1)]"
            checkKeys(entries, Self.pinKeys, path)
            let account = text(path, "account", entries, required: true)
            let tier = text(path, "tier", entries, required: true)
            let gam = text(path, "gam", entries, required: false)
            if let account, let tier {
                let position = locator?.position(of: "\(path).account")
                model.pins.append(TierPin(account: account, tier: tier, gam: gam,
                                          source: SourceLocation(file: file, line: position?.line ?? 0, column: position?.column ?? 0)))
            }
        }
        return model
    }

    /// Decodes one key of a section by its kind and stores it in `model`.
    private mutating func decode(_ key: KeySchema.Key, from entries: [String: TOMLValue], into model: inout AllocationModel) {
        if AllocationModel.takesYearValues(key), case .array(let items)? = entries[key.name] {
            decodeYearValues(key, items, into: &model)
            return
        }
        switch key.kind {
        case .amount: if let value = number(key.section, key.name, entries) { key.set(&model, 0, value) }
        case .count: if let value = integer(key.section, key.name, entries) { key.set(&model, 0, Double(value)) }
        case .table: decodeCapacities(entries[key.name], into: &model)
        case .band: decodeBand(key, entries, into: &model)
        case .list: if let points = numbers(key.section, key.name, entries) { model.breakpoints = points }
        case .text: break
        }
    }

    /// A key given year by year (`budget = [28e6, 30e6, 33e6]`; for the global-share band, an
    /// array of `[low, high]` pairs): year 1's value in the model's field, every year's in
    /// ``AllocationModel/yearValues`` (lengths are checked against `[roadmap] years` later).
    private mutating func decodeYearValues(_ key: KeySchema.Key, _ items: [TOMLValue], into model: inout AllocationModel) {
        if key.kind == .band {
            if case .array? = items.first {
                var bands: [ClosedRange<Double>] = []
                for (year, item) in items.enumerated() {
                    guard let band = numbers(key.section, key.name, [key.name: item]) else { return }
                    guard band.count == 2, band[0] <= band[1] else {
                        report(key.path, "year \(year + 1): expected [low, high] with low ≤ high, found \(band.count == 2 ? "[\(formatShort(band[0])), \(formatShort(band[1]))]" : "\(band.count) numbers")")
                        return
                    }
                    bands.append(band[0]...band[1])
                }
                model.yearBands = bands
                if let first = bands.first { model.limits.globalShare = first }
            } else {
                decodeBand(key, [key.name: .array(items)], into: &model)
            }
            return
        }
        var values: [Double] = []
        for item in items {
            let single = [key.name: item]
            let value = key.kind == .count ? integer(key.section, key.name, single).map(Double.init) : number(key.section, key.name, single)
            guard let value else { return }
            values.append(value)
        }
        model.yearValues[key.path] = values
        if let first = values.first { key.set(&model, 0, first) }
    }

    /// The global-share band, one `[low, high]` for every year.
    private mutating func decodeBand(_ key: KeySchema.Key, _ entries: [String: TOMLValue], into model: inout AllocationModel) {
        guard let band = numbers(key.section, key.name, entries) else { return }
        if band.count != 2 {
            report(key.path, "expected two numbers [low, high], found \(band.count)")
        } else if band[0] > band[1] {
            report(key.path, "the low end \(formatShort(band[0])) exceeds the high end \(formatShort(band[1]))")
        } else {
            model.limits.globalShare = band[0]...band[1]
        }
    }

    /// `[roadmap.local_capacity_fte]`: region id → one number, or one per year.
    private mutating func decodeCapacities(_ value: TOMLValue?, into model: inout AllocationModel) {
        guard let value else { return }
        guard case .table(let entries) = value else {
            report("roadmap.local_capacity_fte", "expected a table [roadmap.local_capacity_fte] of region = capacity, found \(value.typeDescription)")
            return
        }
        var capacities: [RoadmapSettings.RegionCapacity] = []
        for region in entries.keys.sorted() {
            let path = "roadmap.local_capacity_fte.\(region)"
            let position = locator?.position(of: path)
            let source = SourceLocation(file: file, line: position?.line ?? 0, column: position?.column ?? 0)
            var values: [Double] = []
            if case .array(let items)? = entries[region] {
                for item in items {
                    guard let number = number("roadmap.local_capacity_fte", region, [region: item]) else { return }
                    values.append(number)
                }
            } else if let number = number("roadmap.local_capacity_fte", region, entries) {
                values = [number]
            } else {
                continue
            }
            capacities.append(RoadmapSettings.RegionCapacity(region: region, values: values, source: source))
        }
        // In the order of the file: sorted by where each entry starts.
        capacities.sort { ($0.source.line, $0.source.column) < ($1.source.line, $1.source.column) }
        model[roadmap: RoadmapSettings()].localCapacity = capacities
    }

    /// Decodes one `[[tier]]` and appends it to `model` when every required key is there.
    private mutating func decodeTier(_ entries: [String: TOMLValue], position: Int, into model: inout AllocationModel) {
        let id = text("tier[\(position + 1)]", "id", entries, required: true)
        if let id { locator?.alias("tier.\(id)", to: "tier[\(position + 1)]") }
        let path = id.map { "tier.\($0)" } ?? "tier[\(position + 1)]"
        checkKeys(entries, Self.tierKeys, path)
        var values: [(KeySchema.Key, Double)] = []
        var complete = id != nil
        for key in KeySchema.keys where key.section == "tier" && key.isNumeric {
            let value = key.kind == .count ? integer(path, key.name, entries).map(Double.init) : number(path, key.name, entries)
            if let value {
                values.append((key, value))
            } else if key.required {
                if entries[key.name] == nil { report("\(path).\(key.name)", "required key is missing") }
                complete = false
            }
        }
        guard complete, let id else { return }
        model.tiers.append(CoverageTier(id: id, gamFTE: 0, centralFTE: 0, execHours: 0, protection: 0, centralReach: 0,
                                        minLocalCoverage: 0))
        for (key, value) in values { key.set(&model, model.tiers.count - 1, value) }
    }

    private mutating func section(_ name: String, _ root: [String: TOMLValue]) -> [String: TOMLValue]? {
        guard let value = root[name] else { return nil }
        guard case .table(let entries) = value else {
            report(name, "expected a table [\(name)], found \(value.typeDescription)")
            return nil
        }
        checkKeys(entries, Self.sections[name] ?? [], name)
        return entries
    }

    private mutating func arrayOfTables(_ name: String, _ root: [String: TOMLValue]) -> [[String: TOMLValue]] {
        guard let value = root[name] else { return [] }
        guard case .array(let items) = value else {
            report(name, "expected [[\(name)]] entries, found \(value.typeDescription)")
            return []
        }
        var tables: [[String: TOMLValue]] = []
        for (position, item) in items.enumerated() {
            if case .table(let entries) = item { tables.append(entries) } else {
                report("\(name)[\(position + 1)]", "expected a table, found \(item.typeDescription)")
            }
        }
        return tables
    }

    private mutating func checkKeys(_ entries: [String: TOMLValue], _ known: [String], _ path: String) {
        for key in entries.keys.sorted() where !known.contains(key) {
            report("\(path).\(key)", "unknown key\(suggestion(for: key, in: known))")
        }
    }

    private mutating func number(_ path: String, _ key: String, _ entries: [String: TOMLValue]) -> Double? {
        guard let value = entries[key] else { return nil }
        switch value {
        case .integer(let number) where abs(Double(number)) <= NumberSyntax.largest: return Double(number)
        case .float(let number) where number.isFinite && abs(number) <= NumberSyntax.largest: return number
        case .float(let number) where number.isNaN:
            report("\(path).\(key)", "nan is not a number; give a value")
            return nil
        case .float(let number) where number.isInfinite:
            report("\(path).\(key)", "\(number < 0 ? "-" : "")inf is not a finite number; give a value up to 1e15 (or leave the key out where that means no limit)")
            return nil
        case .integer, .float:
            report("\(path).\(key)", "\(value.typeDescription) is too large; values up to 1e15 are accepted")
            return nil
        default:
            var hint = ""
            if case .string(let text) = value, NumberSyntax.amount(text) != nil {
                hint = " (write it unquoted, e.g. 12_000_000 or 1.2e7)"
            }
            report("\(path).\(key)", "expected a number, found \(value.typeDescription)\(hint)")
            return nil
        }
    }

    private mutating func integer(_ path: String, _ key: String, _ entries: [String: TOMLValue]) -> Int? {
        guard let value = number(path, key, entries) else { return nil }
        guard value == value.rounded() else {
            report("\(path).\(key)", "expected a whole number, found \(formatShort(value))")
            return nil
        }
        guard abs(value) < NumberSyntax.largest else {
            report("\(path).\(key)", "\(SummaryText.amount(value)) is too large for a count; whole numbers below 1e15 are accepted")
            return nil
        }
        return Int(value)
    }

    private mutating func numbers(_ path: String, _ key: String, _ entries: [String: TOMLValue]) -> [Double]? {
        guard let value = entries[key] else { return nil }
        guard case .array(let items) = value else {
            report("\(path).\(key)", "expected an array of numbers, found \(value.typeDescription)")
            return nil
        }
        var result: [Double] = []
        for item in items {
            switch item {
            case .integer(let number): result.append(Double(number))
            case .float(let number) where number.isFinite: result.append(number)
            default:
                report("\(path).\(key)", "expected an array of numbers, found \(item.typeDescription) in it")
                return nil
            }
        }
        return result
    }

    private mutating func text(_ path: String, _ key: String, _ entries: [String: TOMLValue], required: Bool) -> String? {
        guard let value = entries[key] else {
            if required { report("\(path).\(key)", "required key is missing") }
            return nil
        }
        guard case .string(let text) = value else {
            report("\(path).\(key)", "expected text, found \(value.typeDescription)")
            return nil
        }
        return text
    }
}
