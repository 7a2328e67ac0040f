// SPDX-License-Identifier: GPL-3.0-or-later

import CSV
import Foundation
import InputFiles
import PropertyBased
import Testing

/// The CSV reader splits records in one pass over the bytes. Its expected values come from the
/// tables the tests write (each cell known before it is encoded) and from yaslab/CSV.swift, a
/// second reader of the same files.
@Suite struct CSVReadingTests {
    static func table(_ text: String) throws -> CSVTable {
        try CSVTable(data: Data(text.utf8), displayName: "t.csv")
    }

    /// The file is scanned once for bytes that may start a control character, and its cells
    /// only when one is found: every control character is still reported, in any row, and a
    /// file with tabs, line breaks in quotes and `£` (0xC2 0xA3) keeps every row.
    @Test func everyControlCharacterIsFoundAndNothingElse() throws {
        let controls = (0..<0x20).filter { ![0x09, 0x0A, 0x0D].contains($0) }.map { Unicode.Scalar(UInt8($0)) }
            + [Unicode.Scalar(0x7F)!, Unicode.Scalar(0x85)!, Unicode.Scalar(0x9B)!]
        for control in controls {
            let table = try Self.table("id,name\nA1,ok\nA2,a\(Character(control))b\nA3,ok\n")
            #expect(table.rows.map(\.line) == [2, 4], "U+\(String(control.value, radix: 16))")
            #expect(table.rowProblems.diagnostics.map(\.location.line) == [3], "U+\(String(control.value, radix: 16))")
        }
        let clean = try Self.table("id,name\r\nA1,\"two\r\nlines\"\r\nA2,tab\there\r\nA3,£5\r\n")
        #expect(clean.rows.map(\.fields) == [["A1", "two\r\nlines"], ["A2", "tab\there"], ["A3", "£5"]])
        #expect(clean.rowProblems.isEmpty)
    }

    @Test func quotingByHand() throws {
        let table = try Self.table("id,name\r\nA1,\"Acme, Inc\"\r\nA2,\"say \"\"hi\"\"\"\r\nA3,\"two\nlines\"\r\nA4,x\"y\n")
        #expect(table.header == ["id", "name"])
        #expect(table.rows.map(\.fields) == [["A1", "Acme, Inc"], ["A2", "say \"hi\""], ["A3", "two\nlines"], ["A4", "x\"y"]])
        // The quoted line break moves A4 one line down.
        #expect(table.rows.map(\.line) == [2, 3, 4, 6])
    }

    @Test func edgesByHand() throws {
        // Text after a closing quote is kept (Excel and Python's csv read "Acme" Inc as Acme Inc);
        // a lone CR ends a record; a trailing comma at the end of the file is an empty field;
        // blank lines are skipped but counted; a BOM is dropped.
        let text = "\u{FEFF}id,name\n\"Acme\" Inc,b\rA2,\n\n  \nA3,\"\""
        let table = try Self.table(text)
        #expect(table.header == ["id", "name"])
        #expect(table.rows.map(\.fields) == [["Acme Inc", "b"], ["A2", ""], ["A3", ""]])
        #expect(table.rows.map(\.line) == [2, 3, 6])
    }

