// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import TOML
internal import InputFiles

extension TOMLValue {
    /// Parses a TOML document; throws ``InputError`` with the reader's line and column.
    static func parseTOML(_ text: String, file: String) throws -> TOMLValue {
        try parseTOMLWithPositions(text, file: file).value
    }

    /// Parses a TOML document, with where each key path starts.
    static func parseTOMLWithPositions(_ text: String, file: String)
        throws -> (value: TOMLValue, positions: [String: TOMLReader.Position]) {
        do {
            return try TOMLReader.readWithPositions(text)
        } catch {
            throw InputError([InputDiagnostic(SourceLocation(file: file, line: error.line, column: error.column),
                                              error.unsupported ? error.message : "not valid TOML: \(error.message)")])
        }
    }

    /// Parses the value part of `--set key=value`: a TOML value (`0.5`, `[0.1, 0.4]`, `"x"`),
    /// else an amount (`18M`, `800k`), else plain text.
    static func parseOverride(_ text: String) -> TOMLValue {
        if case .table(let entries)? = try? TOMLReader.read("value = \(text)"), let value = entries["value"] {
            return value
        }
        if let amount = NumberSyntax.amount(text) { return .float(amount) }
        return .string(text)
    }
}

/// Where the keys of a model file are, as the TOML reader found them, so that messages can
/// point at a key path (`limits.budget`, `tier.total.gam_fte`, `tier[2].id`, `limts`). A tier
/// is found by its id once the decoder has read it (``alias(_:to:)``); a path that is not in
/// the text is shown at its closest enclosing table that is.
struct KeyLocations {
    private let positions: [String: TOMLReader.Position]
    private var aliases: [(from: String, to: String)] = []

    init(_ positions: [String: TOMLReader.Position]) {
        self.positions = positions
    }

    /// Makes `from` (`tier.total`) stand for `to` (`tier[3]`); the first alias of a name wins.
    mutating func alias(_ from: String, to: String) {
        if !aliases.contains(where: { $0.from == from }) { aliases.append((from, to)) }
    }

    /// The position of `path`, or of its closest enclosing table that is in the text.
    func position(of path: String) -> (line: Int, column: Int)? {
        var candidate = path
        for alias in aliases where candidate == alias.from || candidate.hasPrefix(alias.from + ".") {
            candidate = alias.to + candidate.dropFirst(alias.from.count)
            break
        }
        while true {
            if let found = positions[candidate] { return (found.line, found.column) }
            guard let dot = candidate.lastIndex(of: ".") else { return nil }
            candidate = String(candidate[..<dot])
        }
    }
}
