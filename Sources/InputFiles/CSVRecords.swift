// SPDX-License-Identifier: GPL-3.0-or-later

/// The records of a CSV file, split in one pass over its bytes (RFC 4180).
///
/// Fields end at `,`; records at LF, CRLF or a lone CR, or at the end of the file. A field that
/// starts with `"` is quoted: it runs to the next lone `"` (a doubled `""` is one quote, and
/// commas and line breaks inside are text); anything after its closing quote up to the next
/// comma or line break is kept as plain text (`"Acme" Inc` is `Acme Inc`, as Excel and
/// Python's csv module read it). A `"` inside an unquoted field is text. Fields are not
/// trimmed.
///
/// The bytes must be valid UTF-8 (``CSVTable`` checks that first); a quoted field left open
/// runs to the end of the file.
enum CSVRecords {
    struct Record {
        /// The line the record starts on (1-based; line breaks inside quoted fields count).
        var line: Int
        var fields: [String]
    }

    /// Calls `body` with each record in file order.
    static func forEach(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Record) throws -> Void) rethrows {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        let count = bytes.count
        var index = 0, line = 1
        var quoted: [UInt8] = []
        var fields: [String] = []
        // The index of the first comma, CR or LF at or after `from`, or `count`.
        func plainEnd(from: Int) -> Int {
            var end = from
            while end < count {
                let byte = bytes[end]
                if byte == comma || byte == lf || byte == cr { break }
                end += 1
            }
            return end
        }
        while index < count {
            let recordLine = line
            fields.removeAll(keepingCapacity: true)
            while true {
                if index < count && bytes[index] == quote {
                    index += 1
                    quoted.removeAll(keepingCapacity: true)
                    while index < count {
                        var next = index
                        while next < count && bytes[next] != quote {
                            if bytes[next] == lf { line += 1 }
                            next += 1
                        }
                        quoted.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<next]))
                        if next + 1 < count && bytes[next + 1] == quote {
                            quoted.append(quote)
                            index = next + 2
                        } else {
                            index = min(next + 1, count)
                            break
                        }
                    }
                    let end = plainEnd(from: index)
                    quoted.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                    index = end
                    fields.append(String(decoding: quoted, as: UTF8.self))
                } else {
                    let end = plainEnd(from: index)
                    fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self))
                    index = end
                }
                if index < count && bytes[index] == comma {
                    index += 1
                    continue
                }
                if index < count {
                    if bytes[index] == cr && index + 1 < count && bytes[index + 1] == lf { index += 1 }
                    index += 1
                    line += 1
                }
                break
            }
            try body(Record(line: recordLine, fields: fields))
        }
    }
}
