// SPDX-License-Identifier: GPL-3.0-or-later

/// The remainder bound: what the Lagrangian bound cannot see when tier costs come in steps.
///
/// Every plan x of a case satisfies `f(x) = L(π) − Σ_a loss_a(x_a) − Σ_i π_i·z_i(x)`, where
/// `z_i = b_i − usage_i` is row i's slack (≥ 0 on ≤ rows, ≤ 0 on ≥ rows; π_i of the same sign)
/// and `loss_a(x_a) ≥ ℓ_a(k)`, the loss of account a's option k with its best effort. In some
/// combination `w` of linking rows effort cancels — the share floor less `lo` times the budget
/// leaves the global expense alone: `w·z(x) = w·b − Σ_a w·usage_a(k_a)` then depends on the
/// tier choices only, and moves in their cost steps. The slacks' priced sum is at least
/// `pen(δ) = min{Σ |π_i|·|z_i| : w·z = δ}`, the cheapest way to leave that remainder. So
///
///     f(x) ≤ L(π) − min over tier choices k of [Σ_a ℓ_a(k_a) + pen(w·b − Σ_a w·usage_a(k_a))],
///
/// a knapsack over the remainder's steps, solved exactly by a dynamic programme over its
/// multiples of their greatest common step. The Lagrangian (LP) bound spreads a fractional tier
/// to leave no remainder; a plan cannot, and where its tiers' steps are 98,500, 253,000 and
/// 520,000 of global expense (the `global-share` profile) the cheapest remainder costs more than
/// the gap allows. Only the accounts the core would free take part: every other option loses
/// more than Δ on its own (``CoreOptions``).
extension DecompositionSolver {
    /// The most states (multiples of the step) a remainder programme may span, and the most
    /// state-option updates it may do: a tenth of a second's work at the limit.
    static let remainderStateLimit = 4_000_000
    static let remainderWorkLimit = 100_000_000

    /// The case's best remainder bound for the plans above `threshold` at its prices, by every
    /// combination of rows in which effort cancels, where the budget alone has a price by the
    /// budget itself (``moneyRemainderBound(_:prices:priced:core:)``), and where two cost rows
    /// have one by both at once (``twoRowRemainderBound(_:prices:priced:core:)``); nil when none gives one.
    func remainderBound(_ result: CaseResult, threshold: Double, priced: BlockPricing.Plan? = nil) -> Double? {
        remainderFinding(result, threshold: threshold, priced: priced)?.bound
    }

    /// The remainder bound (``remainderBound(_:threshold:priced:)``) and, when the two-row
    /// programme finds a least under its cap, the options of the accounts with a choice that reach it.
    func remainderFinding(_ result: CaseResult, threshold: Double, priced: BlockPricing.Plan? = nil) -> (bound: Double, choices: [Int: Int]?)? {
        let structure = result.structure, prices = result.duals
        let combinations = Self.effortFreeCombinations(structure, prices: prices)
        // Where effort cancels from no row but one alone has a price: the money remainder bound.
        let money = Self.moneyRow(structure, prices: prices) != nil
        guard !combinations.isEmpty || money else { return nil }
        let priced = priced ?? BlockPricing(structure: structure).price(prices, recordChoices: true, recordOptionValues: true)
        guard let core = CoreOptions(priced, threshold: threshold, structure: money ? structure : nil,
                                     groupingLimit: Self.moneyAccountLimit) else { return (threshold, nil) }
        var bounds = combinations.compactMap { Self.remainderBound(structure, prices: prices, priced: priced, core: core, weights: $0) }
        if money, let bound = Self.moneyRemainderBound(structure, prices: prices, priced: priced, core: core) { bounds.append(bound) }
        let twoRow = Self.twoRowRemainderBound(structure, prices: prices, priced: priced, core: core, deadline: options.deadline)
        if let twoRow { bounds.append(twoRow.bound) }
        return bounds.min().map { ($0, twoRow?.choices) }
    }

    /// The most combinations tried per bound (named GAMs each have their own rows): the
    /// remainder programmes are a few milliseconds each, up to a tenth of a second at their limit.
    static let remainderCombinationLimit = 8

