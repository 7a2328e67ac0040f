// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// The two-row remainder bound: the remainder bound (``DecompositionSolver/remainderBound(_:threshold:priced:)``)
/// for a case in which two cost rows have a price — the budget and the share floor — taken in
/// both at once rather than in their combination alone.
///
/// In the combination `w` in which effort cancels (the share floor less `lo` times the budget:
/// the global expense alone) a plan's tier choices leave a remainder `C` in exact steps; in the
/// budget they leave `A`, real-valued (tier costs and best effort). Given both, the two rows'
/// slacks are fixed up to the effort money `m` moved off its best, which shifts them along the
/// direction that keeps `C`: a plan loses at least
///
///     Σ_a ℓ_a(k_a) + pen(C, A),   pen(C, A) = π·z(C, A) + min over m of [φ(m) − ρ·m],
///
/// with `z(C, A)` the two slacks, `ρ = π·κ` the priced cost of one unit of effort money in the
/// rows, `φ` the least loss of moving `m` (``MoneyPenalty``, the segments that lose least per
/// unit first) and `m` bounded so that each slack keeps its row's sign. The combination bound
/// prices `C` alone (`pen(C, A) ≥ pen_w(C)`); the money bound, `A` alone. On `global-share` the
/// optimum must hit both: the floor's tier steps (98,500, 253,000, …) and the budget's money,
/// which neither sees alone (docs/benchmarks.md, ninth and thirteenth sessions).
///
/// The least over the core's options is found exactly: states carry the combination's multiple
/// `n` and the budget's sum `A` as they are, and a state is dropped when its loss plus the least
/// the accounts after it can add in the combination alone (a table over `n`, computed backwards)
/// reaches the cap, or when another at the same `n` dominates it. On `global-share` 10,000 the
/// least is the optimum itself (445,789 states at most without dominance, in the Python
/// prototype). Each state keeps its choices off the priced ones as a shared list, so the least
/// comes with the options that reach it.
extension DecompositionSolver {
    /// The most accounts with a choice, states in one layer, table entries, state-option updates
    /// and recorded choices a two-row programme may have: about a second's work, and at most
    /// 420 MB for two layers of states (28 bytes each), every choice (8) and the table (8).
    static let twoRowAccountLimit = 800
    static let twoRowStateLimit = 4_000_000
    static let twoRowTableLimit = 8_000_000
    static let twoRowWorkLimit = 300_000_000
    static let twoRowChoiceLimit = 16_000_000
    /// How much the cap grows from one forward pass to the next.
    static let twoRowCapGrowth = 1.2

    /// The two priced rows the bound applies to: exactly two rows have a price, neither a
    /// capacity row, effort enters both (a cost weight), and one of them is a `≤` row with a
    /// positive cost weight: the money row, the other second. Nil otherwise, or when a row
    /// weighs revenue.
    static func twoRowPair(_ structure: LinkingStructure, prices: [Double]) -> (money: Int, other: Int)? {
        guard effortWindowsApply(structure), structure.signedDuals(prices) == prices else { return nil }
        let effort = structure.effort, capacity = Set(effort.capacityRow.filter { $0 >= 0 })
        let priced = prices.indices.filter { prices[$0] != 0 }
        guard priced.count == 2, priced.allSatisfy({ !capacity.contains($0) && effort.costWeights[$0] != 0 }) else { return nil }
        for (i, j) in [(priced[0], priced[1]), (priced[1], priced[0])]
        where structure.senses[i] == .atMost && effort.costWeights[i] > 0 {
            return (i, j)
        }
        return nil
    }

