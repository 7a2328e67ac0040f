// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// A parsed model file as a plain tree, detached from the TOML library, so that command-line
/// overrides can be applied before the model is decoded.
indirect enum ConfigValue: Equatable {
    case table([String: ConfigValue])
    case array([ConfigValue])
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    /// A TOML value the model never uses (dates, times), kept by its type name for messages.
    case unsupported(String)

    var typeDescription: String {
        switch self {
        case .table: return "a table"
        case .array: return "an array"
        case .string(let text): return "\"\(text)\""
        case .integer(let value): return "\(value)"
        case .float(let value): return "\(value)"
        case .bool(let value): return "\(value)"
        case .unsupported(let type): return "a \(type)"
        }
    }

    /// Parses a TOML document; throws ``InputError`` with the reader's line and column.
    static func parseTOML(_ text: String, file: String) throws -> ConfigValue {
        try parseTOMLWithPositions(text, file: file).value
    }

    /// Parses a TOML document, with where each key path starts.
    static func parseTOMLWithPositions(_ text: String, file: String)
        throws -> (value: ConfigValue, positions: [String: TOMLReader.Position]) {
        do {
            return try TOMLReader.readWithPositions(text)
        } catch {
            throw InputError([InputDiagnostic(SourceLocation(file: file, line: error.line, column: error.column),
                                              error.unsupported ? error.message : "not valid TOML: \(error.message)")])
        }
    }

    /// Parses the value part of `--set key=value`: a TOML value (`0.5`, `[0.1, 0.4]`, `"x"`),
    /// else an amount (`18M`, `800k`), else plain text.
    static func parseOverride(_ text: String) -> ConfigValue {
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