    /// The combinations of linking rows in which effort cancels, as weights per row: a row
    /// effort does not enter (a headcount, the changes), or two rows it enters in proportion to
    /// its cost alone (the share floor and the budget). Only rows with a price take part; the
    /// pairs first, at most ``remainderCombinationLimit`` in all.
    static func effortFreeCombinations(_ structure: LinkingStructure, prices: [Double]) -> [[Double]] {
        let effort = structure.effort, rows = structure.rowCount
        let capacity = Set(effort.capacityRow.filter { $0 >= 0 })
        let priced = (0..<rows).filter { prices[$0] != 0 && !capacity.contains($0) && effort.revenueWeights[$0] == 0 }
        var combinations: [[Double]] = []
        // Pairs: one priced row with a cost weight and any other row with one (priced or not).
        let costRows = (0..<rows).filter { !capacity.contains($0) && effort.revenueWeights[$0] == 0 && effort.costWeights[$0] != 0 }
        for i in priced where effort.costWeights[i] != 0 {
            for j in costRows where j != i && (prices[j] == 0 || j > i) {
                var w = [Double](repeating: 0, count: rows)
                w[i] = 1 / effort.costWeights[i]
                w[j] = -1 / effort.costWeights[j]
                combinations.append(w)
            }
        }
        for i in priced where effort.costWeights[i] == 0 {
            var w = [Double](repeating: 0, count: rows)
            w[i] = 1
            combinations.append(w)
        }
        return Array(combinations.prefix(remainderCombinationLimit))
    }

    /// The case's bound by the remainder of the combination `weights` (see above), for the
    /// accounts `core` frees at the prices `priced` was priced at; nil when the tier steps have
    /// no common step or the programme would be too large.
    static func remainderBound(_ structure: LinkingStructure, prices: [Double], priced: BlockPricing.Plan, core: CoreOptions,
                               weights w: [Double]) -> Double? {
        guard structure.signedDuals(prices) == prices else { return nil }
        func activity(_ a: Int, _ o: Int) -> Double {
            structure.sparseUsage(account: a, option: o).reduce(0) { $0 + w[$1.row] * $1.coefficient }
        }
        // Every account in its priced option, and each free account's steps from it.
        var fixed = 0.0
        var steps: [[RemainderStep]] = []
        for a in 0..<structure.accountCount {
            let base = activity(a, priced.choices[a].option)
            fixed += base
            guard let kept = core.allowed[a] else { continue }
            let choice = priced.choices[a]
            steps.append(kept.map { RemainderStep(step: activity(a, $0) - base, loss: max(0, choice.reducedValue - choice.optionValues[$0])) })
        }
        let (up, down) = combinationRates(structure, prices: prices, weights: w)
        let combinationBound = zip(w, structure.rightHandSides).reduce(0) { $0 + $1.0 * $1.1 }
        let scale = max(1, abs(combinationBound), abs(fixed))
        let penalty = { (remainder: Double) in remainder > 0 ? remainder * up : remainder < 0 ? -remainder * down : 0 }
        guard let least = leastRemainderLoss(steps, remainder: combinationBound - fixed, penalty: penalty, cap: core.delta,
                                             tolerance: 1e-9 * scale) else { return nil }
        return priced.bound - min(least, core.excludedLoss) + core.margin
    }

    /// The cheapest way to leave a remainder in the combination `weights`: the priced slack of a
    /// row whose direction takes it, per unit of the combination, above zero and below (+∞ when
    /// no row's does).
    static func combinationRates(_ structure: LinkingStructure, prices: [Double], weights w: [Double]) -> (up: Double, down: Double) {
        var up = Double.infinity, down = Double.infinity
        for (i, weight) in w.enumerated() where weight != 0 {
            let sign: Double = structure.senses[i] == .atMost ? 1 : -1, c = weight * sign, price = abs(prices[i])
            if c > 0 { up = min(up, price / c) } else { down = min(down, price / -c) }
        }
        return (up, down)
    }

