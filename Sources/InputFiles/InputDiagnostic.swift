// SPDX-License-Identifier: GPL-3.0-or-later

internal import OutputFiles

/// One problem found in the inputs, pointing at the file, line and column that hold it.
public struct InputDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    /// Further lines with the same problem in the same column (the value found may differ).
    public var alsoAtLines: [Int] = []

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    /// `file:line:column: message`, the form compilers use, so editors can jump to it; the
    /// same problem in other rows is named once, with their lines.
    public var description: String {
        guard !alsoAtLines.isEmpty else { return "\(location): \(message)" }
        let lines = alsoAtLines.prefix(10).map(String.init).joined(separator: ", ") + (alsoAtLines.count > 10 ? ", …" : "")
        return "\(location): \(message) — and the same in \(Words.count(alsoAtLines.count, "more row")): lines \(lines)"
    }

    /// What makes two problems the same: file, column and message, the value found aside.
    var groupKey: String {
        var text = message
        if let found = text.range(of: ", found ") {
            let rest = text[found.upperBound...]
            let end = rest.firstIndex(of: ";") ?? rest.endIndex
            text.replaceSubrange(found.upperBound..<end, with: "…")
        }
        return "\(location.file)|\(location.column)|\(text)"
    }
}

/// The inputs are unusable; carries every problem found, not just the first.
public struct InputError: Error, Sendable, CustomStringConvertible {
    /// At most this many problems are kept; the rest are counted.
    public static let reportLimit = 50

    public var diagnostics: [InputDiagnostic]
    /// Problems found beyond ``reportLimit``.
    public var omitted: Int

    public init(_ diagnostics: [InputDiagnostic], omitted: Int = 0) {
        self.diagnostics = diagnostics
        self.omitted = omitted
    }

    public var description: String {
        var lines = diagnostics.map(\.description)
        if omitted > 0 { lines.append("… and \(omitted) more problems") }
        return lines.joined(separator: "\n")
    }
}

/// Collects diagnostics up to ``InputError/reportLimit`` and throws them together.
public struct DiagnosticCollector: Sendable {
    public init() {}

    public private(set) var diagnostics: [InputDiagnostic] = []
    public private(set) var omitted = 0

    public var isEmpty: Bool { diagnostics.isEmpty }

    /// Where each group of like problems (``InputDiagnostic/groupKey``) was first reported.
    private var groups: [String: Int] = [:]

    /// Reports a problem; the same problem in the same column of another row (a line given) is
    /// added to the first report as a further line, so 120 rows with thousands separators make
    /// one message, not 120.
    public mutating func report(_ location: SourceLocation, _ message: String) {
        let diagnostic = InputDiagnostic(location, message)
        if location.line > 0, location.column > 0, let first = groups[diagnostic.groupKey] {
            diagnostics[first].alsoAtLines.append(location.line)
            return
        }
        if diagnostics.count < InputError.reportLimit {
            if location.line > 0, location.column > 0 { groups[diagnostic.groupKey] = diagnostics.count }
            diagnostics.append(diagnostic)
        } else {
            omitted += 1
        }
    }

    public mutating func absorb(_ error: InputError) {
        for diagnostic in error.diagnostics {
            report(diagnostic.location, diagnostic.message)
            for line in diagnostic.alsoAtLines {
                report(SourceLocation(file: diagnostic.location.file, line: line, column: diagnostic.location.column),
                       diagnostic.message)
            }
        }
        omitted += error.omitted
    }

    public func throwIfAny() throws {
        if !diagnostics.isEmpty { throw InputError(diagnostics, omitted: omitted) }
    }
}

/// Rules every identifier (account, region, tier, GAM) follows.
public enum Identifier {
    /// The longest id accepted, in characters.
    public static let maximumLength = 256

    /// What is wrong with the length of `id`, or nil.
    public static func lengthProblem(_ id: String) -> String? {
        // No more bytes than the limit: no more characters either (counting them is slow).
        if id.utf8.count <= maximumLength { return nil }
        let count = id.count
        return count > maximumLength ? "an id of \(count) characters; ids have at most \(maximumLength)" : nil
    }
}

/// The closest of `candidates` to `value`, for "did you mean" hints; nil when none is close.
/// Only candidates whose length is within the allowed distance are compared, so a long
/// unknown value costs a length check per candidate, not an edit distance.
public func closestMatch(to value: String, in candidates: [String]) -> String? {
    guard value.count <= Identifier.maximumLength else { return nil }
    let lowered = value.lowercased()
    if let sameLetters = candidates.first(where: { $0.lowercased() == lowered }) { return sameLetters }
    var best: (String, Int)?
    let length = lowered.count
    for candidate in candidates {
        let allowed = max(1, candidate.count / 3)
        guard abs(candidate.count - length) <= allowed else { continue }
        let distance = editDistance(lowered, candidate.lowercased())
        if distance <= max(1, candidate.count / 3), distance < (best?.1 ?? .max) { best = (candidate, distance) }
    }
    return best?.0
}

private func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// `" (did you mean 'EMEA'?)"` or an empty string.
public func suggestion(for value: String, in candidates: [String]) -> String {
    closestMatch(to: value, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
}
