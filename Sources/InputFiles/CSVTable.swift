// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
internal import OutputFiles

/// A CSV file read whole: its header and rows, each row with the line it starts on.
///
/// Accepts UTF-8 with or without a BOM, LF or CRLF, RFC 4180 quoting. Header names are
/// matched without regard to case or surrounding spaces; blank lines are skipped.
public struct CSVTable: Sendable {
    public struct Row: Sendable {
        public var line: Int
        public var fields: [String]
    }

    public let path: String
    public let header: [String]
    /// The rows fit to read: the right number of fields, no control characters.
    public let rows: [Row]
    /// What is wrong with the rows left out of ``rows``; the reader reports them with the
    /// problems it finds in the others.
    public let rowProblems: DiagnosticCollector
    /// The rows left out; their ids still count as declared, so that other files naming them
    /// are not reported a second time.
    public let leftOut: [Row]
    private let columnIndex: [String: Int]

    /// Reads `path`; throws ``InputError`` when the file cannot be read as a CSV table.
    public init(path: String, displayName: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw InputError([InputDiagnostic(SourceLocation(file: displayName), exists ? "cannot be read" : "file not found")])
        }
        try self.init(data: data, displayName: displayName)
    }

    /// Parses the bytes of a CSV file; `displayName` names it in messages.
    public init(data: Data, displayName: String) throws {
        self.path = displayName
        let (header, rows, mayHoldControls) = try data.withUnsafeBytes { raw in
            var bytes = raw.bindMemory(to: UInt8.self)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: bytes.dropFirst(3)) }
            try Self.checkText(bytes, displayName)
            let (header, rows) = try Self.records(of: bytes, displayName)
            return (header, rows, Self.mayHoldControlCharacters(bytes))
        }
        if header.count == 1 {
            for (delimiter, name) in [(";", "semicolons"), ("\t", "tabs")] where header[0].contains(delimiter) {
                throw InputError([InputDiagnostic(SourceLocation(file: displayName, line: 1),
                                                  "fields are separated by \(name); save the file with commas as separators")])
            }
        }
        var index: [String: Int] = [:]
        var problems = DiagnosticCollector()
        for (position, name) in header.enumerated() {
            let at = SourceLocation(file: displayName, line: 1, column: position + 1)
            if index[name.lowercased()] != nil {
                problems.report(at, "column '\(name)' appears twice")
            } else {
                index[name.lowercased()] = position
            }
            if let problem = Self.controlCharacterProblem(name) { problems.report(at, "column name: \(problem)") }
        }
        try problems.throwIfAny()
        // A row with more or fewer fields than the header is reported as such, not as type
        // errors of shifted cells; a row with a control character likewise; both are left out of
        // further checks.
        let fit = rows.filter { row in
            guard row.fields.count == header.count else {
                problems.report(SourceLocation(file: displayName, line: row.line),
                                "line \(row.line) has \(row.fields.count) field\(row.fields.count == 1 ? "" : "s"), the header has \(header.count)")
                return false
            }
            var clean = true
            for (position, field) in row.fields.enumerated() where mayHoldControls {
                guard let problem = Self.controlCharacterProblem(field) else { continue }
                problems.report(SourceLocation(file: displayName, line: row.line, column: position + 1), "\(header[position]): \(problem)")
                clean = false
            }
            return clean
        }
        self.header = header
        self.rows = fit
        let kept = Set(fit.map(\.line))
        self.leftOut = rows.filter { !kept.contains($0.line) }
        self.columnIndex = index
        self.rowProblems = problems
    }

    /// Throws unless the bytes are UTF-8 text with every quote closed.
    private static func checkText(_ bytes: UnsafeBufferPointer<UInt8>, _ displayName: String) throws {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            let (line, column) = positionOfFirstInvalidByte(Array(bytes))
            throw InputError([InputDiagnostic(SourceLocation(file: displayName, line: line, column: column),
                                              "not valid UTF-8 text; save the file as UTF-8 (CSV UTF-8 in Excel)")])
        }
        if let (line, column) = unclosedQuote(bytes) {
            throw InputError([InputDiagnostic(SourceLocation(file: displayName, line: line, column: column),
                                              "the quote that opens this field is never closed; every \" inside a quoted field is written twice (\"\")")])
        }
    }

    /// The header (trimmed) and the rows with the line each starts on; blank rows are skipped.
    private static func records(of bytes: UnsafeBufferPointer<UInt8>, _ displayName: String) throws -> (header: [String], rows: [Row]) {
        var header: [String]?
        var rows: [Row] = []
        CSVRecords.forEach(in: bytes) { record in
            if record.fields.allSatisfy({ $0.trimmed.isEmpty }) { return }
            if header == nil {
                header = record.fields.map { $0.trimmed }
            } else {
                rows.append(Row(line: record.line, fields: record.fields))
            }
        }
        guard let header else { throw InputError([InputDiagnostic(SourceLocation(file: displayName), "is empty; expected a header row")]) }
        return (header, rows)
    }

    /// The position of column `name`, or nil when the file has no such column.
    public func column(_ name: String) -> Int? { columnIndex[name.lowercased()] }

    /// The cells of column `name` in the rows left out, where the row reaches it.
    public func leftOutCells(_ name: String) -> [String] {
        guard let position = column(name) else { return [] }
        return leftOut.compactMap { position < $0.fields.count ? $0.fields[position].trimmed : nil }.filter { !$0.isEmpty }
    }

    /// Positions of `required` columns, reporting each missing one; nil when any is missing.
    public func requireColumns(_ required: [String], into problems: inout DiagnosticCollector) -> [String: Int]? {
        var found: [String: Int] = [:]
        var missing = false
        for name in required {
            if let position = column(name) {
                found[name] = position
            } else {
                missing = true
                problems.report(SourceLocation(file: path, line: 1),
                                "missing required column '\(name)'\(suggestion(for: name, in: header))")
            }
        }
        return missing ? nil : found
    }

    /// Line and column (in characters) of the first byte that is not UTF-8.
    private static func positionOfFirstInvalidByte(_ bytes: [UInt8]) -> (Int, Int) {
        var line = 1
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 10 { end += 1 }
            if String(validating: bytes[start..<end], as: UTF8.self) == nil {
                var valid = end
                while valid > start && String(validating: bytes[start..<valid], as: UTF8.self) == nil { valid -= 1 }
                let characters = String(decoding: bytes[start..<valid], as: UTF8.self).unicodeScalars.count
                return (line, characters + 1)
            }
            line += 1
            start = end + 1
        }
        return (line, 1)
    }

    /// Where a quoted field opens that the file never closes (RFC 4180: a field that starts
    /// with `"` ends at the next lone `"`), as line and column; nil when every quote closes.
    public static func unclosedQuote(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        var line = 1, lineStart = 0
        var index = 0
        var atFieldStart = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 && atFieldStart {
                let openLine = line, openColumn = String(decoding: bytes[lineStart..<index], as: UTF8.self).unicodeScalars.count + 1
                index += 1
                var closed = false
                while index < bytes.count {
                    if bytes[index] == 0x22 {
                        if index + 1 < bytes.count && bytes[index + 1] == 0x22 { index += 2; continue }
                        closed = true
                        index += 1
                        break
                    }
                    if bytes[index] == 0x0A { line += 1; lineStart = index + 1 }
                    index += 1
                }
                if !closed { return (openLine, openColumn) }
                atFieldStart = false
                continue
            }
            if byte == 0x0A { line += 1; lineStart = index + 1 }
            atFieldStart = byte == 0x2C || byte == 0x0A || byte == 0x0D
            index += 1
        }
        return nil
    }

    /// Whether any byte of a file may start a control character a cell must not hold (C0 but
    /// tab and line breaks, DEL, and 0xC2, which starts C1 and also `£` or `°`). A file without
    /// one has no cell with a problem (``controlCharacterProblem(_:lineBreaks:)`` allows tabs and
    /// line breaks): one pass over its bytes instead of a scan per cell (a million accounts'
    /// footprint file, 3.2 million rows: 0.4 s of its parsing).
    static func mayHoldControlCharacters(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let flagged: [UInt8] = (0...255).map { byte in
            (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F || byte == 0xC2 ? 1 : 0
        }
        return flagged.withUnsafeBufferPointer { flagged in
            var any: UInt8 = 0
            for byte in bytes { any |= flagged[Int(byte)] }
            return any != 0
        }
    }

    /// What is wrong with a cell that holds a control character (NUL, ESC, BEL, …), which
    /// would reach terminals and reports; nil for a clean cell. Tabs are allowed, and line
    /// breaks unless `lineBreaks` is false (a quoted name may span lines; an id may not).
    public static func controlCharacterProblem(_ text: String, lineBreaks: Bool = true) -> String? {
        // A byte scan first (every cell passes here): C0 and DEL are single bytes, C1 starts
        // with 0xC2; a clean cell has none of them.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return nil }
        for scalar in text.unicodeScalars where TerminalText.isControl(scalar) && scalar != "\t"
            && !(lineBreaks && (scalar == "\n" || scalar == "\r")) {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "control character U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex) in the cell; remove it"
        }
        return nil
    }
}

