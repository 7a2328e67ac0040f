// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation

/// One cell of an output CSV file.
public enum CSVCell: Sendable {
    case text(String)
    case number(Double)
    case flag(Bool)

    /// The cell as written: numbers in shortest round-trip form with `.`; text that a
    /// spreadsheet would run as a formula gets a leading `'`.
    public var rendered: String {
        switch self {
        case .number(let value): return formatShort(value)
        case .flag(let value): return value ? "true" : "false"
        case .text(let text):
            switch text.utf8.first {
            case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                return "'" + text
            default: return text
            }
        }
    }

    var isNumber: Bool {
        if case .number = self { return true }
        return false
    }
}

/// How CSV files are written: the specification's form, or for Excel.
public enum CSVDialect: String, Sendable, CaseIterable {
    /// UTF-8 without a byte-order mark, `,` between fields, `.` in numbers (the specification).
    case standard
    /// The same with a UTF-8 byte-order mark, so Excel on Windows reads accents right.
    case excel
    /// For Excel set to a European locale: byte-order mark, `;` between fields, `,` in numbers.
    case excelEU = "excel-eu"

    var separator: UInt8 { self == .excelEU ? 0x3B : 0x2C }
    var byteOrderMark: [UInt8] { self == .standard ? [] : [0xEF, 0xBB, 0xBF] }
}

/// A CSV file built in memory (RFC 4180 quoting), written in one piece.
///
/// Cells are kept as their text, back to back in one buffer (a million-row plan held as arrays
/// of cells took about twice the memory of its file); a document made ``init(header:streaming:)``
/// keeps only its file's bytes, written as rows are appended.
public struct CSVDocument: Sendable {
    public private(set) var header: [String]
    /// Every cell's text as the standard dialect writes it, unquoted, back to back.
    private var cellBytes: [UInt8] = []
    /// Where each cell's text ends in `cellBytes`, row after row.
    private var cellEnds: [Int] = []
    /// Which cells are numbers (excel-eu writes their `.` as `,`).
    private var numberCells: [Bool] = []
    /// A streaming document's dialect and the file's bytes so far.
    private var stream: (dialect: CSVDialect, bytes: Data)?
    /// A streaming document's row being written (its storage kept from row to row).
    private var rowBytes: [UInt8] = []
    private var streamedRows = 0

    public init(header: [String]) { self.header = header }

    /// A document whose file is written in `dialect` as rows are appended: ``data(_:)`` then
    /// returns it without a copy, in that dialect only.
    public init(header: [String], streaming dialect: CSVDialect) {
        self.header = header
        var bytes = dialect.byteOrderMark
        Self.appendRow(header.map { CSVCell.text($0) }, dialect, to: &bytes)
        stream = (dialect, Data(bytes))
    }

    /// The rows appended so far.
    public var rowCount: Int { stream != nil ? streamedRows : header.isEmpty ? 0 : cellEnds.count / header.count }

    public mutating func append(_ row: [CSVCell]) {
        precondition(row.count == header.count, "row has \(row.count) cells for \(header.count) columns")
        if let dialect = stream?.dialect {
            rowBytes.removeAll(keepingCapacity: true)
            Self.appendRow(row, dialect, to: &rowBytes)
            stream!.bytes.append(contentsOf: rowBytes)
            streamedRows += 1
            return
        }
        for cell in row {
            cellBytes.append(contentsOf: cell.rendered.utf8)
            cellEnds.append(cellBytes.count)
            if case .number = cell { numberCells.append(true) } else { numberCells.append(false) }
        }
    }