    @Test func unclosedQuoteAndBadBytesAreLocated() throws {
        let open = #expect(throws: InputError.self) { try Self.table("id,name\nA1,\"Acme\nA2,b\n") }
        #expect(open?.diagnostics.first?.location == SourceLocation(file: "t.csv", line: 2, column: 4))
        let bad = #expect(throws: InputError.self) {
            try CSVTable(data: Data([0x69, 0x64, 0x0A, 0x41, 0xFF]), displayName: "t.csv")
        }
        #expect(bad?.diagnostics.first?.location == SourceLocation(file: "t.csv", line: 2, column: 2))
    }

    /// A random table: its cells, and the file that encodes them.
    struct Written: Sendable, CustomStringConvertible {
        var cells: [[String]]
        var text: String
        var description: String { text.debugDescription }
    }

    static let alphabet: [String] = ["a", "b", "Z", "1", " ", ",", "\"", "\n", "\r\n", "\r", "é", "€", "\t", "="]

    static let written = zip(
        Gen.element(of: alphabet).array(of: 0...6).array(of: 2...3).array(of: 1...12),
        Gen.int(in: 0...1_000_000)
    ).map { rows, seed -> Written in
        var random = seed
        func next(_ bound: Int) -> Int { random = (random &* 1_103_515_245 &+ 12_345) & 0x7FFF_FFFF; return (random >> 8) % bound }
        let width = rows.map(\.count).min()!
        // Row 0 is the header (its names distinct); every row's first cell starts with a letter
        // so that no record is blank.
        let cells = rows.enumerated().map { index, row in
            row.prefix(width).enumerated().map { column, pieces in
                (index == 0 ? "h\(column)" : column == 0 ? "k" : "") + pieces.map { $0 ?? "" }.joined()
            }
        }
        var text = ""
        for row in cells {
            text += row.map { cell in
                let mustQuote = cell.utf8.contains { [0x2C, 0x22, 0x0A, 0x0D].contains($0) }
                return mustQuote || next(4) == 0 ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
            }.joined(separator: ",")
            text += ["\n", "\r\n", "\r"][next(3)]
        }
        if next(2) == 0 { text.removeLast() }
        return Written(cells: cells, text: text)
    }

    @Test func readsWhatWasWritten() async {
        await propertyCheck(count: 500, input: Self.written) { written in
            guard let table = try? Self.table(written.text) else {
                Issue.record("not read: \(written)")
                return
            }
            #expect(table.header == written.cells[0].map { $0.trimmingCharacters(in: .init(charactersIn: " \t")) })
            let rows = table.rows + table.leftOut
            #expect(rows.sorted { $0.line < $1.line }.map(\.fields) == Array(written.cells.dropFirst()))
            // Each record starts one line after the previous one, plus the LFs inside its cells.
            var line = 1
            var expected: [Int] = []
            for row in written.cells {
                if line > 1 { expected.append(line) }
                line += 1 + row.reduce(0) { $0 + $1.utf8.filter { $0 == 0x0A }.count }
            }
            #expect(rows.map(\.line).sorted() == expected)
        }
    }

    @Test func agreesWithCSVSwift() async {
        await propertyCheck(count: 500, input: Self.written) { written in
            guard let table = try? Self.table(written.text),
                  let reader = try? CSVReader(string: written.text, hasHeaderRow: false, trimFields: false)
            else {
                Issue.record("not read: \(written)")
                return
            }
            var records: [[String]] = []
            while let fields = reader.next() { records.append(fields) }
            let ours = [table.header] + (table.rows + table.leftOut).sorted { $0.line < $1.line }.map(\.fields)
            #expect(ours.dropFirst() == records.dropFirst())
            #expect(ours[0] == records[0].map { $0.trimmingCharacters(in: .init(charactersIn: " \t")) })
        }
    }

    static let decimal = zip(Gen.element(of: ["", "-", "+"]), Gen.int(in: 0...9).array(of: 0...19),
                             Gen.int(in: 0...1), Gen.int(in: 0...9).array(of: 0...24))
        .map { sign, whole, point, fraction -> String in
            (sign ?? "") + whole.map(String.init).joined() + (point == 1 ? "." : "") + fraction.map(String.init).joined()
        }

    /// Short decimals are read by one exact division (Clinger's fast path); every decimal must
    /// read as the C library's correctly rounded conversion does, to the bit.
    @Test func decimalsReadAsTheCLibraryReadsThem() async {
        await propertyCheck(count: 3000, input: Self.decimal) { text in
            let expected = Double(text).map(\.bitPattern)
            #expect(NumberSyntax.plainDecimal(text).map(\.bitPattern) == expected, "\(text)")
        }
        let edges: [String] = ["0.1", "0.3", "123456789012345", "1234567890123456", "0.0000000000000000000001", "-0", "5.", ".5", "."]
        for text in edges {
            #expect(NumberSyntax.plainDecimal(text).map(\.bitPattern) == Double(text).map(\.bitPattern), "\(text)")
        }
    }
}
