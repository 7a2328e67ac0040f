// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import OutputFiles
internal import TOML
public import InputFiles

/// A change laid over the inputs: `--set section.key=value` (for a tier, `tier.ID.key=value`;
/// for data, `regions.ID.column` and `accounts.ID.column`, `accounts.*.column`), `--budget`,
/// or a line of a scenario file's `[set]`. The value is text as the user wrote it
/// (``ChangeValue``: set, add, scale, none); `source` says where, for messages.
public struct ModelOverride: Sendable, Hashable {
    public var path: [String]
    public var valueText: String
    public var source: SourceLocation

    /// Parses `section.key=value`; nil when the text has no `=` or no key.
    public init?(_ text: String, source: SourceLocation = SourceLocation(file: "--set")) {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let key = text[..<equals].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !key.isEmpty, path.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.path = path
        self.valueText = value
        self.source = source
    }

    public init(path: [String], valueText: String, source: SourceLocation = SourceLocation(file: "--set")) {
        self.path = path
        self.valueText = valueText
        self.source = source
    }

    /// The key as written (`limits.budget`).
    public var key: String { path.joined(separator: ".") }

    /// A change of a data column (`regions.…`, `accounts.…`) rather than of the model file.
    public var isDataChange: Bool { path.first == "regions" || path.first == "accounts" || path.first == "gams" }
}

extension AllocationModel {
    /// Reads and validates a model file, applying `overrides` and `pins` (command line) first.
    public static func read(from path: String, overrides: [ModelOverride] = [], pins: [TierPin] = []) throws -> AllocationModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw InputError([InputDiagnostic(SourceLocation(file: path), exists ? "cannot be read" : "model file not found")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError([InputDiagnostic(SourceLocation(file: path), "not valid UTF-8 text")])
        }
        return try parse(text, file: path, overrides: overrides, pins: pins)
    }

    /// Parses and validates model-file text; `file` names it in messages.
    public static func parse(_ text: String, file: String = "model.toml", overrides: [ModelOverride] = [],
                             pins: [TierPin] = []) throws -> AllocationModel {
        var (tree, positions) = try TOMLValue.parseTOMLWithPositions(text, file: file)
        let locator = KeyLocations(positions)
        var problems = DiagnosticCollector()
        var overridden: Set<String> = []
        for change in overrides {
            do {
                try ModelDecoder.apply(change, to: &tree)
                overridden.insert(change.path.joined(separator: "."))
            } catch let error as InputError {
                problems.absorb(error)
            }
        }
        var decoder = ModelDecoder(file: file, overridden: overridden, locator: locator)
        let model = decoder.decode(tree)
        problems.absorb(InputError(decoder.problems.diagnostics, omitted: decoder.problems.omitted))
        try problems.throwIfAny()
        var result = model!
        try result.validate(file: file, locator: decoder.locator)
        for pin in pins {
            if result.tierIndex(of: pin.tier) == nil {
                problems.report(pin.source ?? SourceLocation(file: "--pin"),
                                "\(pin.account)=\(pin.tier): unknown tier '\(pin.tier)'\(suggestion(for: pin.tier, in: result.tiers.map(\.id)))")
            } else if let gam = pin.gam, let t = result.tierIndex(of: pin.tier), !result.tiers[t].isGlobal {
                problems.report(pin.source ?? SourceLocation(file: "--pin"),
                                "\(pin.account)=\(pin.tier)@\(gam): a pin that names a GAM needs a global tier; '\(pin.tier)' has gam_fte 0")
            }
            result.pins.removeAll { $0.account == pin.account }
            result.pins.append(pin)
        }
        try problems.throwIfAny()
        return result
    }

    /// Checks the rules of the specification that involve the model alone. Messages start with
    /// the key path; `locator` (the model file's text) adds line and column.
    /// The most breakpoints `response.breakpoints` may have.
    public static let maximumBreakpoints = 50

