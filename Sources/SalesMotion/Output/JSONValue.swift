// SPDX-License-Identifier: GPL-3.0-or-later

internal import OutputFiles

/// A JSON document with keys in the order given, rendered the same way every time
/// (Foundation's encoder either sorts keys or orders them by hash).
enum JSONValue {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number in shortest round-trip form; non-finite values become `null`.
    case number(Double)
    case bool(Bool)
    case null

    static func optional(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }

    /// Two-space indented text with a final newline.
    var rendered: String {
        var out = ""
        render(into: &out, indent: 0)
        return out + "\n"
    }

    private func render(into out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1), closing = String(repeating: "  ", count: indent)
        switch self {
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (position, (key, value)) in members.enumerated() {
                out += pad + Self.quoted(key) + ": "
                value.render(into: &out, indent: indent + 1)
                out += position == members.count - 1 ? "\n" : ",\n"
            }
            out += closing + "}"
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (position, item) in items.enumerated() {
                out += pad
                item.render(into: &out, indent: indent + 1)
                out += position == items.count - 1 ? "\n" : ",\n"
            }
            out += closing + "]"
        case .string(let text): out += Self.quoted(text)
        case .number(let value): out += value.isFinite ? formatShort(value) : "null"
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        }
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
