// SPDX-License-Identifier: GPL-3.0-or-later

/// A TOML document as a plain tree of values: tables, arrays and scalars. Dates and times are
/// refused by the reader, so no value carries them.
public indirect enum TOMLValue: Equatable, Sendable {
    case table([String: TOMLValue])
    case array([TOMLValue])
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    /// A TOML value the model never uses (dates, times), kept by its type name for messages.
    case unsupported(String)

    /// The value as a message shows it: a type for tables and arrays, the value for scalars.
    public var typeDescription: String {
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
}