    public func validate(file: String = "model.toml") throws {
        try validate(file: file, locator: nil)
    }

    func validate(file: String, locator: KeyLocations?) throws {
        var problems = DiagnosticCollector()
        func report(_ path: String, _ message: String) {
            let position = locator?.position(of: path)
            problems.report(SourceLocation(file: file, line: position?.line ?? 0, column: position?.column ?? 0),
                            "\(path): \(message)")
        }
        if tiers.isEmpty { report("tier", "at least one [[tier]] is required") }
        if breakpoints.isEmpty { report("response.breakpoints", "at least one breakpoint is required") }
        if breakpoints.count > Self.maximumBreakpoints {
            report("response.breakpoints", "\(breakpoints.count) breakpoints; at most \(Self.maximumBreakpoints) are accepted (each adds a variable per account and region)")
        }
        for (k, point) in breakpoints.enumerated().prefix(Self.maximumBreakpoints + 1) {
            if !(point > 0) { report("response.breakpoints", "every breakpoint must be > 0, found \(formatShort(point))") }
            if k > 0, !(point > breakpoints[k - 1]) {
                report("response.breakpoints", "breakpoints must increase, found \(formatShort(breakpoints[k - 1])) then \(formatShort(point))")
            }
        }
        let lastBreakpoint = breakpoints.last ?? 0
        var seen: Set<String> = []
        for (position, tier) in tiers.enumerated() {
            let path = tier.id.isEmpty ? "tier[\(position + 1)]" : "tier.\(tier.id)"
            if tier.id.isEmpty { report("\(path).id", "a tier id must not be empty") }
            if let problem = Identifier.lengthProblem(tier.id) { report("tier[\(position + 1)].id", problem) }
            if let problem = CSVTable.controlCharacterProblem(tier.id, lineBreaks: false) {
                report("tier[\(position + 1)].id", problem.replacingOccurrences(of: "in the cell", with: "in the id"))
            }
            if !seen.insert(tier.id).inserted { report("tier[\(position + 1)].id", "duplicate tier id '\(tier.id)'") }
            for key in KeySchema.keys where key.section == "tier" && key.isNumeric {
                if let value = key.get(self, position), let problem = key.problem(value) { report("\(path).\(key.name)", problem) }
            }
            if tier.minLocalCoverage > lastBreakpoint, !breakpoints.isEmpty {
                report("\(path).min_local_coverage", "\(formatShort(tier.minLocalCoverage)) exceeds the last breakpoint \(formatShort(lastBreakpoint)); effort beyond it is not allowed")
            }
        }
        for key in KeySchema.keys where key.section != "tier" && key.isNumeric {
            if let value = key.get(self, 0), let problem = key.problem(value) { report(key.path, problem) }
        }
        validateRoadmap(report)
        if let band = limits.globalShare, band.lowerBound < 0 || band.upperBound > 1 {
            report("limits.global_share", "both ends must be fractions from 0 to 1, found [\(formatShort(band.lowerBound)), \(formatShort(band.upperBound))]")
        }
        var pinned: [String: String] = [:]
        for (position, pin) in pins.enumerated() {
            let path = "pin[\(position + 1)]"
            if tierIndex(of: pin.tier) == nil {
                report("\(path).tier", "unknown tier '\(pin.tier)'\(suggestion(for: pin.tier, in: tiers.map(\.id)))")
            }
            if pin.gam != nil, let t = tierIndex(of: pin.tier), !tiers[t].isGlobal {
                report("\(path).gam", "a pin that names a GAM needs a global tier; '\(pin.tier)' has gam_fte 0")
            }
            if let earlier = pinned[pin.account], earlier != pin.tier {
                report("\(path).account", "account '\(pin.account)' is pinned twice, to '\(earlier)' and '\(pin.tier)'")
            }
            pinned[pin.account] = pin.tier
        }
        try problems.throwIfAny()
    }
}

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
