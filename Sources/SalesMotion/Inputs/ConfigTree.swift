// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import TOMLKit

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

    /// Parses a TOML document; throws ``InputError`` with the parser's line and column.
    static func parseTOML(_ text: String, file: String) throws -> ConfigValue {
        do {
            return convert(try TOMLTable(string: text))
        } catch let error as TOMLParseError {
            throw InputError([InputDiagnostic(
                SourceLocation(file: file, line: error.source.begin.line, column: error.source.begin.column),
                "not valid TOML: \(error.description)")])
        }
    }

    /// Parses the value part of `--set key=value`: a TOML value (`0.5`, `[0.1, 0.4]`, `"x"`),
    /// else an amount (`18M`, `800k`), else plain text.
    static func parseOverride(_ text: String) -> ConfigValue {
        if let table = try? TOMLTable(string: "value = \(text)"), let value = table["value"] {
            return convert(value)
        }
        if let amount = NumberSyntax.amount(text) { return .float(amount) }
        return .string(text)
    }

    private static func convert(_ value: any TOMLValueConvertible) -> ConfigValue {
        switch value.type {
        case .table:
            let table = value.table!
            var entries: [String: ConfigValue] = [:]
            for key in table.keys { entries[key] = convert(table[key]!) }
            return .table(entries)
        case .array:
            return .array(value.array!.map { convert($0) })
        case .string: return .string(value.string!)
        case .int: return .integer(value.int!)
        case .double: return .float(value.double!)
        case .bool: return .bool(value.bool!)
        default: return .unsupported(value.type.description)
        }
    }
}
