// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// A TOML 1.0 reader, written for this project because TOMLKit's parser
/// (toml++) stops the whole process with an assertion on some malformed input — a line break
/// inside `[ ]`, a byte-order mark or accented letter where a key starts — which fuzzing found.
/// It reads tables, arrays of tables, dotted and quoted keys, strings (basic, literal,
/// multi-line), integers (decimal, hex, octal, binary), floats, booleans, arrays and inline
/// tables. Dates and times are recognised and refused (model files do not use them). Every
/// error names its line and column.
public struct TOMLReader {
    public struct Failure: Error, Sendable {
        public var line: Int
        public var column: Int
        public var message: String
        /// Valid TOML that model files do not use (dates and times), rather than broken TOML.
        public var unsupported = false
    }

    /// How deep arrays and inline tables may nest, and how many parts a dotted key may have:
    /// far beyond any model file, and shallow enough that reading never exhausts the stack.
    public static let maximumNesting = 32
    public static let maximumKeyParts = 32

    /// A mutable table while reading; converted to ``TOMLValue`` at the end.
    private final class Table {
        var entries: [String: Node] = [:]
        /// Defined by a `[header]` (or as an array-of-tables element) rather than implied by a
        /// dotted key or a deeper header.
        var explicit = false
        /// Inline tables and tables defined by `key = value` pairs are closed for extension.
        var sealed = false
    }

    private enum Node {
        case value(TOMLValue)
        case table(Table)
        case tableArray([Table])
        /// An array written as a value (`x = [...]`); cannot be extended by `[[x]]`.
        case staticArray(TOMLValue)
    }

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0
    /// Where each key and table header starts, by path (`limits.budget`, `tier[2].id`,
    /// `tier[2]`, `limits`); array-of-tables elements are numbered from 1.
    private(set) var positions: [String: Position] = [:]
    /// The path of the table the next `key = value` lines belong to, and of the key being read
    /// (for inline tables).
    private var tablePath = ""
    private var arrayCounts: [String: Int] = [:]

    public struct Position: Sendable, Hashable {
        public var line: Int
        public var column: Int
    }

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// Reads the whole document.
    public static func read(_ text: String) throws(Failure) -> TOMLValue {
        try readWithPositions(text).value
    }

    /// Reads the whole document, with where each key path starts (see ``positions``).
    public static func readWithPositions(_ text: String) throws(Failure) -> (value: TOMLValue, positions: [String: Position]) {
        var reader = TOMLReader(text)
        let value = try reader.document()
        return (value, reader.positions)
    }

    private mutating func record(_ path: String, _ position: Position) {
        if positions[path] == nil { positions[path] = position }
    }