    /// The case's two-row remainder bound for the plans above the threshold `core` was made for,
    /// and, when some plan may be above it, the options (per account with a choice) of the least
    /// loss; nil where it does not apply or the programme would be too large.
    static func twoRowRemainderBound(_ structure: LinkingStructure, prices: [Double], priced: BlockPricing.Plan,
                                     core: CoreOptions, deadline: Date? = nil) -> (bound: Double, choices: [Int: Int]?)? {
        guard let (money, other) = twoRowPair(structure, prices: prices), priced.choices.count == structure.accountCount else { return nil }
        // Past the most accounts it may search, a smaller Δ: the accounts of the smallest losses,
        // the least under that Δ or the bound it proves (the threshold of a plan far below the
        // bound frees thousands of accounts; `global-share` 10,000 seed 3, 4.2 million).
        var core = core
        if core.accountsWithChoice > twoRowAccountLimit {
            let losses = priced.choices.map { $0.reducedValue - $0.runnerUp }
            guard let next = Self.smallest(twoRowAccountLimit + 1, of: losses).map({ losses[$0] }).max(), next.isFinite,
                  let smaller = CoreOptions(priced, threshold: priced.bound + core.margin - 0.999_999 * next) else { return nil }
            core = smaller
        }
        guard core.accountsWithChoice <= twoRowAccountLimit else { return nil }
        let effort = structure.effort, senses = structure.senses, rightHandSides = structure.rightHandSides
        var w = [Double](repeating: 0, count: structure.rowCount)
        w[money] = 1 / effort.costWeights[money]
        w[other] = -1 / effort.costWeights[other]
        func activity(_ a: Int, _ o: Int) -> Double {
            structure.sparseUsage(account: a, option: o).reduce(0) { $0 + w[$1.row] * $1.coefficient }
        }
        var fixed = 0.0
        for a in 0..<structure.accountCount { fixed += activity(a, priced.choices[a].option) }
        let moneySteps = optionMoneySteps(structure, prices: prices, priced: priced, core: core, row: money)
        // The accounts whose cheapest change loses most first: few of their changes stay under the
        // cap, so the states multiply late.
        func cheapestChange(_ a: Int) -> Double { moneySteps[a]?.lazy.map(\.loss).filter { $0 > 0 }.min() ?? 0 }
        let accounts = moneySteps.keys.sorted { (cheapestChange($0), $1) > (cheapestChange($1), $0) }
        let combinationSteps = accounts.map { a in
            let base = activity(a, priced.choices[a].option)
            return (core.allowed[a] ?? []).map { activity(a, $0) - base }
        }
        guard let (unit, multiples, rounding) = commonMultiples(combinationSteps) else { return nil }
        let sets = accounts.indices.map { i in
            zip(moneySteps[accounts[i]] ?? [], multiples[i]).map { TwoRowStep(money: $0.step, multiple: $1, loss: $0.loss) }
        }
        let (add, remove) = effortRates(structure, prices: prices, priced: priced, core: core, row: money, addingBelow: .infinity)
        let phi = MoneyPenalty(add: add, remove: remove, price: .infinity)
        let combination = zip(w, rightHandSides).reduce(0) { $0 + $1.0 * $1.1 }
        let remainder = combination - fixed, moneyRemainder = rightHandSides[money] - priced.usage[money]
        // The rounding of the combination's steps and sums, and of the budget's sum: each slack
        // is taken within them at its most favourable, so the result stays a lower bound.
        let slackC = 1e-9 * max(1, abs(combination), abs(fixed)) + rounding
        let slackM = 1e-9 * max(1, abs(rightHandSides[money]), abs(priced.usage[money]))
        let slackO = (slackC + abs(w[money]) * slackM) / abs(w[other])
        let (up, down) = combinationRates(structure, prices: prices, weights: w)
        func combinationPenalty(_ c: Double) -> Double {
            let d = c > slackC ? c - slackC : c < -slackC ? c + slackC : 0
            return d > 0 ? d * up : d < 0 ? -d * down : 0
        }
        let kappa = effort.costWeights[other] / effort.costWeights[money]
        let pm = prices[money], po = prices[other], rho = pm + po * kappa
        func penalty(_ c: Double, _ use: Double) -> Double {
            let zm = moneyRemainder - use, zo = (c - w[money] * zm) / w[other]
            // Effort money m moves the slacks to zm − m and zo − κ·m; each keeps its row's sign.
            var lower = -Double.infinity, upper = Double.infinity
            for (z, k, sense, slack) in [(zm, 1.0, senses[money], slackM), (zo, kappa, senses[other], slackO)] {
                let bound = sense == .atMost ? (z + slack) / k : (z - slack) / k
                if (sense == .atMost) == (k > 0) { upper = min(upper, bound) } else { lower = max(lower, bound) }
            }
            return pm * zm + po * zo - abs(pm) * slackM - abs(po) * slackO + phi.least(less: rho, lower, upper)
        }
        let cap = core.delta
        // Effort money kept back (the same m at a smaller A) moves the slacks by (1, κ): the
        // budget's stays of its sign, the other row's when κ moves it away from its bound (the
        // share floor: spending less lowers the floor). Then spending less costs at most ρ a unit.
        let keepsSign = senses[other] == .atMost ? kappa >= 0 : kappa <= 0
        let reach = (low: -cap / down - slackC, high: cap / up + slackC)
        guard let found = leastTwoRowLoss(sets, remainder: remainder, unit: unit, reach: reach, combination: combinationPenalty,
                                          penalty: penalty, cap: cap, dominance: keepsSign ? rho : nil,
                                          deadline: deadline) else { return nil }
        let choices = found.choices.map { picked in
            Dictionary(uniqueKeysWithValues: accounts.indices.map { i in (accounts[i], core.allowed[accounts[i]]?[picked[i]] ?? 0) })
        }
        return (priced.bound - min(found.least, core.excludedLoss) + core.margin, choices)
    }

