// SPDX-License-Identifier: GPL-3.0-or-later

internal import LinearProgramming

/// Interchangeable accounts in a core (``DecompositionSolver/solveCore``), aggregated.
///
/// Two accounts left with a choice are interchangeable when the core program cannot tell them
/// apart: the same margin, the same kept options with the same values, row coefficients and
/// minimum effort, and the same footprint pairs with the same segments. A group of n of them
/// is one aggregate in the core: per kept option k an integer count `z_k` (`Σ z_k = n`), and
/// per option, pair and segment s one effort variable `x_ks ≤ width_s·z_k` holding the
/// effort of the copies in option k, whose coverage row asks `Σ_s x_ks ≥ minimum_k·z_k`.
///
/// Exact: every plan of the accounts gives counts and summed effort that satisfy these rows,
/// with the same objective and the same use of every limit row (all linear, with the same
/// coefficients for every copy). Conversely, counts and effort split evenly among the copies
/// in each option (`x_ks / z_k` each, within its width and above the minimum on average, so
/// each) are a plan of the accounts, again of the same value. One effort per group rather than
/// per option would not be: copies in a tier with a high minimum may need segments that the
/// sum would leave to copies with none. Without aggregation, branch and bound explores every
/// permutation of a group's plans (a dataset of a few dozen account archetypes copied many
/// times took minutes for 200 accounts with a choice, and 2,244 copies at 100,000 accounts
/// were out of reach even with the copies' option numbers ordered).
extension DecompositionSolver {
    /// The groups (of two or more, in account order, ordered by their first account) of
    /// interchangeable accounts among those `allowed` several options.
    ///
    /// Accounts are grouped by a hash of what tells them apart first, and compared in full only
    /// within a hash: building the full description of every account (hundreds of numbers each
    /// with broad footprints) took 3 s for the 429,000 accounts a remainder bound frees at a
    /// million `broad` accounts, nearly all of them unlike any other.
    static func interchangeableGroups(_ structure: LinkingStructure, _ allowed: [[Int]?]) -> [[Int]] {
        var byHash: [UInt64: [Int]] = [:]
        for a in allowed.indices where allowed[a] != nil {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            describe(a, allowed[a]!, structure) { value in
                // −0 and 0 are equal in the full comparison: the same hash.
                hash = (hash ^ (value == 0 ? 0 : value.bitPattern)) &* 0x0000_0100_0000_01B3
                hash ^= hash >> 29
            }
            byHash[hash, default: []].append(a)
        }
        var groups: [[Int]] = []
        for members in byHash.values where members.count > 1 {
            // Within a hash, the accounts with the same description (nearly always all of them).
            var byKey: [[Double]: [Int]] = [:]
            for a in members {
                var key: [Double] = []
                describe(a, allowed[a]!, structure) { key.append($0) }
                byKey[key, default: []].append(a)
            }
            groups += byKey.values.filter { $0.count > 1 }
        }
        return groups.sorted { $0[0] < $1[0] }
    }

    /// Everything of account `a` with the options `kept` that the core program sees, as numbers
    /// in a fixed order: two accounts with the same numbers are interchangeable.
    private static func describe(_ a: Int, _ kept: [Int], _ structure: LinkingStructure, _ body: (Double) -> Void) {
        let table = structure.pricingTable, segments = table.segments
        let firstPair = table.pairStart[a], pairCount = table.pairStart[a + 1] - firstPair
        body(structure.margins[a])
        body(Double(kept.count))
        body(Double(pairCount))
        for k in kept {
            let o = table.optionStart[a] + k
            body(Double(k))
            body(table.optionValue[o])
            body(Double(table.usageStart[o + 1] - table.usageStart[o]))
            for u in table.usageStart[o]..<table.usageStart[o + 1] {
                body(Double(table.usageRow[u]))
                body(table.usageCoefficient[u])
            }
            for m in table.minimumStart[o]..<(table.minimumStart[o] + pairCount) { body(table.minimum[m]) }
        }
        for p in firstPair..<(firstPair + pairCount) {
            body(Double(table.pairClass[p]))
            body(Double(table.segmentStart[p + 1] - table.segmentStart[p]))
            for k in table.segmentStart[p]..<table.segmentStart[p + 1] {
                body(segments.width(k, pair: p))
                body(segments.revenuePerFTE(k, pair: p))
            }
        }
    }

    /// One group of interchangeable accounts in a core program.
    struct Aggregate {
        var accounts: [Int]
        /// The kept options (of each account: they are the same).
        var options: [Int]
        /// How many of the accounts take each kept option.
        var counts: [VariableIndex]
        /// Per kept option, pair and segment: the effort of the accounts in that option.
        var effort: [[[VariableIndex]]]
    }

    /// Adds the aggregate of `group`, whose accounts keep `options`, to a core program.
    static func addAggregate(_ group: [Int], _ options: [Int], _ structure: LinkingStructure,
                             to builder: inout ProgramBuilder) -> Aggregate {
        let a = group[0], all = structure.options(a)
        let kept = options.map { all[$0].choice }
        let counts = builder.addTierChoices(account: a, kept, shiftToFloor: false, copies: group.count)
        let effort = zip(kept, counts).map { choice, count in
            structure.pairs(a).indices.map { e in
                builder.addEffort(account: a, pair: e, choices: [(choice, count)], copies: group.count)
            }
        }
        return Aggregate(accounts: group, options: options, counts: counts, effort: effort)
    }

    /// Writes the aggregates' solution in `values` into `decisions`: the accounts of a group
    /// take the options in order (as many as each count says), each with an even share of its
    /// option's effort.
    static func spread(_ aggregates: [Aggregate], values: [Double], _ structure: LinkingStructure,
                       into decisions: inout PlanDecisions) {
        for aggregate in aggregates {
            var members = aggregate.accounts[...]
            for (k, o) in aggregate.options.enumerated() {
                let count = Int(values[aggregate.counts[k].rawValue].rounded())
                guard count > 0 else { continue }
                let fte = aggregate.effort[k].map { segments in
                    max(0, segments.reduce(0) { $0 + values[$1.rawValue] } / Double(count))
                }
                for a in members.prefix(count) {
                    let (tier, lead) = structure.optionKey(a, o)
                    decisions.tiers[a] = tier
                    decisions.fte[a] = fte
                    if !decisions.leads.isEmpty { decisions.leads[a] = lead?.gam }
                    if !decisions.pools.isEmpty { decisions.pools[a] = lead?.gam == nil ? lead?.pool : nil }
                }
                members = members.dropFirst(count)
            }
        }
    }

    /// `values` with the aggregates' variables set from `decisions`: each account counted in
    /// its option, its effort filled into the segments in order; nil when an account's option
    /// is not kept.
    static func aggregateValues(of decisions: PlanDecisions, _ aggregates: [Aggregate], _ structure: LinkingStructure,
                                into values: [Double]) -> [Double]? {
        var values = values
        for aggregate in aggregates {
            let options = structure.options(aggregate.accounts[0])
            for a in aggregate.accounts {
                guard let k = aggregate.options.firstIndex(where: {
                    options[$0].tier == decisions.tiers[a] && options[$0].choice.lead == decisions.leadKey(of: a)
                }) else { return nil }
                values[aggregate.counts[k].rawValue] += 1
                for (e, pair) in structure.pairs(a).enumerated() {
                    var left = decisions.fte[a][e]
                    for (segment, width) in zip(aggregate.effort[k][e], pair.widths) where left > 0 {
                        let amount = min(left, width)
                        values[segment.rawValue] += amount
                        left -= amount
                    }
                }
            }
        }
        return values
    }
}
