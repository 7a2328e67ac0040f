// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

extension DecompositionSolver {
    /// The accounts left with a choice in the first core of the search (the nearest to
    /// indifference), and the most any core of the search may have.
    static let firstCoreAccounts = 32
    static let searchedCoreLimit = 400
    /// The most accounts the last core of the search may have: it closes the gap when it
    /// completes, which the restricted MIPs after it rarely do (`global-share` 10,000 accounts,
    /// seed 3: a last core of 419 accounts took 0.8 s; without it the search stopped open at 30 s).
    static let lastCoreLimit = 1_600

    /// The most of the run's time limit one core may take. A core that completes does so in
    /// seconds (at most 3 s of 60 over the ten profiles at 10,000 and 100,000 accounts, seeds
    /// 1–3); one whose LP bound is too weak for its threshold searches its tree until stopped
    /// (`heavy-tail` 100,000 seed 2: a core of 61 accounts 29 s, then a restricted MIP closed
    /// the gap in 2.6 s), so it gets a twentieth of the limit, and at most half of what is left.
    static let coreTimeShare = 0.05

    /// A core's time: `coreTimeShare` of the run's `timeLimit`, at most half of what is `left`.
    static func coreTime(left: Double, timeLimit: Double) -> Double { min(0.5 * left, coreTimeShare * timeLimit) }

    /// The threshold of a core of the search: `Δ` below the bound, but never below the best plan
    /// plus 90 % of `tolerance` (plans in between would not open the gap). `isLast` when the
    /// floor decides: the last core to search.
    static func coreThreshold(bound: Double, delta: Double, best: Double?, tolerance: Double) -> (value: Double, isLast: Bool) {
        let floor = best.map { $0 + 0.9 * tolerance } ?? -.infinity
        return bound - delta > floor ? (bound - delta, false) : (floor, true)
    }

    /// The core search: cores of growing Δ, each proving what it finds.
    ///
    /// With Δ guessed rather than taken from an incumbent — the threshold `t = L(π) − Δ` — the
    /// core still holds every plan better than t, so its solver's bound `B` gives the case's
    /// bound `max(B, t)`, and a plan it finds at or above t is optimal. Below t, Δ doubles, or
    /// grows to the next account's loss when doubling would free none. The threshold never falls
    /// below the best plan plus 90 % of `tolerance`: plans between the two would not open the
    /// gap, so that core is the last one (the exact one, but for what the gap allows). The first Δ
    /// leaves `firstCoreAccounts` accounts a choice. Only where effort windows apply (no
    /// linking row weighs revenue): otherwise every effort segment of the case is a variable of
    /// every core, too large to search this way. `report` takes each bound and plan and says
    /// whether the gap is closed. The search hands over (`closed` false) when a core grows past
    /// `searchedCoreLimit` accounts (the last one: `lastCoreLimit`), its solver stops short of
    /// the end (`deadline`, or its share of the run's `timeLimit`), or it has no plan at all.
    func searchCores(_ result: CaseResult, incumbent: Recovered?, tolerance: Double, deadline: Date, timeLimit: Double,
                     report: (Double, Recovered?) -> Bool) throws -> (closed: Bool, dualSeconds: Double) {
        let structure = result.structure
        guard Self.effortWindowsApply(structure) else { return (false, 0) }
        let priced = BlockPricing(structure: structure).price(result.duals, recordChoices: true, recordOptionValues: true)
        let losses = priced.choices.map { $0.reducedValue - $0.runnerUp }
        var guess = max(1, Self.smallest(Self.firstCoreAccounts, of: losses).map { losses[$0] }.filter(\.isFinite).max() ?? 1)
        var best = incumbent, dualSeconds = 0.0
        var caseBound = result.bound
        func reportBound(_ bound: Double, _ plan: Recovered?) -> Bool {
            caseBound = min(caseBound, bound)
            return report(bound, plan)
        }
        // The remainder bound before any core (for the plans above the threshold that frees the
        // most accounts any core of the search may have), then for the best plan's, once per plan.
        var remainderTried: Double?
        // The remainder bound for the plans above `threshold`; where the two-row programme's least
        // is under its cap, the plan it makes, when better than the best.
        func remainder(_ threshold: Double) throws -> (bound: Double?, plan: Recovered?) {
            guard let found = remainderFinding(result, threshold: threshold, priced: priced) else { return (nil, nil) }
            let left = deadline.timeIntervalSinceNow
            guard let choices = found.choices, left > 0,
                  let made = try plan(of: choices, result, priced: priced, threshold: threshold, tolerance: tolerance,
                                      timeLimit: Self.coreTime(left: left, timeLimit: timeLimit)),
                  made.objective > best?.objective ?? -.infinity else { return (found.bound, nil) }
            best = made
            dualSeconds += made.dualSeconds
            return (found.bound, made)
        }
        if best == nil, let delta = Self.smallest(Self.searchedCoreLimit, of: losses).map({ losses[$0] }).filter(\.isFinite).max() {
            let found = try remainder(priced.bound - delta)
            if let bound = found.bound, reportBound(bound, found.plan) { return (true, dualSeconds) }
        }
        // Once per plan, as soon as it is found: a core stopped short may leave a plan the
        // remainder bound proves (`global-share` 10,000: the first core's, at its 3 s), and the
        // two-row programme may make a better one, tried in turn.
        func remainderCloses() throws -> Bool {
            while let plan = best, remainderTried != plan.objective {
                remainderTried = plan.objective
                let found = try remainder(plan.objective + 0.9 * tolerance)
                if reportBound(found.bound ?? .infinity, found.plan) { return true }
            }
            return false
        }
        while true {
            if options.stop?.isRequested == true { throw PlanningInterrupted() }
            if try remainderCloses() { return (true, dualSeconds) }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return (false, dualSeconds) }
            let (threshold, isLast) = Self.coreThreshold(bound: priced.bound, delta: guess, best: best?.objective,
                                                         tolerance: tolerance)
            guard let core = CoreOptions(priced, threshold: threshold, structure: structure) else { return (reportBound(threshold, nil), dualSeconds) }
            guard core.freeAccounts <= (isLast ? Self.lastCoreLimit : Self.searchedCoreLimit) else { return (false, dualSeconds) }
            let found = try solveCore(result, core, incumbent: threshold, start: best, tolerance: tolerance,
                                      timeLimit: Self.coreTime(left: left, timeLimit: timeLimit),
                                      caseBound: caseBound)
            dualSeconds += found.recovered?.dualSeconds ?? 0
            if let plan = found.recovered { best = plan }
            if try reportBound(found.bound ?? .infinity, found.recovered) || remainderCloses() { return (true, dualSeconds) }
            // A core short of its end, or the last one (its threshold at the floor), leaves no
            // further core to search; a core without any plan (its fixed accounts break a limit
            // the few choices cannot mend, seen at a million accounts) hands over to the
            // restricted MIPs, whose free effort can mend it, rather than growing slowly.
            guard found.complete, !found.empty, !isLast else { return (false, dualSeconds) }
            // Doubling Δ that frees no further account (copies share one loss) would search
            // the same core again: Δ grows at least to the next account's loss.
            let next = losses.lazy.filter { $0 > core.delta && $0.isFinite }.min()
            guess = max(2 * guess, next ?? 0)
        }
    }
}