    /// The plan with the accounts of `choices` in those options and every other in its priced
    /// one, effort as a core program sets it at `threshold`'s Δ (each changed account a core
    /// account of one option); nil when there is none in `timeLimit`, or `threshold` is above
    /// the case's bound. The two-row programme's least made a plan: on `global-share` it is
    /// the optimum, which cores of a few hundred accounts do not reach in a minute.
    func plan(of choices: [Int: Int], _ result: CaseResult, priced: BlockPricing.Plan, threshold: Double,
              tolerance: Double, timeLimit: Double) throws -> Recovered? {
        guard var core = CoreOptions(priced, threshold: threshold) else { return nil }
        core.allowed = core.allowed.indices.map { a in choices[a].flatMap { $0 == priced.choices[a].option ? nil : [$0] } }
        core.groups = []
        core.accountsWithChoice = core.allowed.lazy.filter { $0 != nil }.count
        core.freeAccounts = core.accountsWithChoice
        return try solveCore(result, core, incumbent: -.infinity, start: nil, tolerance: tolerance, timeLimit: timeLimit).recovered
    }

    /// One option of an account in the two-row programme: its step in the money row, its step
    /// in the combination as a multiple of the common step, and its loss.
    struct TwoRowStep {
        var money: Double
        var multiple: Int
        var loss: Double
    }

