// SPDX-License-Identifier: GPL-3.0-or-later

/// The money remainder bound: the remainder bound (``DecompositionSolver/remainderBound(_:threshold:priced:)``)
/// for a case in which one cost row alone has a price — the budget — so that effort does not
/// cancel from it but pays for what the tier choices leave.
///
/// At prices π every plan x satisfies `f(x) = L(π) − Σ_a loss_a(x_a) − π·z(x)` with `z = b − u(x)`
/// the budget's slack (≥ 0). Take account a's option k with its best effort at π: it loses
/// `ℓ_a(k)` and moves the budget's use by `s_a(k)` from the priced plan's (`u*`). Effort off its
/// best, t FTE of a segment worth d per FTE at π (`d = α·g − β`), loses `|d|·t` and moves the use by
/// `q·t` (q: one FTE's cost in the row). So with `δ = b − u* − Σ_a s_a(k_a)`, the money the tier
/// choices leave (or overspend, δ < 0), a plan loses at least
///
///     Σ_a ℓ_a(k_a) + pen(δ),   pen(δ) = ∫₀^δ min(π, add rate) (δ ≥ 0),  ∫₀^|δ| remove rate (δ < 0),
///
/// where the rates `|d|/q` of the segments above each account's least minimum are taken cheapest
/// first: money left is spent on the segments that lose least per unit, or left as slack (π per
/// unit); money overspent is won back from the segments that lose least by giving it up. An
/// account with a choice counts the segments of all its options at the least of their minimums:
/// more room than any one option has, so pen stays a lower bound. The least of the sum over the
/// core's options (every other loses more than Δ on its own) is a knapsack over real-valued
/// steps, solved by a dynamic programme over buckets of the sums a plan under Δ can pass
/// through: each bucket keeps its
/// least loss and the hull of its sums, and pen is taken at the hull's point nearest zero, so
/// the rounding never raises the result. Interchangeable accounts (``CoreOptions/groups``) move
/// as counts in binary parts (1, 2, 4, … copies of an option), which also lets a count of every
/// option reach the group's size each: more plans than there are, a lower bound still.
///
/// On `near-ties` (forty kinds of accounts, thousands of copies each) the effort segments come
/// in few distinct rates, the budget's remainder cannot be spent for free, and the plans must
/// find counts whose costs add up: a subset sum, which branch and bound explores node by node
/// while this programme settles it in one pass.
extension DecompositionSolver {
    /// The most buckets a money programme may span, and the most state-option updates it may do.
    static let moneyStateLimit = 1 << 18
    static let moneyWorkLimit = 8_000_000
    /// The most accounts with a choice a money programme is set up for, counted before
    /// interchangeable ones are grouped (grouping them is work of the same order). Its setup
    /// walks every effort segment of the case and every option of each account; with this many
    /// accounts the programme fits its work limit only if nearly all of them move the budget by
    /// less than one bucket's width. At a million `broad` accounts, cores of 428,000 accounts
    /// spent 2.5 s per bound on a programme that stopped at its limit; every other money bound of
    /// the ten profiles at 10,000, 100,000 and a million accounts had at most 406.
    static let moneyAccountLimit = 100_000

    /// The row the money remainder bound applies to: the one priced row, a cost row (≤) that
    /// no capacity is and effort enters; nil when there is none, or a row weighs revenue.
    static func moneyRow(_ structure: LinkingStructure, prices: [Double]) -> Int? {
        guard effortWindowsApply(structure), structure.signedDuals(prices) == prices else { return nil }
        let effort = structure.effort
        let pricedRows = prices.indices.filter { prices[$0] != 0 }
        guard pricedRows.count == 1, let row = pricedRows.first, structure.senses[row] == .atMost,
              !effort.capacityRow.contains(row), effort.costWeights[row] > 0 else { return nil }
        return row
    }

