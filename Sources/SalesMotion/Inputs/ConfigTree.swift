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
        do {
            return try TOMLReader.read(text)
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

/// Finds the line and column of a key path (`limits.budget`, `tier.total.gam_fte`,
/// `tier[2].id`, `limts`) in TOML text, so that model-file messages can point at it.
/// A plain scan of headers and `key =` lines: enough for the files people write by hand.
struct TOMLKeyLocator {
    private var positions: [String: (line: Int, column: Int)] = [:]

    init(text: String) {
        var table = ""
        var arrayCounts: [String: Int] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            let content = Self.stripComment(String(rawLine))
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            let column = content.prefix { $0 == " " || $0 == "\t" }.count + 1
            if trimmed.hasPrefix("[[") && trimmed.hasSuffix("]]") {
                let name = trimmed.dropFirst(2).dropLast(2).trimmingCharacters(in: .whitespaces)
                arrayCounts[name, default: 0] += 1
                table = "\(name)[\(arrayCounts[name]!)]"
                record(table, line, column)
                if arrayCounts[name] == 1 { record(name, line, column) }
            } else if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                table = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                record(table, line, column)
            } else if let equals = trimmed.firstIndex(of: "=") {
                let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                guard !key.isEmpty else { continue }
                let path = table.isEmpty ? key : "\(table).\(key)"
                record(path, line, column)
                if key == "id", table.hasPrefix("tier["),
                   let id = Self.stringValue(String(trimmed[trimmed.index(after: equals)...])) {
                    record("tier.\(id)", positions[table]!.line, positions[table]!.column)
                    aliases.append((from: "tier.\(id)", to: table))
                }
            }
        }
    }

    private var aliases: [(from: String, to: String)] = []

    private mutating func record(_ path: String, _ line: Int, _ column: Int) {
        if positions[path] == nil { positions[path] = (line, column) }
    }

    /// The position of `path`, or of its closest enclosing table that is in the text.
    func position(of path: String) -> (line: Int, column: Int)? {
        var candidate = path
        for alias in aliases where candidate == alias.from || candidate.hasPrefix(alias.from + ".") {
            candidate = alias.to + candidate.dropFirst(alias.from.count)
            break
        }
        while true {
            if let found = positions[candidate] { return found }
            guard let dot = candidate.lastIndex(of: ".") else { return nil }
            candidate = String(candidate[..<dot])
        }
    }

    private static func stripComment(_ line: String) -> String {
        var inString: Character?
        for (offset, character) in line.enumerated() {
            if let quote = inString {
                if character == quote { inString = nil }
            } else if character == "\"" || character == "'" {
                inString = character
            } else if character == "#" {
                return String(line.prefix(offset))
            }
        }
        return line
    }

    private static func stringValue(_ text: String) -> String? {
        let value = text.trimmingCharacters(in: .whitespaces)
        guard value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first else { return nil }
        return String(value.dropFirst().dropLast())
    }
}