    /// One field as `dialect` writes it: quoted when it holds the separator, a quote or a line
    /// break (quotes doubled); a number's `.` as `,` in excel-eu.
    private static func appendField<Field: Collection>(_ field: Field, number: Bool, _ dialect: CSVDialect, to bytes: inout [UInt8])
        where Field.Element == UInt8 {
        let separator = dialect.separator
        let needsQuotes = field.contains { $0 == separator || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        let decimalComma = number && dialect == .excelEU
        if !needsQuotes && !decimalComma {
            bytes.append(contentsOf: field)
            return
        }
        if needsQuotes { bytes.append(0x22) }
        for byte in field {
            if byte == 0x22 { bytes.append(0x22) }
            bytes.append(decimalComma && byte == 0x2E ? 0x2C : byte)
        }
        if needsQuotes { bytes.append(0x22) }
    }

    /// One row of cells, each rendered straight into `bytes` (no array per cell: a
    /// million-account plan has tens of millions of them).
    private static func appendRow(_ cells: [CSVCell], _ dialect: CSVDialect, to bytes: inout [UInt8]) {
        for (position, cell) in cells.enumerated() {
            if position > 0 { bytes.append(dialect.separator) }
            var text = cell.rendered
            text.withUTF8 { appendField($0, number: cell.isNumber, dialect, to: &bytes) }
        }
        bytes.append(0x0A)
    }

    /// The file's bytes: RFC 4180 (fields with a comma, quote or line break are quoted, quotes
    /// doubled), LF line ends. Written directly into one buffer: CSV.swift's writer, which
    /// writes scalar by scalar into a stream, took 6 s for a 100,000-account plan. A streaming
    /// document's dialect must be the one it was made with.
    public func data(_ dialect: CSVDialect = .standard) throws -> Data {
        if let stream {
            guard stream.dialect == dialect else {
                throw OutputError("a CSV document written as \(stream.dialect.rawValue) was asked for as \(dialect.rawValue)")
            }
            return stream.bytes
        }
        var bytes: [UInt8] = dialect.byteOrderMark
        bytes.reserveCapacity(cellBytes.count + cellEnds.count + 64 * max(1, header.count) + 16)
        Self.appendRow(header.map { CSVCell.text($0) }, dialect, to: &bytes)
        let columns = header.count
        var start = 0
        for (index, end) in cellEnds.enumerated() {
            if index % columns > 0 { bytes.append(dialect.separator) }
            Self.appendField(cellBytes[start..<end], number: numberCells[index], dialect, to: &bytes)
            start = end
            if index % columns == columns - 1 { bytes.append(0x0A) }
        }
        return Data(bytes)
    }
}

/// A number in the shortest form that reads back to the same value (`12`, `0.35`, `1e-07`),
/// after removing floating-point noise: a value within 1e-12 (relative) of one with at most
/// ten significant digits is written as that value (`50.000000000000014` → `50`,
/// `26449999.999999996` → `26450000`). The one place every file's numbers pass through.
public func formatShort(_ value: Double) -> String {
    let value = withoutNoise(value)
    if value == 0 { return "0" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}

/// `value`, or the value of at most ten significant digits within 1e-12 of it (relative).
/// Arithmetic only (it runs for every number of every file): the value rounded to ten
/// significant digits by an exact power of ten, kept when it is that close.
public func withoutNoise(_ value: Double) -> Double {
    guard value.isFinite, value != 0 else { return value == 0 ? 0 : value }
    if value == value.rounded() { return value }
    let magnitude = abs(value)
    let exponent = Int(floor(log10(magnitude))) - 9
    let candidate: Double
    if exponent < 0 {
        guard -exponent <= 22 else { return value }
        let scale = exactPowersOfTen[-exponent]
        candidate = (value * scale).rounded() / scale
    } else {
        let scale = exponent <= 22 ? exactPowersOfTen[exponent] : pow(10, Double(exponent))
        candidate = (value / scale).rounded() * scale
    }
    return abs(candidate - value) <= 1e-12 * magnitude ? candidate : value
}

/// 10^0 … 10^22, every one exact in a Double (what `pow(10, n)` returns for them, without a
/// call per number): the numbers written here and the decimals read (`NumberSyntax`).
public let exactPowersOfTen: [Double] = (0...22).map { exponent in (0..<exponent).reduce(1.0) { value, _ in value * 10 } }