/// Reads typed fields from one CSV row, reporting each bad cell with its line and column.
public struct CSVFieldReader: Sendable {
    public let file: String
    public let row: CSVTable.Row
    public let header: [String]

    public init(file: String, row: CSVTable.Row, header: [String]) {
        (self.file, self.row, self.header) = (file, row, header)
    }

    public func location(_ column: Int) -> SourceLocation {
        SourceLocation(file: file, line: row.line, column: column + 1)
    }

    /// The trimmed cell at `column`; empty when the row is short or the column is absent.
    public func text(_ column: Int?) -> String {
        guard let column, column < row.fields.count else { return "" }
        return row.fields[column].trimmed
    }

    /// A required non-empty identifier cell (an id or a region), at most
    /// ``Identifier/maximumLength`` characters.
    public func requiredText(_ column: Int, _ problems: inout DiagnosticCollector) -> String? {
        let value = text(column)
        if value.isEmpty {
            problems.report(location(column), "\(header[column]): a value is required")
            return nil
        }
        if let problem = Identifier.lengthProblem(value) {
            problems.report(location(column), "\(header[column]): \(problem)")
            return nil
        }
        if let problem = CSVTable.controlCharacterProblem(value, lineBreaks: false) {
            problems.report(location(column), "\(header[column]): \(problem)")
            return nil
        }
        return value
    }