    /// The least `Σ loss + penalty(C, A)` over one option of each set, with `C = remainder −
    /// unit·Σ multiple` and `A = Σ money`; `cap` when none is less. `combination(C) ≤ penalty(C,
    /// A)` for every `A`, and under `cap` only for `C` within `reach`. With the least under the
    /// cap, the options (an index per set) that reach it. Nil when the programme would pass its
    /// limits. With `dominance` ρ, spending less never costs more than ρ a unit —
    /// `penalty(C, A₁) ≤ penalty(C, A₂) + ρ·(A₂ − A₁)` for `A₁ ≤ A₂` — so of two states at the
    /// same sum of multiples, one that spends less and loses less after that price dominates.
    /// Past `deadline` it stops as it does past its limits.
    static func leastTwoRowLoss(_ sets: [[TwoRowStep]], remainder: Double, unit: Double, reach: (low: Double, high: Double),
                                combination: (Double) -> Double, penalty: (Double, Double) -> Double,
                                cap: Double, dominance: Double? = nil, deadline: Date? = nil) -> (least: Double, choices: [Int]?)? {
        let count = sets.count
        guard unit > 0, !sets.contains(where: \.isEmpty) else { return count == 0 ? (min(cap, penalty(remainder, 0)), []) : nil }
        // Backwards, per k: the least the sets from k on can add to a state of the first k at
        // the sum n, with the combination's penalty at the end; a window of n, at least the cap
        // the table is made for outside it.
        var windowLow = [Int](repeating: 0, count: count + 1), windowStart = windowLow, windowCount = windowLow
        var table: [Double] = []
        func least(_ k: Int, _ n: Int) -> Double {
            let i = n - windowLow[k]
            return i >= 0 && i < windowCount[k] ? table[windowStart[k] + i] : .infinity
        }
        /// The table for `cap`; false past the limits.
        func makeTable(_ cap: Double) -> Bool {
            table.removeAll(keepingCapacity: true)
            for k in 0...count { windowCount[k] = 0 }
            func within(_ x: Double, _ low: Int, _ high: Int) -> Int {
                x.isNaN ? low : x <= Double(low) ? low : x >= Double(high) ? high : Int(x)
            }
            func store(_ k: Int, _ low: Int, _ values: [Double]) {
                let first = values.firstIndex { $0 < cap } ?? values.count, last = values.lastIndex { $0 < cap } ?? -1
                windowLow[k] = low + first
                windowStart[k] = table.count
                windowCount[k] = max(0, last - first + 1)
                if first <= last { table.append(contentsOf: values[first...last]) }
            }
            // Forwards first, the sums the first k sets reach with a loss under the cap (a window
            // from `lows[k]` to `highs[k]`): no state under the cap holds any other, so the table
            // need not either (its windows were 8 million entries past 800 accounts without this).
            var lows = [Int](repeating: 0, count: count + 1), highs = lows
            var reached = [0.0], low = 0, work = 0
            for (k, set) in sets.enumerated() {
                let from = low + (set.map(\.multiple).min() ?? 0), to = low + reached.count - 1 + (set.map(\.multiple).max() ?? 0)
                work += reached.count * set.count
                guard work <= twoRowWorkLimit, to - from < twoRowTableLimit else { return false }
                var next = [Double](repeating: .infinity, count: to - from + 1)
                for option in set where option.loss < cap {
                    let offset = low + option.multiple - from
                    for i in reached.indices { next[offset + i] = min(next[offset + i], reached[i] + option.loss) }
                }
                // None under the cap: every state at least the cap, the root's too.
                guard let first = next.firstIndex(where: { $0 < cap }), let last = next.lastIndex(where: { $0 < cap }) else { return true }
                reached = Array(next[first...last])
                low = from + first
                (lows[k + 1], highs[k + 1]) = (low, low + reached.count - 1)
            }
            let lastLow = within(((remainder - reach.high) / unit).rounded(.down), lows[count], highs[count])
            let lastHigh = within(((remainder - reach.low) / unit).rounded(.up), lows[count], highs[count])
            guard lastHigh - lastLow < twoRowTableLimit else { return false }
            store(count, lastLow, (lastLow...lastHigh).map { combination(remainder - unit * Double($0)) })
            for k in stride(from: count - 1, through: 0, by: -1) {
                // An empty window: every state at least the cap, the root's too.
                guard windowCount[k + 1] > 0 else { return true }
                let set = sets[k], next = windowLow[k + 1]...(windowLow[k + 1] + windowCount[k + 1] - 1)
                let low = max(lows[k], next.lowerBound - (set.map(\.multiple).max() ?? 0))
                let high = min(highs[k], next.upperBound - (set.map(\.multiple).min() ?? 0))
                guard low <= high else { return true }
                work += (high - low + 1) * set.count
                guard work <= twoRowWorkLimit, table.count + high - low < twoRowTableLimit else { return false }
                var values = [Double](repeating: .infinity, count: high - low + 1)
                let nextStart = windowStart[k + 1]
                table.withUnsafeBufferPointer { next in
                    values.withUnsafeMutableBufferPointer { values in
                        for option in set {
                            // n + multiple within the next window.
                            let from = max(low, windowLow[k + 1] - option.multiple)
                            let to = min(high, windowLow[k + 1] + windowCount[k + 1] - 1 - option.multiple)
                            guard from <= to else { continue }
                            let offset = nextStart + option.multiple - windowLow[k + 1]
                            for n in from...to { values[n - low] = min(values[n - low], option.loss + next[offset + n]) }
                        }
                    }
                }
                store(k, low, values)
            }
            return true
        }
        // Caps growing to `cap`, each with its table: doubling while the combination alone (the
        // table's root) reaches the cap, then by `twoRowCapGrowth` with a forward pass each. A
        // cap above the least finds it and its options; one below it proves a bound; one past the
        // limits ends the search with what the caps before it proved (nil: none).
        var proven = 0.0, trial = cap / 64
        while true {
            guard makeTable(trial) else { return proven > 0 ? (proven, nil) : nil }
            let root = least(0, 0)
            if root < trial {
                guard let found = forward(trial) else { return (max(proven, root), nil) }
                if found.least < trial { return (found.least, found.choices) }
            }
            proven = trial
            if trial >= cap { return (cap, nil) }
            trial = min(cap, root < trial ? trial * twoRowCapGrowth : 2 * trial)
        }
        /// The least under `cap` and its options, or `cap` and nil; nil past the limits.
        func forward(_ cap: Double) -> (least: Double, choices: [Int])? {
            var work = 0
            // Every state (n, A, loss) whose loss with the least the rest can add stays under the
            // cap; its choices off the first option of zero step and loss, a shared list.
            var sums: [Int] = [0], uses: [Double] = [0], losses: [Double] = [0], lists: [Int32] = [-1]
            var nextSums: [Int] = [], nextUses: [Double] = [], nextLosses: [Double] = [], nextLists: [Int32] = []
            var parents: [Int32] = [], picks: [Int32] = []
            let stride = sets.map(\.count).max() ?? 1
            guard sets.count * stride < Int(Int32.max) else { return nil }
            for (k, set) in sets.enumerated() {
                let base = set.firstIndex { $0.money == 0 && $0.multiple == 0 && $0.loss == 0 }
                work += sums.count * set.count
                guard work <= twoRowWorkLimit, deadline.map({ Date() < $0 }) ?? true else { return nil }
                nextSums.removeAll(keepingCapacity: true)
                nextUses.removeAll(keepingCapacity: true)
                nextLosses.removeAll(keepingCapacity: true)
                nextLists.removeAll(keepingCapacity: true)
                let nextLow = windowLow[k + 1], nextCount = windowCount[k + 1], nextStart = windowStart[k + 1]
                for s in sums.indices {
                    for (o, option) in set.enumerated() {
                        let n = sums[s] + option.multiple, loss = losses[s] + option.loss, i = n - nextLow
                        guard i >= 0, i < nextCount, loss + table[nextStart + i] < cap else { continue }
                        var list = lists[s]
                        if o != base {
                            guard parents.count < twoRowChoiceLimit else { return nil }
                            parents.append(list)
                            picks.append(Int32(truncatingIfNeeded: k * stride + o))
                            list = Int32(truncatingIfNeeded: parents.count - 1)
                        }
                        nextSums.append(n)
                        nextUses.append(uses[s] + option.money)
                        nextLosses.append(loss)
                        nextLists.append(list)
                    }
                }
                guard nextSums.count <= twoRowStateLimit else { return nil }
                if let rate = dominance { dropDominated(rate) }
                swap(&sums, &nextSums)
                swap(&uses, &nextUses)
                swap(&losses, &nextLosses)
                swap(&lists, &nextLists)
            }
            /// Of the next states at one sum n, those another dominates: spending less (A) and losing
            /// less once what it spends less is priced at `rate`.
            func dropDominated(_ rate: Double) {
                let order = nextSums.indices.sorted {
                    (nextSums[$0], nextUses[$0], nextLosses[$0]) < (nextSums[$1], nextUses[$1], nextLosses[$1])
                }
                var kept: [Int] = []
                kept.reserveCapacity(order.count)
                var sum = Int.min, best = Double.infinity
                for s in order {
                    if nextSums[s] != sum { sum = nextSums[s]; best = .infinity }
                    let key = nextLosses[s] - rate * nextUses[s]
                    if key < best { best = key; kept.append(s) }
                }
                guard kept.count < order.count else { return }
                nextSums = kept.map { nextSums[$0] }
                nextUses = kept.map { nextUses[$0] }
                nextLosses = kept.map { nextLosses[$0] }
                nextLists = kept.map { nextLists[$0] }
            }
            var best = cap, bestList: Int32?
            for s in sums.indices {
                let value = losses[s] + penalty(remainder - unit * Double(sums[s]), uses[s])
                if value < best { best = value; bestList = lists[s] }
            }
            guard var list = bestList else { return (cap, []) }
            var choices = sets.map { set in set.firstIndex { $0.money == 0 && $0.multiple == 0 && $0.loss == 0 } ?? 0 }
            while list >= 0 {
                let pick = Int(picks[Int(list)])
                choices[pick / stride] = pick % stride
                list = parents[Int(list)]
            }
            return (best, choices)
        }
    }
}
