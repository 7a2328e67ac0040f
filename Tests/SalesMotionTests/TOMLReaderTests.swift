// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
@testable import TOML
import Testing

@Suite struct TOMLReaderTests {
    static func read(_ text: String) throws -> [String: TOMLValue] {
        guard case .table(let entries) = try TOMLReader.read(text) else { throw TOMLReader.Failure(line: 0, column: 0, message: "not a table") }
        return entries
    }

    /// A generated model pins 2 % of a million accounts: 20,000 `[[pins]]` tables. Each one
    /// was appended by copying the array before it (quadratic: 25–42 s of a 30 s limit at a
    /// million accounts, in the reading phase); every one must still come back, in order.
    @Test func twentyThousandTablesOfOneArrayReadInOrder() throws {
        let count = 20_000
        let text = (0..<count).map { "[[pins]]\naccount = \"A\($0)\"\ntier = \"local\"\n" }.joined()
        let root = try Self.read(text)
        guard case .array(let pins) = root["pins"] else {
            Issue.record("pins is not an array")
            return
        }
        #expect(pins.count == count)
        #expect(pins.first == .table(["account": .string("A0"), "tier": .string("local")]))
        #expect(pins.last == .table(["account": .string("A\(count - 1)"), "tier": .string("local")]))
        #expect(pins.enumerated().allSatisfy { index, pin in
            if case .table(let entries) = pin { entries["account"] == .string("A\(index)") } else { false }
        })
    }

    @Test func valuesOfEveryKind() throws {
        let root = try Self.read("""
            # comment
            a = 12_000_000   # trailing comment
            b = 1.2e7
            c = -0.5
            d = [0.1, 0.45,]
            e = "text \\"quoted\\" \\u00e9"
            f = 'C:\\path'
            g = true
            h = 0x1F
            "quoted key" = 1
            i.j = 2
            k = { x = 1, y = "z" }
            m = [
              1,   # first
              2,
            ]
            n = \"\"\"
            two
            lines\"\"\"
            o = '''it's'''''

            [table]
            x = +3

            [[items]]
            id = "one"
            [[items]]
            id = "two"
            """)
        #expect(root["a"] == .integer(12_000_000))
        #expect(root["b"] == .float(12_000_000))
        #expect(root["c"] == .float(-0.5))
        #expect(root["d"] == .array([.float(0.1), .float(0.45)]))
        #expect(root["e"] == .string("text \"quoted\" é"))
        #expect(root["f"] == .string("C:\\path"))
        #expect(root["g"] == .bool(true))
        #expect(root["h"] == .integer(31))
        #expect(root["quoted key"] == .integer(1))
        #expect(root["i"] == .table(["j": .integer(2)]))
        #expect(root["k"] == .table(["x": .integer(1), "y": .string("z")]))
        #expect(root["m"] == .array([.integer(1), .integer(2)]))
        #expect(root["n"] == .string("two\nlines"))
        #expect(root["o"] == .string("it's''"))  // five closing quotes: two belong to the text
        #expect(root["table"] == .table(["x": .integer(3)]))
        #expect(root["items"] == .array([.table(["id": .string("one")]), .table(["id": .string("two")])]))
    }

    @Test(arguments: [
        ("[\ncosts]", 1, 2, "unexpected character U+000A where a key should start"),
        ("[[\u{FEFF}tier]]", 1, 3, "unexpected character U+FEFF where a key should start"),
        ("[[tièr]]", 1, 5, "expected ']' to close the table header"),
        ("a = 1\na = 2", 2, 1, "key 'a' is defined twice"),
        ("a = ", 1, 5, "expected a value"),
        ("a = lots", 1, 5, "unexpected text where a value should be"),
        ("a = 1979-05-27", 1, 5, "'1979-05-27' is a date or time: valid TOML, but model files do not use dates"),
        ("a = \"open", 1, 10, "the string is not closed"),
        ("a = [1, 2", 1, 10, "the array is not closed with ']'"),
        ("a = 1 b = 2", 1, 7, "unexpected 'b'; expected the end of the line"),
        ("[x]\n[x]", 2, 4, "table [x] is defined twice"),
        ("a = 01", 1, 5, "'01': leading zeros are not allowed"),
        ("a = 1__0", 1, 5, "'1__0' is not a number"),
        ("a = 1.", 1, 5, "'1.': a decimal point needs digits on both sides"),
    ])
    func malformedDocumentsAreRefusedWithTheirPosition(_ text: String, _ line: Int, _ column: Int, _ message: String) {
        do {
            _ = try TOMLReader.read(text)
            Issue.record("accepted \(text.debugDescription)")
        } catch {
            #expect(error.line == line && error.column == column, "\(text.debugDescription): \(error)")
            #expect(error.message.hasPrefix(message), "\(text.debugDescription): \(error.message)")
        }
    }

    /// Every byte that means something to TOML (and some that must not appear) inserted anywhere
    /// in a real model file, and every byte deleted: the reader must answer with a value or an
    /// error, never stop the process.
    @Test func everySingleByteDamageIsHandled() throws {
        let base = Array(try String(contentsOfFile: packageRoot + "/Tests/Fixtures/valid/model.toml", encoding: .utf8).utf8)
        let meaningful = Array("\t\n\r \"#',.=[]{}\\_-+0e:x".utf8) + [0x00, 0x01, 0x1F, 0x7F]
        let inserts: [[UInt8]] = meaningful.map { [$0] } + [[0xEF, 0xBB, 0xBF], [0xC3, 0xA9], [0xE2, 0x80, 0x8B]]
        var outcomes = 0
        for position in 0...base.count {
            for insert in inserts {
                var bytes = base
                bytes.insert(contentsOf: insert, at: position)
                _ = try? TOMLReader.read(String(decoding: bytes, as: UTF8.self))
                outcomes += 1
            }
            if position < base.count {
                var bytes = base
                bytes.remove(at: position)
                _ = try? TOMLReader.read(String(decoding: bytes, as: UTF8.self))
                outcomes += 1
            }
        }
        #expect(outcomes > 10_000)
    }
}