    /// One option of a free account: how far it moves the combination from the account's
    /// priced option, and what it loses.
    struct RemainderStep {
        var step: Double
        var loss: Double
    }

    /// The least `Σ loss + penalty(remainder − Σ step)` over one step per account; `cap` when
    /// none is less. `penalty` is convex, 0 at 0 and nowhere less. A dynamic programme over the
    /// multiples of the steps' greatest common step (to a relative 1e-9); nil when they have
    /// none or it would span more than ``remainderStateLimit`` states. Within `tolerance` plus
    /// the steps' rounding a remainder is taken as nearer zero, where the penalty is least: the
    /// result stays a lower bound.
    static func leastRemainderLoss(_ steps: [[RemainderStep]], remainder: Double, penalty: (Double) -> Double, cap: Double,
                                   tolerance: Double) -> Double? {
        guard let (unit, indices, rounding) = commonMultiples(steps.map { $0.map(\.step) }) else { return nil }
        let lowest = indices.map { $0.min() ?? 0 }, spans = zip(indices, lowest).map { ($0.max() ?? 0) - $1 }
        let states = spans.reduce(0, +) + 1
        guard states <= remainderStateLimit,
              Double(states) * Double(indices.reduce(0) { $0 + $1.count }) <= Double(remainderWorkLimit) else { return nil }
        // Least total loss per state (a sum of multiples above the lowest); at `cap` a state
        // proves nothing more and is dropped.
        // Two arrays of their own, never one copied from the other and swapped: Swift 6.3.1's
        // optimiser lost such copies (docs/decisions.md, "Arrays copied, then swapped").
        var loss = [Double](repeating: .infinity, count: states), next = [Double](repeating: .infinity, count: states)
        loss[0] = 0
        var reach = 0
        for (k, account) in steps.enumerated() {
            for s in 0...(reach + spans[k]) { next[s] = .infinity }
            for s in 0...reach where loss[s] < cap {
                for (o, option) in account.enumerated() {
                    let t = s + indices[k][o] - lowest[k], value = loss[s] + option.loss
                    if value < next[t] { next[t] = value }
                }
            }
            reach += spans[k]
            swap(&loss, &next)
        }
        let offset = Double(lowest.reduce(0, +)), slack = tolerance + rounding
        var least = cap
        for s in 0...reach where loss[s] < least {
            let delta = remainder - unit * (offset + Double(s))
            least = min(least, loss[s] + penalty(delta > slack ? delta - slack : delta < -slack ? delta + slack : 0))
        }
        return least
    }

    /// Each step as a multiple of the steps' greatest common step (to a relative 1e-9): that
    /// step, the multiples, and the sum over accounts of the most an account's rounding is off;
    /// nil when the steps have none.
    static func commonMultiples(_ steps: [[Double]]) -> (unit: Double, multiples: [[Int]], rounding: Double)? {
        let magnitudes = steps.joined().map { abs($0) }
        let largest = magnitudes.max() ?? 0
        var unit = 0.0
        for m in magnitudes where m > 1e-9 * largest { unit = commonStep(unit, m, tolerance: 1e-9 * largest) }
        var rounding = 0.0
        var indices: [[Int]] = []
        for account in steps {
            var multiples: [Int] = [], error = 0.0
            for step in account {
                let multiple = unit > 0 ? (step / unit).rounded() : 0
                let off = abs(step - multiple * unit)
                guard abs(multiple) < 1e9, off <= max(1e-6 * unit, 1e-9 * largest) else { return nil }
                error = max(error, off)
                multiples.append(Int(multiple))
            }
            rounding += error
            indices.append(multiples)
        }
        return (unit, indices, rounding)
    }

    /// The greatest common step of `a` and `b` (Euclid's algorithm, remainders below
    /// `tolerance` taken as zero); `a` 0 gives `b`.
    static func commonStep(_ a: Double, _ b: Double, tolerance: Double) -> Double {
        var (x, y) = (max(a, b), min(a, b))
        while y > tolerance {
            let r = x.truncatingRemainder(dividingBy: y)
            (x, y) = (y, min(r, y - r) <= tolerance ? 0 : r)
        }
        return x
    }
}
