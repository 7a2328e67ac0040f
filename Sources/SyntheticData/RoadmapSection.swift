// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import OutputFiles

/// Turns a generated model into a roadmap model (`generate --years Y`): the budget grows 4 % and
/// the GAM headcount 15 % a year (as arrays of `Y` values), at most 2 % of the accounts change
/// tier a year after the first, and a `[roadmap]` section plans `Y` years at an 8 % discount
/// rate with a market growing 3 % a year. Both generator families use it.
public enum RoadmapSection {
    /// `model` (a generated model.toml) with the roadmap's arrays and section; `accounts` sizes
    /// the yearly change limit.
    public static func adding(years: Int, accounts: Int, to model: String) -> String {
        var lines = model.components(separatedBy: "\n")
        var hasMaxChanges = false
        for (index, line) in lines.enumerated() {
            let parts = line.components(separatedBy: " = ")
            guard parts.count == 2, let value = Double(parts[1].replacingOccurrences(of: "_", with: "")) else { continue }
            switch parts[0] {
            case "budget":
                lines[index] = "budget = [" + (0..<years).map { formatShort((value * pow(1.04, Double($0))).rounded(to: 1000)) }.joined(separator: ", ") + "]"
            case "gam_headcount":
                lines[index] = "gam_headcount = [" + (0..<years).map { formatShort((value * pow(1.15, Double($0))).rounded()) }.joined(separator: ", ") + "]"
            case "max_changes":
                hasMaxChanges = true
            default: continue
            }
        }
        var text = lines.joined(separator: "\n")
        if !hasMaxChanges, years > 1, let transition = text.range(of: "[transition]\n") {
            // Year 1 moves what today's handling needs; later years at most 2 % of the accounts.
            let later = max(1, accounts / 50)
            text.insert(contentsOf: "max_changes = [\(([accounts] + Array(repeating: later, count: years - 1)).map(String.init).joined(separator: ", "))]\n",
                        at: transition.upperBound)
        }
        return text + """

            [roadmap]
            years = \(years)
            discount_rate = 0.08
            market_growth = 0.03

            """
    }
}
