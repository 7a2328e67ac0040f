// SPDX-License-Identifier: GPL-3.0-or-later

/// Where a value came from, so that every message can point at it.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line; 0 when the message is about the whole file.
    public var line: Int
    /// 1-based column (field) number; 0 when the message is about the whole line.
    public var column: Int

    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        line == 0 ? file : column == 0 ? "\(file):\(line)" : "\(file):\(line):\(column)"
    }
}