    /// The case's money remainder bound for the plans above the threshold `core` was made for;
    /// nil where it does not apply (no single priced cost row, a row that weighs revenue) or the
    /// programme would be too large.
    static func moneyRemainderBound(_ structure: LinkingStructure, prices: [Double], priced: BlockPricing.Plan,
                                    core: CoreOptions) -> Double? {
        guard let row = moneyRow(structure, prices: prices), priced.choices.count == structure.accountCount,
              core.accountsWithChoice <= moneyAccountLimit else { return nil }
        let price = prices[row]
        let (add, remove) = effortRates(structure, prices: prices, priced: priced, core: core, row: row, addingBelow: price)
        let choices = optionMoneySteps(structure, prices: prices, priced: priced, core: core, row: row)
        // The choice sets of the programme: one per account with a choice, or binary parts of a group's counts.
        var sets: [[RemainderStep]] = []
        var grouped = Set<Int>()
        for group in core.groups where group.count > 1 {
            guard let options = choices[group[0]] else { continue }
            grouped.formUnion(group)
            for option in options where option.step != 0 || option.loss > 0 {
                var left = option.loss > 0 ? min(Double(group.count), (core.delta / option.loss).rounded(.down)) : Double(group.count)
                var part = 1.0
                while left > 0 {
                    let copies = min(part, left)
                    sets.append([RemainderStep(step: 0, loss: 0), RemainderStep(step: copies * option.step, loss: copies * option.loss)])
                    left -= copies
                    part *= 2
                }
            }
        }
        for (a, options) in choices.sorted(by: { $0.key < $1.key }) where !grouped.contains(a) { sets.append(options) }
        let penalty = MoneyPenalty(add: add, remove: remove, price: price)
        let remainder = structure.rightHandSides[row] - priced.usage[row]
        guard let least = leastMoneyLoss(sets, remainder: remainder, penalty: penalty, cap: core.delta) else { return nil }
        return priced.bound - min(least, core.excludedLoss) + core.margin
    }

    /// The effort segments a plan under Δ can move, as rates of loss per unit of `row` (the
    /// segments above each account's least minimum; an account with a choice counts those of all
    /// its options at the least of their minimums: more room than any one option has, so a
    /// penalty made of them stays a lower bound): `remove` those within their best effort (d > 0),
    /// `add` those beyond it (d < 0) whose rate is below `addingBelow`. Only the cheapest can
    /// matter: past those whose loss reaches Δ, no plan under Δ moves any. A first pass sums the
    /// loss by rate in buckets (``magnitudeBucket(_:)``, as the effort windows do), the second
    /// keeps the buckets up to the one where Δ is reached: at a million accounts, a few of tens
    /// of millions.
    static func effortRates(_ structure: LinkingStructure, prices: [Double], priced: BlockPricing.Plan, core: CoreOptions,
                            row: Int, addingBelow: Double) -> (add: [Rate], remove: [Rate]) {
        let effort = structure.effort, table = structure.pricingTable, segments = table.segments, margins = structure.margins
        let beta = effort.effortPrices(prices)
        func eachSegment(_ body: (_ removing: Bool, _ rate: Double, _ room: Double) -> Void) {
            for a in 0..<structure.accountCount {
                let option = priced.choices[a].option, kept = core.allowed[a], first = table.pairStart[a]
                for p in first..<table.pairStart[a + 1] where table.segmentStart[p] < table.segmentStart[p + 1] {
                    let c = table.pairClass[p], perFTE = effort.cost[c] * effort.costWeights[row]
                    guard perFTE > 0 else { continue }
                    let alpha = effort.weight[effort.group[c]] * margins[a]
                    var least = structure.minimumFTE(account: a, option: option, pair: p - first)
                    for o in kept ?? [] { least = min(least, structure.minimumFTE(account: a, option: o, pair: p - first)) }
                    var start = 0.0
                    for k in table.segmentStart[p]..<table.segmentStart[p + 1] {
                        let end = start + segments.width(k, pair: p)
                        defer { start = end }
                        guard end > least else { continue }
                        let d = alpha * segments.revenuePerFTE(k, pair: p) - beta[c]
                        body(d > 0, abs(d) / perFTE, (end - max(start, least)) * perFTE)
                    }
                }
            }
        }
        let buckets = Self.magnitudeBuckets, bucket = Self.magnitudeBucket
        var lost = [Double](repeating: 0, count: 2 * buckets)
        eachSegment { removing, rate, room in
            guard removing || rate < addingBelow else { return }
            lost[(removing ? buckets : 0) + bucket(rate)] += rate * room
        }
        var last = [buckets - 1, buckets - 1]
        for side in 0..<2 {
            var sum = 0.0
            for b in 0..<buckets {
                sum += lost[side * buckets + b]
                if sum >= core.delta { last[side] = b; break }
            }
        }
        var add: [Rate] = [], remove: [Rate] = []
        eachSegment { removing, rate, room in
            guard removing || rate < addingBelow, bucket(rate) <= last[removing ? 1 : 0] else { return }
            if removing { remove.append(Rate(rate: rate, room: room)) } else { add.append(Rate(rate: rate, room: room)) }
        }
        return (add, remove)
    }

