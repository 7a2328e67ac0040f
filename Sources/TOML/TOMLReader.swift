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
    final class Table {
        var entries: [String: Node] = [:]
        /// Defined by a `[header]` (or as an array-of-tables element) rather than implied by a
        /// dotted key or a deeper header.
        var explicit = false
        /// Inline tables and tables defined by `key = value` pairs are closed for extension.
        var sealed = false
    }

    /// The tables of one `[[array]]`, appended to in place (a reference: an array held in the
    /// enum was copied on every append, quadratic in the tables).
    final class TableList {
        var tables: [Table]
        init(_ tables: [Table]) { self.tables = tables }
    }

    enum Node {
        case value(TOMLValue)
        case table(Table)
        case tableArray(TableList)
        /// An array written as a value (`x = [...]`); cannot be extended by `[[x]]`.
        case staticArray(TOMLValue)
    }

    let scalars: [Unicode.Scalar]
    var index = 0
    var line = 1
    var lineStart = 0
    var depth = 0
    /// Where each key and table header starts, by path (`limits.budget`, `tier[2].id`,
    /// `tier[2]`, `limits`); array-of-tables elements are numbered from 1.
    private(set) var positions: [String: Position] = [:]
    /// The path of the table the next `key = value` lines belong to, and of the key being read
    /// (for inline tables).
    var tablePath = ""
    var arrayCounts: [String: Int] = [:]

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

    mutating func record(_ path: String, _ position: Position) {
        if positions[path] == nil { positions[path] = position }
    }

    // MARK: - Characters

    var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }
    func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }
    var column: Int { index - lineStart + 1 }

    func fail(_ message: String) -> Failure { Failure(line: line, column: column, message: message) }

    mutating func advance() {
        if current == "\n" {
            line += 1
            lineStart = index + 1
        }
        index += 1
    }

    mutating func skipSpaces() {
        while let c = current, c == " " || c == "\t" { advance() }
    }

    mutating func skipComment() throws(Failure) {
        guard current == "#" else { return }
        while let c = current, c != "\n" {
            if c == "\r", peek(1) == "\n" { break }
            if Self.isControl(c) && c != "\t" { throw fail("control character \(Self.describe(c)) in a comment") }
            advance()
        }
    }

    /// Spaces, a comment, then a line break or the end.
    mutating func endOfLine() throws(Failure) {
        skipSpaces()
        try skipComment()
        if current == "\r", peek(1) == "\n" { advance() }
        guard let c = current else { return }
        guard c == "\n" else { throw fail("unexpected \(Self.describe(c)); expected the end of the line") }
        advance()
    }

    /// Blank lines, spaces and comments (inside arrays, between entries).
    mutating func skipBlank() throws(Failure) {
        while true {
            skipSpaces()
            try skipComment()
            if current == "\r", peek(1) == "\n" { advance() }
            guard current == "\n" else { return }
            advance()
        }
    }

    static func isControl(_ c: Unicode.Scalar) -> Bool { c.value < 0x20 || c.value == 0x7F }

    static func describe(_ c: Unicode.Scalar) -> String {
        if c.value >= 0x21 && c.value <= 0x7E { return "'\(Character(c))'" }
        let hex = String(c.value, radix: 16, uppercase: true)
        return "character U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    static func isBareKey(_ c: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(c) || ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
    }

    // MARK: - Document

    mutating func document() throws(Failure) -> TOMLValue {
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

    mutating func keyValue(into table: Table) throws(Failure) {
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
    mutating func keyPath() throws(Failure) -> ([String], (Int, Int)) {
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
    mutating func enterNesting() throws(Failure) {
        depth += 1
        guard depth <= Self.maximumNesting else {
            throw fail("arrays and inline tables may nest at most \(Self.maximumNesting) deep")
        }
    }
}
