// SPDX-License-Identifier: GPL-3.0-or-later

/// Strings: basic and literal, single- and multi-line, with escapes.
extension TOMLReader {
    /// Steps over the opening quotes (and the line break right after `"""` or `'''`).
    mutating func openString(multiline: Bool) {
        for _ in 0..<(multiline ? 3 : 1) { advance() }
        if multiline { skipFirstLineBreak() }
    }

    /// At a quote `c` of the string's kind: whether it ends the string (the quotes are then
    /// read; quotes beyond the closing three belong to `text`).
    mutating func closes(at c: Unicode.Scalar, multiline: Bool, into text: inout String) -> Bool {
        if !multiline { advance(); return true }
        return closesMultiline(with: c, into: &text)
    }

    mutating func basicString(multiline: Bool) throws(Failure) -> String {
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

    mutating func literalString(multiline: Bool) throws(Failure) -> String {
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
    mutating func closesMultiline(with quote: Unicode.Scalar, into text: inout String) -> Bool {
        guard peek(1) == quote && peek(2) == quote else { return false }
        var quotes = 3
        while peek(quotes) == quote && quotes < 5 { quotes += 1 }
        for _ in 0..<(quotes - 3) { text.unicodeScalars.append(quote) }
        for _ in 0..<quotes { advance() }
        return true
    }

    mutating func skipFirstLineBreak() {
        if current == "\n" { advance() } else if current == "\r", peek(1) == "\n" { advance(); advance() }
    }
}