    /// Per account with a choice in `core`: each kept option's step in `row` (its tier costs and
    /// best effort, from the priced option's) and loss.
    static func optionMoneySteps(_ structure: LinkingStructure, prices: [Double], priced: BlockPricing.Plan, core: CoreOptions,
                                 row: Int) -> [Int: [RemainderStep]] {
        let effort = structure.effort, table = structure.pricingTable, segments = table.segments, margins = structure.margins
        let beta = effort.effortPrices(prices)
        var choices: [Int: [RemainderStep]] = [:]
        for a in 0..<structure.accountCount {
            guard let kept = core.allowed[a] else { continue }
            let choice = priced.choices[a]
            var use = kept.map { o in structure.sparseUsage(account: a, option: o).reduce(0.0) { $1.row == row ? $0 + $1.coefficient : $0 } }
            let first = table.pairStart[a]
            for p in first..<table.pairStart[a + 1] where table.segmentStart[p] < table.segmentStart[p + 1] {
                let c = table.pairClass[p], perFTE = effort.cost[c] * effort.costWeights[row]
                let alpha = effort.weight[effort.group[c]] * margins[a]
                // The best effort without a minimum: the segments worth more than they cost (a prefix).
                var free = 0.0
                for k in table.segmentStart[p]..<table.segmentStart[p + 1] {
                    guard alpha * segments.revenuePerFTE(k, pair: p) - beta[c] > 0 else { break }
                    free += segments.width(k, pair: p)
                }
                for (i, o) in kept.enumerated() { use[i] += perFTE * max(structure.minimumFTE(account: a, option: o, pair: p - first), free) }
            }
            let base = use[kept.firstIndex(of: choice.option) ?? 0]
            choices[a] = kept.indices.map { i in
                RemainderStep(step: use[i] - base, loss: max(0, choice.reducedValue - choice.optionValues[kept[i]]))
            }
        }
        return choices
    }

    /// One unit of the row moved on effort loses `rate`, for `room` units.
    struct Rate {
        var rate: Double
        var room: Double
    }

    /// `pen` above: the least loss of leaving `δ` of the row to effort and slack.
    struct MoneyPenalty {
        /// A stretch of one rate: from `start` to `end` of the amount moved, the loss `before` it.
        private struct Piece {
            var rate, start, end, before: Double
            var after: Double { before + rate * (end - start) }
        }
        /// Cheapest first: the pieces to add (capped at the price of slack) and to remove.
        private let add: [Piece], remove: [Piece]
        private let price: Double

        init(add: [Rate], remove: [Rate], price: Double) {
            self.price = price
            func pieces(_ rates: [Rate]) -> [Piece] {
                var result: [Piece] = []
                for r in rates.sorted(by: { $0.rate < $1.rate }) where r.room > 0 {
                    let start = result.last?.end ?? 0
                    result.append(Piece(rate: r.rate, start: start, end: start + r.room, before: result.last?.after ?? 0))
                }
                return result
            }
            self.add = pieces(add.map { Rate(rate: min($0.rate, price), room: $0.room) })
            self.remove = pieces(remove)
        }

        /// The least loss of a remainder `δ` (convex, 0 at 0).
        func callAsFunction(_ delta: Double) -> Double {
            let amount = abs(delta)
            guard amount > 0 else { return 0 }
            let pieces = delta > 0 ? add : remove
            guard let piece = Self.first(of: pieces, where: { $0.end >= amount }) else {
                // Past every segment: money left is slack; money overspent cannot be won back.
                return delta > 0 ? (pieces.last?.after ?? 0) + price * (amount - (pieces.last?.end ?? 0)) : .infinity
            }
            return piece.before + piece.rate * (amount - piece.start)
        }

        /// The largest remainder above zero (`upward`) or below it whose penalty stays under
        /// `cap`, as a magnitude: past it no plan can come under the cap.
        func reach(under cap: Double, upward: Bool) -> Double {
            let pieces = upward ? add : remove
            guard let piece = Self.first(of: pieces, where: { $0.after >= cap }), piece.rate > 0 else {
                let end = pieces.last?.end ?? 0
                return upward ? end + (cap - (pieces.last?.after ?? 0)) / price : end
            }
            return piece.start + (cap - piece.before) / piece.rate
        }

        /// The first of `pieces` that satisfies `test`, which holds from some piece on (a binary search).
        private static func first(of pieces: [Piece], where test: (Piece) -> Bool) -> Piece? {
            var low = 0, high = pieces.count
            while low < high {
                let mid = (low + high) / 2
                if test(pieces[mid]) { high = mid } else { low = mid + 1 }
            }
            return low < pieces.count ? pieces[low] : nil
        }

        /// The least of `pen(m) − rate·m` over `lower...upper` (+∞ where pen is, or the range is
        /// empty): convex, least where the pieces' rates pass `rate` — money added while its
        /// piece costs less than `rate`, removed while its piece loses less than `−rate`.
        func least(less rate: Double, _ lower: Double, _ upper: Double) -> Double {
            guard lower <= upper else { return .infinity }
            var m = 0.0
            if rate > 0 {
                m = Self.first(of: add, where: { $0.rate >= rate })?.start ?? (add.last?.end ?? 0)
            } else if rate < 0 {
                m = -(Self.first(of: remove, where: { $0.rate >= -rate })?.start ?? (remove.last?.end ?? 0))
            }
            m = min(max(m, lower), upper)
            let value = self(m)
            return value == .infinity ? .infinity : value - rate * m
        }