    // MARK: - Characters

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }
    private func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }
    private var column: Int { index - lineStart + 1 }

    private func fail(_ message: String) -> Failure { Failure(line: line, column: column, message: message) }

    private mutating func advance() {
        if current == "\n" {
            line += 1
            lineStart = index + 1
        }
        index += 1
    }

    private mutating func skipSpaces() {
        while let c = current, c == " " || c == "\t" { advance() }
    }

    private mutating func skipComment() throws(Failure) {
        guard current == "#" else { return }
        while let c = current, c != "\n" {
            if c == "\r", peek(1) == "\n" { break }
            if Self.isControl(c) && c != "\t" { throw fail("control character \(Self.describe(c)) in a comment") }
            advance()
        }
    }

    /// Spaces, a comment, then a line break or the end.
    private mutating func endOfLine() throws(Failure) {
        skipSpaces()
        try skipComment()
        if current == "\r", peek(1) == "\n" { advance() }
        guard let c = current else { return }
        guard c == "\n" else { throw fail("unexpected \(Self.describe(c)); expected the end of the line") }
        advance()
    }

    /// Blank lines, spaces and comments (inside arrays, between entries).
    private mutating func skipBlank() throws(Failure) {
        while true {
            skipSpaces()
            try skipComment()
            if current == "\r", peek(1) == "\n" { advance() }
            guard current == "\n" else { return }
            advance()
        }
    }

    private static func isControl(_ c: Unicode.Scalar) -> Bool { c.value < 0x20 || c.value == 0x7F }

    private static func describe(_ c: Unicode.Scalar) -> String {
        if c.value >= 0x21 && c.value <= 0x7E { return "'\(Character(c))'" }
        let hex = String(c.value, radix: 16, uppercase: true)
        return "character U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func isBareKey(_ c: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(c) || ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
    }

    // MARK: - Document

    private mutating func document() throws(Failure) -> TOMLValue {
        let root = Table()
        root.explicit = true
        var table = root
        while true {
            try skipBlank()
            guard let c = current else { break }
            if c == "[" {
                let headerPosition = Position(line: line, column: column)
                let isArray = peek(1) == "["
                advance()
                if isArray { advance() }
                skipSpaces()
                let (path, _) = try keyPath()
                skipSpaces()
                guard current == "]" else { throw fail("expected ']' to close the table header") }
                advance()
                if isArray {
                    guard current == "]" else { throw fail("expected ']]' to close the array-of-tables header") }
                    advance()
                }
                try endOfLine()
                table = isArray ? try appendTableArray(root, path) : try defineTable(root, path)
                let name = path.joined(separator: ".")
                if isArray {
                    arrayCounts[name, default: 0] += 1
                    tablePath = "\(name)[\(arrayCounts[name]!)]"
                    record(name, headerPosition)
                } else {
                    tablePath = name
                }
                record(tablePath, headerPosition)
            } else {
                try keyValue(into: table)
                try endOfLine()
            }
        }
        return Self.convert(root)
    }

    private mutating func keyValue(into table: Table) throws(Failure) {
        let (path, position) = try keyPath()
        let outer = tablePath
        let full = (outer.isEmpty ? "" : outer + ".") + path.joined(separator: ".")
        record(full, Position(line: position.0, column: position.1))
        tablePath = full
        defer { tablePath = outer }
        skipSpaces()
        guard current == "=" else {
            if let c = current { throw fail("expected '=' after the key, found \(Self.describe(c))") }
            throw fail("expected '=' after the key")
        }
        advance()
        skipSpaces()
        let value = try self.value()
        try assign(value, at: path, in: table, position: position)
    }

    /// `key`, `"quoted key"`, `a.b.c`.
    private mutating func keyPath() throws(Failure) -> ([String], (Int, Int)) {
        let position = (line, column)
        var path: [String] = []
        while true {
            skipSpaces()
            guard let c = current else { throw fail("expected a key") }
            if c == "\"" {
                path.append(try basicString(multiline: false))
            } else if c == "'" {
                path.append(try literalString(multiline: false))
            } else if Self.isBareKey(c) {
                var key = ""
                while let k = current, Self.isBareKey(k) {
                    key.unicodeScalars.append(k)
                    advance()
                }
                path.append(key)
            } else {
                throw fail("unexpected \(Self.describe(c)) where a key should start (keys use A–Z a–z 0–9 _ -, or quotes)")
            }
            skipSpaces()
            guard current == "." else { return (path, position) }
            guard path.count < Self.maximumKeyParts else {
                throw fail("a dotted key may have at most \(Self.maximumKeyParts) parts")
            }
            advance()
        }
    }

    /// Counts one level of array or inline-table nesting; fails past ``maximumNesting``.
    private mutating func enterNesting() throws(Failure) {
        depth += 1
        guard depth <= Self.maximumNesting else {
            throw fail("arrays and inline tables may nest at most \(Self.maximumNesting) deep")
        }
    }

    // MARK: - Tables

    private func defineTable(_ root: Table, _ path: [String]) throws(Failure) -> Table {
        var table = root
        for (depth, key) in path.enumerated() {
            let last = depth == path.count - 1
            switch table.entries[key] {
            case nil:
                let child = Table()
                table.entries[key] = .table(child)
                table = child
            case .table(let child):
                if child.sealed { throw fail("table '\(path.prefix(depth + 1).joined(separator: "."))' cannot be extended here") }
                table = child
            case .tableArray(let elements) where !last:
                table = elements.last!
            default:
                throw fail("'\(path.prefix(depth + 1).joined(separator: "."))' is already defined as a value")
            }
        }
        if table.explicit { throw fail("table [\(path.joined(separator: "."))] is defined twice") }
        table.explicit = true
        return table
    }

    private func appendTableArray(_ root: Table, _ path: [String]) throws(Failure) -> Table {
        var table = root
        for (depth, key) in path.dropLast().enumerated() {
            switch table.entries[key] {
            case nil:
                let child = Table()
                table.entries[key] = .table(child)
                table = child
            case .table(let child) where !child.sealed: table = child
            case .tableArray(let elements): table = elements.last!
            default: throw fail("'\(path.prefix(depth + 1).joined(separator: "."))' is already defined as a value")
            }
        }
        let element = Table()
        element.explicit = true
        switch table.entries[path.last!] {
        case nil: table.entries[path.last!] = .tableArray([element])
        case .tableArray(let elements): table.entries[path.last!] = .tableArray(elements + [element])
        default: throw fail("'\(path.joined(separator: "."))' is already defined and is not an array of tables")
        }
        return element
    }

    private func assign(_ value: TOMLValue, at path: [String], in table: Table, position: (Int, Int)) throws(Failure) {
        var target = table
        for (depth, key) in path.dropLast().enumerated() {
            switch target.entries[key] {
            case nil:
                let child = Table()
                child.sealed = false
                target.entries[key] = .table(child)
                target = child
            case .table(let child) where !child.explicit && !child.sealed:
                target = child
            default:
                throw Failure(line: position.0, column: position.1,
                              message: "'\(path.prefix(depth + 1).joined(separator: "."))' is already defined")
            }
        }
        let key = path.last!
        guard target.entries[key] == nil else {
            throw Failure(line: position.0, column: position.1, message: "key '\(path.joined(separator: "."))' is defined twice")
        }
        if case .array = value { target.entries[key] = .staticArray(value) } else { target.entries[key] = .value(value) }
    }

    private static func convert(_ table: Table) -> TOMLValue {
        var entries: [String: TOMLValue] = [:]
        for (key, node) in table.entries {
            switch node {
            case .value(let value), .staticArray(let value): entries[key] = value
            case .table(let child): entries[key] = convert(child)
            case .tableArray(let elements): entries[key] = .array(elements.map(convert))
            }
        }
        return .table(entries)
    }

    // MARK: - Values

    private mutating func value() throws(Failure) -> TOMLValue {
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

    private func matches(_ word: String) -> Bool {
        let pattern = Array(word.unicodeScalars)
        guard index + pattern.count <= scalars.count else { return false }
        guard (0..<pattern.count).allSatisfy({ scalars[index + $0] == pattern[$0] }) else { return false }
        if let next = peek(pattern.count), Self.isBareKey(next) { return false }
        return true
    }

    private mutating func array() throws(Failure) -> TOMLValue {
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

    private mutating func inlineTable() throws(Failure) -> TOMLValue {
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

    /// Steps over the opening quotes (and the line break right after `"""` or `'''`).
    private mutating func openString(multiline: Bool) {
        for _ in 0..<(multiline ? 3 : 1) { advance() }
        if multiline { skipFirstLineBreak() }
    }

    /// At a quote `c` of the string's kind: whether it ends the string (the quotes are then
    /// read; quotes beyond the closing three belong to `text`).
    private mutating func closes(at c: Unicode.Scalar, multiline: Bool, into text: inout String) -> Bool {
        if !multiline { advance(); return true }
        return closesMultiline(with: c, into: &text)
    }

    private mutating func basicString(multiline: Bool) throws(Failure) -> String {
        openString(multiline: multiline)
        var text = ""
        while true {
            guard let c = current else { throw fail("the string is not closed") }
            if c == "\"" {
                if closes(at: c, multiline: multiline, into: &text) { return text }
                text += "\""
                advance()
                continue
            }
            if c == "\\" {
                advance()
                guard let e = current else { throw fail("the string is not closed") }
                if multiline && (e == " " || e == "\t" || e == "\n" || e == "\r") {
                    // A line-ending backslash: only spaces may follow it on its line; it trims
                    // the line break and the white space that starts the next lines.
                    while let w = current, w == " " || w == "\t" { advance() }
                    if current == "\r", peek(1) == "\n" { advance() }
                    guard current == "\n" else { throw fail("a backslash followed by a space must end its line") }
                    while let w = current, w == " " || w == "\t" || w == "\n" || w == "\r" { advance() }
                    continue
                }
                let escapes: [Unicode.Scalar: String] = ["b": "\u{8}", "t": "\t", "n": "\n", "f": "\u{C}", "r": "\r",
                                                         "\"": "\"", "\\": "\\"]
                if let replacement = escapes[e] {
                    text += replacement
                    advance()
                } else if e == "u" || e == "U" {
                    let count = e == "u" ? 4 : 8
                    advance()
                    var hex = ""
                    for _ in 0..<count {
                        guard let h = current, h.properties.isASCIIHexDigit else { throw fail("\\\(e) needs \(count) hex digits") }
                        hex.unicodeScalars.append(h)
                        advance()
                    }
                    guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else {
                        throw fail("\\\(e)\(hex) is not a Unicode scalar value")
                    }
                    text.unicodeScalars.append(scalar)
                } else {
                    throw fail("unknown escape \\\(Character(e)) in a string")
                }
                continue
            }
            if c == "\n" && !multiline { throw fail("the string is not closed on its line") }
            if Self.isControl(c) && c != "\t" && !(multiline && (c == "\n" || (c == "\r" && peek(1) == "\n"))) {
                throw fail("control character \(Self.describe(c)) in a string; write it as an escape")
            }
            text.unicodeScalars.append(c)
            advance()
        }
    }

    private mutating func literalString(multiline: Bool) throws(Failure) -> String {
        openString(multiline: multiline)
        var text = ""
        while true {
            guard let c = current else { throw fail("the string is not closed") }
            if c == "'", closes(at: c, multiline: multiline, into: &text) { return text }
            if c == "\n" && !multiline { throw fail("the string is not closed on its line") }
            if Self.isControl(c) && c != "\t" && !(multiline && (c == "\n" || (c == "\r" && peek(1) == "\n"))) {
                throw fail("control character \(Self.describe(c)) in a string")
            }
            text.unicodeScalars.append(c)
            advance()
        }
    }

    /// At a quote inside a multi-line string: when three (up to five) quotes follow, the last
    /// three close the string and any extra ones belong to its text.
    private mutating func closesMultiline(with quote: Unicode.Scalar, into text: inout String) -> Bool {
        guard peek(1) == quote && peek(2) == quote else { return false }
        var quotes = 3
        while peek(quotes) == quote && quotes < 5 { quotes += 1 }
        for _ in 0..<(quotes - 3) { text.unicodeScalars.append(quote) }
        for _ in 0..<quotes { advance() }
        return true
    }

    private mutating func skipFirstLineBreak() {
        if current == "\n" { advance() } else if current == "\r", peek(1) == "\n" { advance(); advance() }
    }

    private mutating func number() throws(Failure) -> TOMLValue {
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
    private static func validUnderscores(_ text: String, between isDigit: (Character) -> Bool) -> Bool {
        let characters = Array(text)
        for (position, character) in characters.enumerated() where character == "_" {
            guard position > 0, position < characters.count - 1,
                  isDigit(characters[position - 1]), isDigit(characters[position + 1]) else { return false }
        }
        return true
    }
}
