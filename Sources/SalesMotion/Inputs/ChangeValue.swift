// SPDX-License-Identifier: GPL-3.0-or-later

internal import InputFiles
internal import OutputFiles

/// What a change does to a number, as a user writes it in `--set`, `--budget`, `--vary` or a
/// scenario file (`scenarios.md`, "Values"): `18M` sets it, `+2` or `-1.5M` adds to it,
/// `-15%` or `+20%` scales it, `none` removes an optional limit. On a fraction key an
/// unsigned percentage is the fraction itself (`12%` is 0.12); on any other key it is
/// ambiguous and refused with the way to write it.
enum ChangeValue: Equatable, Sendable {
    case set(Double)
    case add(Double)
    /// A factor: `-15%` is 0.85.
    case scale(Double)
    case remove
    /// Not a number form (a band, a list, a word): left to the model file's own reading.
    case other(String)

    /// Parses `text` for `key` (named in messages); `percentIsFraction` when the key is a
    /// fraction. Throws the message (without location) when the text cannot be meant.
    init(_ text: String, key: String, percentIsFraction: Bool) throws(ChangeValueProblem) {
        let body = text.trimmed
        if body.lowercased() == "none" {
            self = .remove
            return
        }
        if let sign = body.first, sign == "+" || sign == "-" {
            let magnitude = String(body.dropFirst()).trimmed
            let direction: Double = sign == "-" ? -1 : 1
            if magnitude.hasSuffix("%") {
                guard let percent = NumberSyntax.plainDecimal(String(magnitude.dropLast()).trimmed), percent >= 0 else {
                    throw ChangeValueProblem("\(key): \(body) is not a percentage; write e.g. -15% or +20%")
                }
                self = .scale(1 + direction * percent / 100)
                return
            }
            guard let amount = NumberSyntax.amount(magnitude), amount >= 0, !magnitude.hasPrefix("+"), !magnitude.hasPrefix("-")
            else {
                throw ChangeValueProblem("\(key): \(body) is not an amount to add; write e.g. +2, -1.5M or -15%")
            }
            self = .add(direction * amount)
            return
        }
        if body.hasSuffix("%") {
            guard let percent = NumberSyntax.plainDecimal(String(body.dropLast()).trimmed) else {
                throw ChangeValueProblem("\(key): \(body) is not a percentage")
            }
            if percentIsFraction {
                self = .set(percent / 100)
                return
            }
            let change = percent - 100
            let written = (change < 0 ? "-" : "+") + formatShort(abs(change)) + "%"
            throw ChangeValueProblem("\(key): \(body) is ambiguous; write \(written) for \(formatShort(percent)) % of the current value")
        }
        if let amount = NumberSyntax.amount(body) {
            self = .set(amount)
            return
        }
        self = .other(body)
    }

    /// Whether the change needs the value it replaces.
    var isRelative: Bool {
        switch self {
        case .add, .scale: return true
        default: return false
        }
    }

    /// The new value from `current` (nil: the key has none, e.g. an absent optional limit).
    func resolved(from current: Double?, key: String) throws(ChangeValueProblem) -> Double? {
        switch self {
        case .set(let value): return value
        case .remove, .other: return nil
        case .add(let amount), .scale(let amount):
            guard let current else {
                throw ChangeValueProblem("\(key): has no value to change (the key is not set); give the value itself")
            }
            return isAdd ? current + amount : current * amount
        }
    }

    private var isAdd: Bool {
        if case .add = self { return true }
        return false
    }
}

/// Why a change's value cannot be taken; the caller adds where it was written.
struct ChangeValueProblem: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