        /// The least of the penalty over `lower...upper`.
        func least(_ lower: Double, _ upper: Double) -> Double {
            lower > 0 ? self(lower) : upper < 0 ? self(upper) : 0
        }
    }

    /// The least `Σ loss + penalty(remainder − Σ step)` over one alternative of each set; `cap`
    /// when none is less. Buckets of the sums' range keep their least loss and the hull of their
    /// sums; a state at `cap`, or whose sum cannot end where the penalty stays under it whatever
    /// the rest of the sets add, is dropped. Nil when the programme would be too large.
    static func leastMoneyLoss(_ sets: [[RemainderStep]], remainder: Double, penalty: MoneyPenalty, cap: Double) -> Double? {
        guard !sets.isEmpty else { return min(cap, penalty(remainder)) }
        let lowest = sets.map { $0.map(\.step).min() ?? 0 }, highest = sets.map { $0.map(\.step).max() ?? 0 }
        // What the sets after each can still add: their least and most.
        var restLow = [Double](repeating: 0, count: sets.count + 1), restHigh = [Double](repeating: 0, count: sets.count + 1)
        for k in stride(from: sets.count - 1, through: 0, by: -1) {
            restLow[k] = restLow[k + 1] + lowest[k]
            restHigh[k] = restHigh[k + 1] + highest[k]
        }
        // The sums a plan under the cap can end at (its remainder's penalty under the cap), and
        // the sums a state can hold on its way there: the buckets span those only.
        let finalLow = remainder - penalty.reach(under: cap, upward: true), finalHigh = remainder + penalty.reach(under: cap, upward: false)
        var low = 0.0, high = 0.0
        for k in sets.indices {
            let before = restLow[0] - restLow[k + 1], beforeHigh = restHigh[0] - restHigh[k + 1]
            low = min(low, max(before, finalLow - restHigh[k + 1]))
            high = max(high, min(beforeHigh, finalHigh - restLow[k + 1]))
        }
        // As many buckets as the work allows (a state per bucket, each tried with every option of a set).
        let options = sets.reduce(0) { $0 + $1.count }
        let count = min(moneyStateLimit, max(1024, moneyWorkLimit / max(1, options)))
        let width = max((high - low) / Double(count - 1), 1e-9 * max(1, abs(low), abs(high)))
        func bucket(_ sum: Double) -> Int { min(count - 1, max(0, Int(((sum - low) / width).rounded()))) }
        // Six arrays of their own: made as copies of one (`lower = loss`) and swapped, a release
        // build wrote states' sums into their losses (docs/decisions.md, "Arrays copied, then swapped").
        func buckets() -> [Double] { [Double](repeating: .infinity, count: count) }
        var loss = buckets(), lower = buckets(), upper = buckets()
        var nextLoss = buckets(), nextLower = buckets(), nextUpper = buckets()
        var active = [bucket(0)], nextActive: [Int] = []
        loss[active[0]] = 0
        lower[active[0]] = 0
        upper[active[0]] = 0
        var work = 0
        for (k, set) in sets.enumerated() {
            work += active.count * set.count
            guard work <= moneyWorkLimit else { return nil }
            nextActive.removeAll(keepingCapacity: true)
            for b in active {
                for option in set {
                    let value = loss[b] + option.loss
                    let from = lower[b] + option.step, to = upper[b] + option.step
                    // Under the cap, and able to end among the sums that can stay under it.
                    guard value < cap, to + restHigh[k + 1] >= finalLow, from + restLow[k + 1] <= finalHigh else { continue }
                    let t = bucket((from + to) / 2)
                    if nextLoss[t] == .infinity {
                        nextActive.append(t)
                        nextLoss[t] = value
                        nextLower[t] = from
                        nextUpper[t] = to
                    } else {
                        nextLoss[t] = min(nextLoss[t], value)
                        nextLower[t] = min(nextLower[t], from)
                        nextUpper[t] = max(nextUpper[t], to)
                    }
                }
            }
            for b in active { loss[b] = .infinity }
            swap(&loss, &nextLoss)
            swap(&lower, &nextLower)
            swap(&upper, &nextUpper)
            swap(&active, &nextActive)
        }
        var least = cap
        for b in active { least = min(least, loss[b] + penalty.least(remainder - upper[b], remainder - lower[b])) }
        return least
    }
}
