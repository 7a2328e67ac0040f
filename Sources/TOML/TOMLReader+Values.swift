// SPDX-License-Identifier: GPL-3.0-or-later

/// Values: booleans, arrays and inline tables, dispatching strings and numbers.
extension TOMLReader {
    // MARK: - Values

    mutating func value() throws(Failure) -> TOMLValue {
        guard let c = current else { throw fail("expected a value") }
        switch c {
        case "\"":
            let multiline = peek(1) == "\"" && peek(2) == "\""
            return .string(try basicString(multiline: multiline))
        case "'":
            let multiline = peek(1) == "'" && peek(2) == "'"
            return .string(try literalString(multiline: multiline))
        case "[": return try array()
        case "{": return try inlineTable()
        case "t", "f":
            for word in ["true", "false"] where matches(word) {
                for _ in word.unicodeScalars { advance() }
                return .bool(word == "true")
            }
            throw fail("unexpected text where a value should be; text needs quotes")
        default:
            if c == "+" || c == "-" || ("0"..."9").contains(c) || matches("inf") || matches("nan") { return try number() }
            if ("A"..."Z").contains(c) || ("a"..."z").contains(c) {
                throw fail("unexpected text where a value should be; text needs quotes")
            }
            throw fail("unexpected \(Self.describe(c)) where a value should be")
        }
    }

    func matches(_ word: String) -> Bool {
        let pattern = Array(word.unicodeScalars)
        guard index + pattern.count <= scalars.count else { return false }
        guard (0..<pattern.count).allSatisfy({ scalars[index + $0] == pattern[$0] }) else { return false }
        if let next = peek(pattern.count), Self.isBareKey(next) { return false }
        return true
    }

    mutating func array() throws(Failure) -> TOMLValue {
        try enterNesting()
        defer { depth -= 1 }
        advance()
        var items: [TOMLValue] = []
        while true {
            try skipBlank()
            guard let c = current else { throw fail("the array is not closed with ']'") }
            if c == "]" { advance(); return .array(items) }
            items.append(try value())
            try skipBlank()
            if current == "," { advance(); continue }
            guard current == "]" else {
                if let c = current { throw fail("expected ',' or ']' in the array, found \(Self.describe(c))") }
                throw fail("the array is not closed with ']'")
            }
        }
    }

    mutating func inlineTable() throws(Failure) -> TOMLValue {
        try enterNesting()
        defer { depth -= 1 }
        advance()
        let table = Table()
        skipSpaces()
        if current == "}" { advance(); return .table([:]) }
        while true {
            skipSpaces()
            try keyValue(into: table)
            skipSpaces()
            if current == "," { advance(); continue }
            guard current == "}" else { throw fail("expected ',' or '}' in the inline table") }
            advance()
            table.sealed = true
            return Self.convert(table)
        }
    }
}
