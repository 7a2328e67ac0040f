// SPDX-License-Identifier: GPL-3.0-or-later

/// Effort windows: how far the effort of an account fixed in its tier can move in a plan that
/// beats the incumbent (the exact core, ``DecompositionSolver/solveCore``).
///
/// At prices π one FTE on segment k of a pair of class c (its region) is worth
/// `d_k = α·g_k − β_c` net of its prices (``BlockPricing``); an account's best block takes the
/// segments with `d_k > 0` above its tier's minimum. Effort off that best block loses `|d_k|`
/// per FTE moved, and a plan that beats the incumbent loses at most Δ in all.
///
/// When no linking row weighs revenue (no cost-of-sales row), one FTE of the fixed accounts
/// of a class enters every row alike — only its value differs — so an optimal plan gives the
/// class's fixed-account effort, whatever its total, to the segments of highest `d` first. Its
/// loss against the best blocks is then the least for that total, and at most Δ: of the
/// segments taken at the prices only those whose removal, cheapest first, stays within Δ can
/// be given up, and of those not taken only those whose addition, cheapest first, stays within
/// Δ can be added (one more on each side, so that an optimum never lies on a window's edge and
/// its shadow prices are those of the whole program). Every other segment keeps its priced
/// state: the core needs far fewer effort variables, and its optimum is the same.
extension DecompositionSolver {
    /// Buckets of 1/64 of a binary order of magnitude, in increasing order of `|value|` (0 alone
    /// in the first, the largest and +∞ in the last): where the windows and the money remainder
    /// bound sum losses by rate before keeping the cheapest segments only.
    static let magnitudeBuckets = 130 * 64

    static func magnitudeBucket(_ value: Double) -> Int {
        let magnitude = abs(value), steps = 64
        guard magnitude > 0, magnitude.isFinite else { return magnitude > 0 ? magnitudeBuckets - 1 : 0 }
        let octave = Int(magnitude.exponent) + 64, step = Int((magnitude.significand - 1) * Double(steps))
        return min(magnitudeBuckets - 1, max(1, octave * steps + step))
    }

    /// Whether windows are exact for `structure`: no linking row weighs revenue.
    static func effortWindowsApply(_ structure: LinkingStructure) -> Bool {
        structure.effort.revenueWeights.allSatisfy { $0 == 0 }
    }

    /// Per account fixed in its tier (`allowed[a] == nil`) whose effort may move, per pair, the
    /// FTE range its effort keeps in the core. An account fixed in its tier and not in the
    /// result keeps its priced effort; one that keeps a choice is not in it either. Nil when a
    /// linking row weighs revenue (the windows would not be exact).
    ///
    /// `excludedLoss` is the least a plan loses whose effort leaves the windows (≥ Δ): it gives
    /// up, or adds, more of a class's effort than a window holds, and so at least all of it.
    static func effortWindows(_ structure: LinkingStructure, duals: [Double], choices: [BlockPricing.Choice],
                              allowed: [[Int]?], delta: Double)
        -> (windows: [Int: [ClosedRange<Double>]], excludedLoss: Double)? {
        guard effortWindowsApply(structure) else { return nil }
        let effort = structure.effort
        let table = structure.pricingTable, segments = table.segments
        let beta = effort.effortPrices(duals)
        let margins = structure.margins
        /// A segment's part above the tier's minimum: what one FTE of it is worth at the
        /// prices (> 0: the best block takes it), its width, its pair (flat index) and account.
        struct Item {
            var value: Double
            var width: Double
            var pair: Int
            var account: Int
        }
        // Every segment part above its tier's minimum, visited in account order: its class,
        // worth per FTE at the prices, width, pair and account.
        func eachItem(_ body: (_ c: Int, _ value: Double, _ width: Double, _ pair: Int, _ account: Int) -> Void) {
            for a in 0..<structure.accountCount where allowed[a] == nil {
                let o = choices[a].option
                for p in table.pairStart[a]..<table.pairStart[a + 1] {
                    let c = table.pairClass[p]
                    let alpha = effort.weight[effort.group[c]] * margins[a]
                    let minimum = structure.minimumFTE(account: a, option: o, pair: p - table.pairStart[a])
                    var start = 0.0
                    for k in table.segmentStart[p]..<table.segmentStart[p + 1] {
                        let end = start + segments.width(k, pair: p)
                        defer { start = end }
                        guard end > minimum else { continue }
                        body(c, alpha * segments.revenuePerFTE(k, pair: p) - beta[c], end - max(start, minimum), p, a)
                    }
                }
            }
        }
        // Only the segments nearest to break-even can be in a window. A first pass sums each
        // class's loss by |value| in buckets of 1/64 of a binary order of magnitude (taken and
        // not taken apart), in increasing order; the second keeps the buckets up to the one
        // where the loss passes Δ and the next one holding a segment (a window reaches one
        // segment past Δ). A million accounts have tens of millions of segments, and only a
        // few hundred are ever kept (buckets of a whole order of magnitude kept 11 million at
        // a million `broad` accounts: 355 MB).
        let buckets = Self.magnitudeBuckets, bucket = Self.magnitudeBucket
        let classes = effort.cost.count
        var loss = [Double](repeating: 0, count: 2 * classes * buckets), count = [Int](repeating: 0, count: 2 * classes * buckets)
        eachItem { c, value, width, _, _ in
            let slot = ((value > 0 ? 1 : 0) * classes + c) * buckets + bucket(value)
            loss[slot] += abs(value) * width
            count[slot] += 1
        }
        var last = [Int](repeating: -1, count: 2 * classes)
        for side in 0..<(2 * classes) {
            var lost = 0.0, passed = false
            for b in 0..<buckets where count[side * buckets + b] > 0 {
                last[side] = b
                if passed { break }
                lost += loss[side * buckets + b]
                passed = lost >= delta
            }
        }
        var taken = [[Item]](repeating: [], count: classes)
        var left = [[Item]](repeating: [], count: classes)
        eachItem { c, value, width, pair, account in
            let side = (value > 0 ? 1 : 0) * classes + c
            guard bucket(value) <= last[side] else { return }
            let item = Item(value: value, width: width, pair: pair, account: account)
            if value > 0 { taken[c].append(item) } else { left[c].append(item) }
        }
        // How far each pair's effort may fall below, and rise above, its priced effort (only
        // the few pairs that may move).
        var down: [Int: Double] = [:], up: [Int: Double] = [:], moving = Set<Int>()
        var excludedLoss = Double.infinity
        for c in taken.indices {
            func widen(_ items: [Item], _ room: inout [Int: Double]) {
                // The cheapest to move first: the order an optimal plan moves them in.
                var lost = 0.0, beyond = 0
                for item in items.sorted(by: { abs($0.value) < abs($1.value) }) {
                    if lost >= delta { beyond += 1 }
                    if beyond > 1 { break }
                    room[item.pair, default: 0] += item.width
                    moving.insert(item.account)
                    lost += abs(item.value) * item.width
                }
                // Moving past the window moves all of it first. A side whose items all fit
                // (lost < Δ) cannot be passed; the caller never counts less than Δ anyway.
                if !items.isEmpty { excludedLoss = min(excludedLoss, lost) }
            }
            widen(taken[c], &down)
            widen(left[c], &up)
        }
        let windows = Dictionary(uniqueKeysWithValues: moving.map { a in
            (a, (table.pairStart[a]..<table.pairStart[a + 1]).map { p in
                let priced = choices[a].fte[p - table.pairStart[a]]
                return max(0, priced - (down[p] ?? 0))...(priced + (up[p] ?? 0))
            })
        })
        return (windows, excludedLoss)
    }
}