    public enum NumberRule: Sendable {
        case nonNegative
        case positive
        case fraction

        public var expectation: String {
            switch self {
            case .nonNegative: return "a number ≥ 0"
            case .positive: return "a number > 0"
            case .fraction: return "a fraction from 0 to 1 (or a percentage such as 35%)"
            }
        }
    }

    /// A number cell. `defaultValue` is the value of an optional column that is absent; a
    /// blank cell in a column that is present is an error (spec §2: a forgotten cell must never
    /// pass silently as the most favourable default).
    public func number(_ column: Int?, _ rule: NumberRule, default defaultValue: Double? = nil,
                name: String, _ problems: inout DiagnosticCollector) -> Double? {
        if column == nil, let defaultValue { return defaultValue }
        let cell = text(column)
        var at: SourceLocation { column.map(location) ?? SourceLocation(file: file, line: row.line) }
        if cell.isEmpty {
            problems.report(at, "\(name): a value is required; expected \(rule.expectation)")
            return nil
        }
        let parsed = rule == .fraction ? NumberSyntax.fraction(cell) : NumberSyntax.plainDecimal(cell)
        guard let value = parsed else {
            var hint = ""
            if cell.contains(",") || cell.contains(" ") || cell.contains("'") {
                hint = "; write plain decimals without thousands separators, with '.' as the decimal point"
            }
            problems.report(at, "\(name): expected \(rule.expectation), found \"\(cell)\"\(hint)")
            return nil
        }
        guard abs(value) <= NumberSyntax.largest else {
            problems.report(at, "\(name): \(cell) is too large; values up to 1e15 are accepted")
            return nil
        }
        let valid: Bool
        switch rule {
        case .nonNegative: valid = value >= 0
        case .positive: valid = value > 0
        case .fraction: valid = value >= 0 && value <= 1
        }
        guard valid else {
            problems.report(at, "\(name): expected \(rule.expectation), found \(cell)")
            return nil
        }
        return value
    }
}
