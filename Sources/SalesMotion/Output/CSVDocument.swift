// SPDX-License-Identifier: GPL-3.0-or-later

internal import CSV
import Foundation

/// One cell of an output CSV file.
enum CSVCell {
    case text(String)
    case number(Double)
    case flag(Bool)

    /// The cell as written: numbers in shortest round-trip form with `.`; text that a
    /// spreadsheet would run as a formula gets a leading `'`.
    var rendered: String {
        switch self {
        case .number(let value): return formatShort(value)
        case .flag(let value): return value ? "true" : "false"
        case .text(let text):
            guard let first = text.unicodeScalars.first else { return text }
            return ["=", "+", "-", "@", "\t", "\r"].contains(first) ? "'" + text : text
        }
    }
}

/// A CSV file built in memory (RFC 4180 quoting by CSV.swift), written in one piece.
struct CSVDocument {
    var header: [String]
    var rows: [[CSVCell]] = []

    init(header: [String]) { self.header = header }

    mutating func append(_ row: [CSVCell]) {
        precondition(row.count == header.count, "row has \(row.count) cells for \(header.count) columns")
        rows.append(row)
    }

    func data() throws -> Data {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream, newline: .lf)
        try writer.write(row: header)
        for row in rows { try writer.write(row: row.map(\.rendered)) }
        writer.stream.close()
        guard var data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw CocoaError(.fileWriteUnknown)
        }
        data.append(0x0A)
        return data
    }
}
