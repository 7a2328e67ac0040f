// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import InputFiles
internal import TOML

/// A scenario file (`scenarios.md`, "Scenario files"): a name, a description, an optional base
/// scenario to start from, changes (`[set]`, any key `--set` takes) and pins (`[[pin]]`).
///
/// The changes of the base chain come first, oldest base first, then the file's own in the
/// order they are written; each keeps the file, line and column it was written at, so every
/// problem found later (an unknown key, id or column, a value that cannot be meant) points
/// there.
public struct Scenario: Sendable {
    /// The folder name of the scenario's runs: `name`, or the file name without `.toml`.
    public var name: String
    public var description: String?
    /// The file as given.
    public var file: String
    public var overrides: [ModelOverride]
    public var pins: [TierPin]

    /// The keys a scenario file may have at its top level.
    static let topLevelKeys = ["name", "description", "base", "set", "pin"]
    /// How many base files a chain may go through.
    static let maximumBaseDepth = 32

    /// Reads a scenario file and its bases; ``InputError`` locates every problem.
    public static func read(_ path: String) throws -> Scenario {
        try read(path, chain: [])
    }

    private static func read(_ path: String, chain: [(file: String, location: SourceLocation)]) throws -> Scenario {
        let resolved = (path as NSString).standardizingPath
        let identity = URL(fileURLWithPath: resolved).resolvingSymlinksInPath().path
        if let loop = chain.firstIndex(where: { URL(fileURLWithPath: $0.file).resolvingSymlinksInPath().path == identity }) {
            let names = chain[loop...].map(\.file) + [path]
            throw InputError([InputDiagnostic(chain.last!.location, "base: a cycle of scenario files (\(names.joined(separator: " → ")))")])
        }
        guard chain.count <= maximumBaseDepth else {
            throw InputError([InputDiagnostic(chain.last!.location, "base: more than \(maximumBaseDepth) scenario files deep")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            let message = exists ? "cannot be read" : "scenario file not found"
            if let from = chain.last { throw InputError([InputDiagnostic(from.location, "base: \(path): \(message)")]) }
            throw InputError([InputDiagnostic(SourceLocation(file: path), message)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError([InputDiagnostic(SourceLocation(file: path), "not valid UTF-8 text")])
        }
        let (tree, positions) = try TOMLValue.parseTOMLWithPositions(text, file: path)
        let locator = KeyLocations(positions)
        func at(_ keyPath: String) -> SourceLocation {
            let position = locator.position(of: keyPath)
            return SourceLocation(file: path, line: position?.line ?? 0, column: position?.column ?? 0)
        }
        var problems = DiagnosticCollector()
        guard case .table(let root) = tree else { throw InputError([InputDiagnostic(SourceLocation(file: path), "not a table")]) }
        for key in root.keys.sorted() where !topLevelKeys.contains(key) {
            problems.report(at(key), "\(key): unknown key\(suggestion(for: key, in: topLevelKeys)); a scenario has \(topLevelKeys.joined(separator: ", "))")
        }
        func string(_ key: String) -> String? {
            guard let value = root[key] else { return nil }
            guard case .string(let string) = value else {
                problems.report(at(key), "\(key): expected a string, found \(value.typeDescription)")
                return nil
            }
            return string
        }
        let fileName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = string("name") ?? fileName
        if let problem = folderNameProblem(name) { problems.report(at(root["name"] == nil ? "" : "name"), "name: \(problem)") }
        let description = string("description")
        var overrides: [ModelOverride] = []
        var pins: [TierPin] = []
        if let base = string("base") {
            let basePath = base.hasPrefix("/") ? base : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(base)
            do {
                let parent = try read(basePath, chain: chain + [(resolved, at("base"))])
                overrides = parent.overrides
                pins = parent.pins
            } catch let error as InputError {
                problems.absorb(error)
            }
        }
        if let set = root["set"] {
            if case .table(let entries) = set {
                let ordered = entries.keys.map { key in (key, at("set.\(key)")) }.sorted {
                    ($0.1.line, $0.1.column, $0.0) < ($1.1.line, $1.1.column, $1.0)
                }
                for (key, location) in ordered {
                    guard let valueText = changeText(entries[key]!) else {
                        problems.report(location, "\(key): expected a number, an amount or change as a string (\"-15%\", \"+2\", \"18M\"), \"none\" or a band, found \(entries[key]!.typeDescription)")
                        continue
                    }
                    let keyPath = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                    guard keyPath.count >= 2, keyPath.allSatisfy({ !$0.isEmpty }) else {
                        problems.report(location, "\(key): expected section.key, tier.ID.key, regions.ID.column or accounts.ID.column")
                        continue
                    }
                    overrides.append(ModelOverride(path: keyPath, valueText: valueText, source: location))
                }
            } else {
                problems.report(at("set"), "set: expected a table ([set]), found \(set.typeDescription)")
            }
        }
        if let pinList = root["pin"] {
            if case .array(let items) = pinList {
                for (position, item) in items.enumerated() {
                    let keyPath = "pin[\(position + 1)]"
                    guard case .table(let entries) = item else {
                        problems.report(at(keyPath), "\(keyPath): expected a table ([[pin]])")
                        continue
                    }
                    for key in entries.keys.sorted() where !["account", "tier"].contains(key) {
                        problems.report(at("\(keyPath).\(key)"), "\(keyPath).\(key): unknown key\(suggestion(for: key, in: ["account", "tier"])); a pin has account and tier")
                    }
                    guard case .string(let account)? = entries["account"], case .string(let tier)? = entries["tier"] else {
                        problems.report(at(keyPath), "\(keyPath): needs account and tier, both strings")
                        continue
                    }
                    pins.removeAll { $0.account == account }
                    pins.append(TierPin(account: account, tier: tier, source: at("\(keyPath).account")))
                }
            } else {
                problems.report(at("pin"), "pin: expected an array of tables ([[pin]]), found \(pinList.typeDescription)")
            }
        }
        try problems.throwIfAny()
        return Scenario(name: name, description: description, file: path, overrides: overrides, pins: pins)
    }

    /// The text a `[set]` value stands for: strings as written, numbers in full, a band as TOML.
    private static func changeText(_ value: TOMLValue) -> String? {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .float(let number): return number.isFinite ? "\(number)" : nil
        case .array(let items):
            let parts = items.compactMap { item -> String? in
                switch item {
                case .integer(let number): return String(number)
                case .float(let number): return number.isFinite ? "\(number)" : nil
                default: return nil
                }
            }
            return parts.count == items.count ? "[" + parts.joined(separator: ", ") + "]" : nil
        default: return nil
        }
    }

    /// What is wrong with `name` as the name of a folder of runs, or nil.
    public static func folderNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty; a scenario needs a name" }
        if name.count > 100 { return "is \(name.count) characters long; at most 100" }
        if name == "." || name == ".." || name.hasPrefix(".") { return "'\(name)' cannot name a folder; start with a letter or digit" }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        if name.unicodeScalars.contains(where: { !allowed.contains($0) || $0.value > 0x7E }) {
            return "'\(name)' names a folder: use letters, digits, '-', '_' and '.' only"
        }
        return nil
    }
}
