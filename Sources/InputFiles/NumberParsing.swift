// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import OutputFiles

/// Parsing of the number forms the inputs accept, shared by the CSV reader, the model file
/// and the command line.
public enum NumberSyntax {
    /// The largest magnitude any input may have; beyond it products of inputs lose meaning.
    public static let largest = 1e15

    /// The one range rule of every number a user gives (CSV cells, model file, `--set`,
    /// `--vary`): what is wrong with `value`, or nil when it is finite and at most
    /// ``largest`` in magnitude.
    public static func rangeProblem(_ value: Double) -> String? {
        guard value.isFinite else { return "\(value) is not a number" }
        guard abs(value) <= largest else { return "\(formatShort(value)) is too large; values up to 1e15 are accepted" }
        return nil
    }

    /// A plain decimal (`1234.5`, `-3`, `1.2e7`); nil for anything else, including NaN,
    /// infinities, hex and thousands separators.
    public static func plainDecimal(_ text: String) -> Double? {
        var bytes = text
        if let value = bytes.withUTF8(exactShortDecimal) { return value }
        guard !text.isEmpty, text.utf8.allSatisfy({ isDecimalByte($0) }) else { return nil }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// A fraction: a plain decimal, or a percentage such as `35%` (= 0.35).
    public static func fraction(_ text: String) -> Double? {
        if text.hasSuffix("%") {
            let number = String(text.dropLast()).trimmed
            return plainDecimal(number).map { $0 / 100 }
        }
        return plainDecimal(text)
    }

    /// An amount as users type it: `12000000`, `12_000_000`, `1.2e7`, `12M`, `800k`, `1.5bn`.
    public static func amount(_ text: String) -> Double? {
        var body = text.trimmed.replacingOccurrences(of: "_", with: "")
        var scale = 1.0
        let suffixes: [(String, Double)] = [("bn", 1e9), ("b", 1e9), ("m", 1e6), ("k", 1e3)]
        for (suffix, factor) in suffixes where body.lowercased().hasSuffix(suffix) {
            body = String(body.dropLast(suffix.count))
            scale = factor
            break
        }
        if body.hasSuffix("%") { return scale == 1 ? fraction(body) : nil }
        return plainDecimal(body).map { $0 * scale }
    }

    /// The value of `[+-]digits[.digits]` with at most 15 significant digits and 22 decimals,
    /// computed as one division of two exact doubles (Clinger's fast path), hence correctly
    /// rounded like `Double(_:)`; nil for every other form, which `Double(_:)` then reads. A
    /// million accounts have six million cells of this form.
    static func exactShortDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var significant = 0, decimals = 0
        var digits = false, point = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "."), !point {
                point = true
                continue
            }
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            digits = true
            if mantissa != 0 || byte != UInt8(ascii: "0") { significant += 1 }
            mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
            if point { decimals += 1 }
            guard significant <= 15, decimals <= 22 else { return nil }
        }
        guard digits else { return nil }
        let value = Double(mantissa) / exactPowersOfTen[decimals]
        return negative ? -value : value
    }

    private static func isDecimalByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }
}

extension String {
    /// Leading and trailing spaces and tabs removed (a byte scan: Foundation's trimming
    /// dominated reading 100,000 accounts).
    public var trimmed: String {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last else { return self }
        func blank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        if !blank(first) && !blank(last) { return self }
        guard let start = bytes.firstIndex(where: { !blank($0) }) else { return "" }
        let end = bytes.lastIndex(where: { !blank($0) })!
        return String(self[start...end])
    }
}
