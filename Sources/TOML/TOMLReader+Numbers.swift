// SPDX-License-Identifier: GPL-3.0-or-later

/// Numbers: integers (decimal, hex, octal, binary) and floats, with underscores; dates and
/// times are recognised and refused.
extension TOMLReader {
    mutating func number() throws(Failure) -> TOMLValue {
        let startColumn = column
        var text = ""
        while let c = current, Self.isBareKey(c) || c == "+" || c == "." || c == ":" {
            text.unicodeScalars.append(c)
            advance()
        }
        func bad(_ why: String) -> Failure { Failure(line: line, column: startColumn, message: why) }
        let body = text.hasPrefix("+") || text.hasPrefix("-") ? String(text.dropFirst()) : text
        let negative = text.hasPrefix("-")
        if body == "inf" { return .float(negative ? -.infinity : .infinity) }
        if body == "nan" { return .float(.nan) }
        if text.contains(":") || (text.filter { $0 == "-" }.count >= 2 && !text.contains("e") && !text.contains("E")) {
            var failure = bad("'\(text)' is a date or time: valid TOML, but model files do not use dates")
            failure.unsupported = true
            throw failure
        }
        for prefix in ["0x", "0o", "0b"] where body.hasPrefix(prefix) {
            guard !text.hasPrefix("+") && !text.hasPrefix("-") else { throw bad("'\(text)': a sign is not allowed on \(prefix) numbers") }
            let digits = String(body.dropFirst(2))
            guard Self.validUnderscores(digits, between: { $0.isHexDigit }), let value = Int(digits.replacingOccurrences(of: "_", with: ""),
                                                                  radix: ["0x": 16, "0o": 8, "0b": 2][prefix]!) else {
                throw bad("'\(text)' is not a number")
            }
            return .integer(value)
        }
        guard Self.validUnderscores(body, between: { $0.isASCII && $0.isNumber }), !body.isEmpty else { throw bad("'\(text)' is not a number") }
        let plain = body.replacingOccurrences(of: "_", with: "")
        let isFloat = plain.contains(".") || plain.contains("e") || plain.contains("E")
        if plain.count > 1, plain.hasPrefix("0"), !plain.hasPrefix("0.") && !plain.hasPrefix("0e") && !plain.hasPrefix("0E") {
            throw bad("'\(text)': leading zeros are not allowed")
        }
        if isFloat {
            let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 2, parts[0].isEmpty || parts[1].isEmpty || !(parts[1].first?.isNumber ?? false) {
                throw bad("'\(text)': a decimal point needs digits on both sides")
            }
            guard plain.allSatisfy({ $0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-" }),
                  let value = Double((negative ? "-" : "") + plain) else {
                throw bad("'\(text)' is not a number")
            }
            return .float(value)
        }
        guard plain.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int((negative ? "-" : "") + plain) else {
            throw bad("'\(text)' is not a number (text needs quotes)")
        }
        return .integer(value)
    }

    /// Underscores only between two digits (of the number's base: `1e_23` is not a number).
    static func validUnderscores(_ text: String, between isDigit: (Character) -> Bool) -> Bool {
        let characters = Array(text)
        for (position, character) in characters.enumerated() where character == "_" {
            guard position > 0, position < characters.count - 1,
                  isDigit(characters[position - 1]), isDigit(characters[position + 1]) else { return false }
        }
        return true
    }
}
