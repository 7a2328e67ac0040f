// SPDX-License-Identifier: GPL-3.0-or-later

internal import LinearProgramming

/// Interchangeable accounts in a core (``DecompositionSolver/solveCore``).
///
/// Two accounts left with a choice are interchangeable when the core program cannot tell them
/// apart: the same margin, the same kept options with the same values, row coefficients and
/// minimum effort, and the same footprint pairs with the same segments. Any plan then stays a
/// plan of the same value when they swap all their decisions, so the core may ask that such a
/// group's option numbers never rise along it. Without that, branch and bound explores every
/// permutation of a group's plans (a dataset of a few dozen account archetypes copied many
/// times took minutes for 200 accounts with a choice).
extension DecompositionSolver {
    /// The groups (of two or more, in account order) of interchangeable accounts among those
    /// `allowed` several options.
    static func interchangeableGroups(_ structure: LinkingStructure, _ allowed: [[Int]?]) -> [[Int]] {
        let table = structure.pricingTable
        var groups: [[Double]: [Int]] = [:]
        var firstSeen: [[Double]] = []
        for a in allowed.indices {
            guard let kept = allowed[a] else { continue }
            let firstPair = table.pairStart[a], pairCount = table.pairStart[a + 1] - firstPair
            var key: [Double] = [structure.margins[a], Double(kept.count), Double(pairCount)]
            for k in kept {
                let o = table.optionStart[a] + k
                key += [Double(k), table.optionValue[o], Double(table.usageStart[o + 1] - table.usageStart[o])]
                for u in table.usageStart[o]..<table.usageStart[o + 1] {
                    key += [Double(table.usageRow[u]), table.usageCoefficient[u]]
                }
                key += table.minimum[table.minimumStart[o]..<(table.minimumStart[o] + pairCount)]
            }
            for p in firstPair..<(firstPair + pairCount) {
                key += [Double(table.pairClass[p]), Double(table.segmentStart[p + 1] - table.segmentStart[p])]
                for s in table.segmentStart[p]..<table.segmentStart[p + 1] {
                    key += [table.segmentWidth[s], table.segmentRevenuePerFTE[s]]
                }
            }
            if groups[key] == nil { firstSeen.append(key) }
            groups[key, default: []].append(a)
        }
        return firstSeen.compactMap { groups[$0]!.count > 1 ? groups[$0] : nil }
    }

    /// Rows that keep each group's chosen option numbers from rising along it: for every
    /// threshold j, the accounts' choices of options j or later never increase
    /// (`Σ_{k≥j} y[a_i, k] ≥ Σ_{k≥j} y[a_{i+1}, k]`), which orders their option numbers.
    static func orderGroups(_ groups: [[Int]], tiers: [[VariableIndex]?], in program: inout LinearProgram) {
        for group in groups {
            for (earlier, later) in zip(group, group.dropFirst()) {
                let first = tiers[earlier]!, second = tiers[later]!
                for j in 1..<first.count {
                    let terms = (j..<first.count).flatMap { [(first[$0], 1.0), (second[$0], -1.0)] }
                    program.addConstraint(terms: terms, lower: 0)
                }
            }
        }
    }

    /// `values` with each group's accounts' decisions swapped into the order the rows ask for
    /// (a plan of the same value that satisfies them).
    static func ordered(_ values: [Double], _ groups: [[Int]], tiers: [[VariableIndex]?], effort: [[[VariableIndex]]])
        -> [Double] {
        var values = values
        for group in groups {
            let variables = group.map { tiers[$0]! + effort[$0].flatMap { $0 } }
            let decisions = variables.map { vars in vars.map { values[$0.rawValue] } }
            let chosen = group.indices.map { i in tiers[group[i]]!.indices.max { values[tiers[group[i]]![$0].rawValue] < values[tiers[group[i]]![$1].rawValue] }! }
            let order = group.indices.sorted { chosen[$0] > chosen[$1] || (chosen[$0] == chosen[$1] && $0 < $1) }
            for (slot, source) in order.enumerated() {
                for (variable, value) in zip(variables[slot], decisions[source]) { values[variable.rawValue] = value }
            }
        }
        return values
    }
}
