// SPDX-License-Identifier: GPL-3.0-or-later

/// Counts in words: `1 account`, `2 accounts`, `1,250 accounts`.
public enum Words {
    /// `count` with its noun, singular or plural, thousands grouped.
    public static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        grouped(count) + " " + (count == 1 ? singular : plural ?? singular + "s")
    }

    /// `1,234,567`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (value < 0 ? "-" : "") + result
    }
}
