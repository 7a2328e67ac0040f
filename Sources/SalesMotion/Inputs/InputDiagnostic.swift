// SPDX-License-Identifier: GPL-3.0-or-later

/// One problem found in the inputs, pointing at the file, line and column that hold it.
public struct InputDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    /// `file:line:column: message`, the form compilers use, so editors can jump to it.
    public var description: String { "\(location): \(message)" }
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
struct DiagnosticCollector {
    private(set) var diagnostics: [InputDiagnostic] = []
    private(set) var omitted = 0

    var isEmpty: Bool { diagnostics.isEmpty }

    mutating func report(_ location: SourceLocation, _ message: String) {
        if diagnostics.count < InputError.reportLimit {
            diagnostics.append(InputDiagnostic(location, message))
        } else {
            omitted += 1
        }
    }

    mutating func absorb(_ error: InputError) {
        for diagnostic in error.diagnostics { report(diagnostic.location, diagnostic.message) }
        omitted += error.omitted
    }

    func throwIfAny() throws {
        if !diagnostics.isEmpty { throw InputError(diagnostics, omitted: omitted) }
    }
}

/// Rules every identifier (account, region, tier, GAM) follows.
enum Identifier {
    /// The longest id accepted, in characters.
    static let maximumLength = 256

    /// What is wrong with the length of `id`, or nil.
    static func lengthProblem(_ id: String) -> String? {
        let count = id.count
        return count > maximumLength ? "an id of \(count) characters; ids have at most \(maximumLength)" : nil
    }
}

/// The closest of `candidates` to `value`, for "did you mean" hints; nil when none is close.
/// Only candidates whose length is within the allowed distance are compared, so a long
/// unknown value costs a length check per candidate, not an edit distance.
func closestMatch(to value: String, in candidates: [String]) -> String? {
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
func suggestion(for value: String, in candidates: [String]) -> String {
    closestMatch(to: value, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
}
