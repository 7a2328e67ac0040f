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

