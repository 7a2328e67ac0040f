// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import LinearProgramming

/// Recovery (step 2 of ``DecompositionSolver``): free sets, restricted programs, the plan they
/// hold and its shadow prices.
extension DecompositionSolver {
    /// Which decisions the restricted MIP leaves free.
    struct FreeSet {
        /// Per account: its tier and effort are free.
        var accounts: [Bool]
        /// Free effort pairs of fixed accounts, as `account · stride + pair`.
        var pairs: Set<Int>
        var stride: Int
        /// Every account that has a choice is free: the restricted MIP is the whole case.
        var everything: Bool

        func isFree(account a: Int, pair e: Int) -> Bool { pairs.contains(a * stride + e) }
    }

    /// How much the free set grows when a restricted MIP leaves the gap open: it doubles. At a
    /// million `standard` accounts (gap 1e-4) a second restricted MIP of 1,280 free accounts
    /// (33,000 columns) found no plan in the 9.5 s left and the run stopped at its limit; one of
    /// 640 reached the gap in 1.9 s. At 10,000 and 100,000 accounts (gap 1e-6) no profile's
    /// plan or gap differed from growing fourfold.
    static let freeSetGrowth = 2

    /// The `freeAccounts` accounts closest to indifference between their two best options,
    /// and, among the others, twice as many effort pairs nearest to break-even.
    func freeSet(_ result: CaseResult, _ choices: [BlockPricing.Choice], freeAccounts: Int) -> FreeSet {
        let structure = result.structure
        let accounts = structure.accountCount
        let indifference = choices.map { $0.reducedValue - $0.runnerUp }
        var free = [Bool](repeating: false, count: accounts)
        for a in Self.smallest(freeAccounts, of: indifference) where choices[a].runnerUp > -.infinity { free[a] = true }
        let nearBreakEven = structure.pairsNearBreakEven(result.duals, skipping: free)
        let everything = freeAccounts >= accounts
        var set = FreeSet(accounts: free, pairs: [], stride: 1 + (structure.mostPairs),
                          everything: everything)
        let chosen = everything ? Array(nearBreakEven.indices) : Self.smallest(freeAccounts * 2, of: nearBreakEven.map(\.closeness))
        for index in chosen {
            set.pairs.insert(nearBreakEven[index].account * set.stride + nearBreakEven[index].pair)
        }
        return set
    }

    /// The indices of the `count` smallest `keys`, ties to the lower index — the first `count`
    /// of a stable sort — found with a bounded heap: a free set needs tens of the smallest among
    /// hundreds of thousands, which a full sort of every point of a sweep paid for.
    static func smallest(_ count: Int, of keys: [Double]) -> [Int] {
        guard count < keys.count else { return Array(keys.indices) }
        guard count > 0 else { return [] }
        // A max-heap on (key, index): its top is the largest of the kept ones.
        func above(_ i: Int, _ j: Int) -> Bool { keys[i] > keys[j] || (keys[i] == keys[j] && i > j) }
        var heap: [Int] = []
        heap.reserveCapacity(count)
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1, right = left + 1
                var largest = parent
                if left < heap.count, above(heap[left], heap[largest]) { largest = left }
                if right < heap.count, above(heap[right], heap[largest]) { largest = right }
                if largest == parent { return }
                heap.swapAt(parent, largest)
                parent = largest
            }
        }
        for index in keys.indices {
            if heap.count < count {
                heap.append(index)
                var child = heap.count - 1
                while child > 0, above(heap[child], heap[(child - 1) / 2]) {
                    heap.swapAt(child, (child - 1) / 2)
                    child = (child - 1) / 2
                }
            } else if above(heap[0], index) {
                heap[0] = index
                siftDown(0)
            }
        }
        return heap
    }

    /// The restricted MIP, built like the monolithic program: free decisions as variables,
    /// fixed ones (at the pricing's choices) folded into the right-hand sides. It comes as a
    /// ``CoreProgram`` (without aggregates), so that it can start from the priced plan;
    /// `optionIndices` maps each account's binaries to its options.
    func restrictedProgram(_ structure: LinkingStructure, _ choices: [BlockPricing.Choice], _ free: FreeSet)
        -> (core: CoreProgram, optionIndices: [[Int]?]) {
        let accounts = structure.accountCount
        var builder = ProgramBuilder(formulation: structure.formulation, programmeActive: structure.programmeActive)
        var tierVariables = [[VariableIndex]?](repeating: nil, count: accounts)
        var optionIndices = [[Int]?](repeating: nil, count: accounts)
        var effortVariables = [[[VariableIndex]]](repeating: [], count: accounts)
        var coverage = [[ConstraintIndex?]](repeating: [], count: accounts)
        var widths = [[[Double]]](repeating: [], count: accounts)
        // The pricing table's arrays as locals: no reference counting per account.
        let table = structure.pricingTable
        let optionStart = table.optionStart, optionValue = table.optionValue, pairStart = table.pairStart
        let pairClass = table.pairClass, segments = table.segments, margins = structure.margins
        let regionCost = structure.instance.dataset.regions.map(\.localFTECost)
        // The accounts fixed whole (no free pair; at 100,000 accounts all but a few hundred)
        // summed first and folded in once: per account, the builder's calls cost a sweep's
        // points a twentieth of their time.
        let usageStart = table.usageStart, usageRow = table.usageRow, usageCoefficient = table.usageCoefficient
        var fixedValue = 0.0, fixedUsage = [Double](repeating: 0, count: structure.rowCount)
        var fixedFTE = [Double](repeating: 0, count: regionCost.count), fixedRevenue = fixedFTE, fixedProfit = fixedFTE
        for a in 0..<accounts {
            if free.accounts[a] {
                let options = structure.options(a)
                let kept = Self.keptOptions(options, hasNamedGAMs: structure.instance.dataset.hasNamedGAMs, choices[a],
                                            everything: free.everything)
                let tierChoices = kept.map { options[$0].choice }
                let ys = builder.addTierChoices(account: a, tierChoices, shiftToFloor: false)
                tierVariables[a] = ys
                optionIndices[a] = kept
                for (e, pair) in structure.pairs(a).enumerated() {
                    let rowsBefore = builder.coverageRows.count
                    effortVariables[a].append(builder.addEffort(account: a, pair: e, choices: Array(zip(tierChoices, ys))))
                    coverage[a].append(builder.coverageRow(addedSince: rowsBefore))
                    widths[a].append(pair.widths)
                }
                continue
            }
            // A fixed account straight from the pricing table: its option's value and coefficients,
            // its fixed effort's revenue filled into the pair's segments.
            let o = choices[a].option, option = optionStart[a] + o
            fixedValue += optionValue[option]
            for u in usageStart[option]..<usageStart[option + 1] { fixedUsage[usageRow[u]] += usageCoefficient[u] }
            let firstPair = pairStart[a], pairCount = pairStart[a + 1] - firstPair
            // Most accounts have no free pair: no arrays of their own (the plan keeps their
            // priced effort), which at 100,000 accounts took a third of each recovery.
            guard !free.pairs.isEmpty, (0..<pairCount).contains(where: { free.isFree(account: a, pair: $0) }) else {
                for e in 0..<pairCount {
                    let p = firstPair + e, fte = choices[a].fte[e]
                    guard fte > 0 else { continue }
                    let revenue = segments.revenue(pair: p, fte: fte), region = pairClass[p]
                    fixedFTE[region] += fte
                    fixedRevenue[region] += revenue
                    fixedProfit[region] += margins[a] * revenue
                }
                continue
            }
            let fte = choices[a].fte
            var variables = [[VariableIndex]](repeating: [], count: pairCount)
            var rows = [ConstraintIndex?](repeating: nil, count: pairCount), pieces = [[Double]](repeating: [], count: pairCount)
            for e in 0..<pairCount {
                if free.isFree(account: a, pair: e) {
                    let rowsBefore = builder.coverageRows.count
                    variables[e] = builder.addEffort(account: a, pair: e, choices: [], fixedMinimum: structure.minimumFTE(account: a, option: o, pair: e))
                    rows[e] = builder.coverageRow(addedSince: rowsBefore)
                    pieces[e] = structure.pairs(a)[e].widths
                    continue
                }
                let p = firstPair + e
                builder.fixEffort(segments, pair: p, region: pairClass[p], margin: margins[a], cost: regionCost[pairClass[p]], fte: fte[e])
            }
            effortVariables[a] = variables
            coverage[a] = rows
            widths[a] = pieces
        }
        builder.fix(value: fixedValue, usage: fixedUsage.enumerated().lazy.map { (row: $0.offset, coefficient: $0.element) })
        for region in regionCost.indices where fixedFTE[region] > 0 {
            builder.fixEffort(region: region, cost: regionCost[region], fte: fixedFTE[region], revenue: fixedRevenue[region],
                              grossProfit: fixedProfit[region])
        }
        let (lp, limits, _) = builder.finish()
        let floors = widths.map { $0.map { _ in 0.0 } }
        return (CoreProgram(program: lp, rows: limits.map(\.constraint), tiers: tierVariables, effort: effortVariables,
                            coverage: coverage, floors: floors, widths: widths, aggregates: []),
                optionIndices)
    }

    /// The most GAMs a free account keeps per global tier in a restricted program (named GAMs).
    static let keptLeads = 4

    /// The options a free account keeps in a restricted program: all of them, but with named
    /// GAMs only the `keptLeads` best leads of each global tier at the pricing's prices (and the
    /// priced choice), unless the program is the whole case.
    static func keptOptions(_ options: [LinkingStructure.TierOption], hasNamedGAMs: Bool, _ choice: BlockPricing.Choice,
                            everything: Bool) -> [Int] {
        let all = Array(options.indices)
        guard hasNamedGAMs, !everything, choice.optionValues.count == all.count else { return all }
        var byTier: [Int: [Int]] = [:]
        for o in all { byTier[options[o].tier, default: []].append(o) }
        var kept: Set<Int> = [choice.option]
        for (_, options) in byTier {
            kept.formUnion(options.sorted { choice.optionValues[$0] > choice.optionValues[$1] || (choice.optionValues[$0] == choice.optionValues[$1] && $0 < $1) }
                .prefix(keptLeads))
        }
        return kept.sorted()
    }

    /// Fixes every clear decision at the prices of `result`, leaves the `freeAccounts` most
    /// nearly indifferent accounts (and the nearly break-even effort segments) to a small MIP,
    /// and returns the plan it finds (nil when that MIP has none).
    /// `prices`, when given, fix the accounts instead of the case's (``mendingPrices``).
    func recover(_ result: CaseResult, freeAccounts: Int, timeLimit: Double, target: Double,
                 firstPlan: Bool, prices: [Double]? = nil) throws -> Attempt {
        let structure = result.structure
        // The prices that fix the accounts: the case's, or mending ones.
        let fixing = prices ?? result.duals
        // With named GAMs the option values pick the leads a free account keeps.
        let choices = BlockPricing(structure: structure).price(fixing, recordChoices: true,
                                                               recordOptionValues: structure.instance.dataset.hasNamedGAMs).choices
        let free = freeSet(result, choices, freeAccounts: freeAccounts)
        let (restricted, optionIndices) = restrictedProgram(structure, choices, free)
        // Limits the free decisions cannot reach are left out (GLPK's presolve did that, but it
        // cannot start from a basis of ours).
        let problem = try options.backend.makeSession(restricted.program.droppingRedundantConstraints())
        let deadline = Date().addingTimeInterval(timeLimit)
        // From the plan at the prices that fixed the other accounts, as the cores do: `standard`
        // 10,000 at 1e-6 0.67 → 0.48 s (5,271 simplex iterations at the root from GLPK's own
        // start), `cost-of-sales` 100,000 5.9 → 3.3 s.
        try problem.setStartingBasis(pricedPlanOf: restricted, structure, prices: fixing)
        // Branch and bound; without any plan yet it gets half the time left (the fallbacks the
        // rest), and must hold a plan `firstPlanSearch` after its root.
        func branchAndBound(lookingForFirstPlan: Bool) throws -> SolveResult {
            let left = deadline.timeIntervalSinceNow
            var solveOptions = SolveOptions(relativeGap: 1e-9, timeLimit: max(0.001, firstPlan ? 0.5 * left : left),
                                            verbose: options.verbose, cuttingPlanes: true, stop: options.stop,
                                            targetObjective: target)
            solveOptions.dualSimplex = true
            solveOptions.firstSolutionTimeLimit = lookingForFirstPlan ? Self.firstPlanSearch : nil
            return try problem.solve(options: solveOptions, warmStart: true, incumbent: nil)
        }
        var solution = try branchAndBound(lookingForFirstPlan: firstPlan)
        // Lost in the tree: a dive from the priced plan (a few LPs), taken when it reaches the
        // target; short of it, branch and bound again, afresh.
        var dived: [Double]?, triedDive = false
        if firstPlan, solution.termination == .noSolutionWithLimit, Date() < deadline {
            triedDive = true
            try problem.setStartingBasis(pricedPlanOf: restricted, structure, prices: fixing)
            dived = try dive(problem, restricted.program, tiers: restricted.tiers, deadline: deadline)
            if let plan = dived, restricted.program.objectiveValue(of: plan) < target, Date() < deadline {
                try problem.setStartingBasis(pricedPlanOf: restricted, structure, prices: fixing)
                solution = try branchAndBound(lookingForFirstPlan: false)
            }
        }
        let divedObjective = dived.map { restricted.program.objectiveValue(of: $0) } ?? -.infinity
        var values: [Double], objective: Double, exactBound: Double?
        if let dived, divedObjective >= target {
            (values, objective, exactBound) = (dived, divedObjective, nil)
        } else if solution.termination.hasSolution, let value = solution.objectiveValue {
            (values, objective) = (solution.variableValues, value)
            if let dived, divedObjective > value { (values, objective) = (dived, divedObjective) }
            // With every decision free the restricted MIP is the whole case, and the solver's bound holds.
            exactBound = free.everything && solution.termination == .optimal ? solution.bestBound : nil
        } else {
            // Only the whole case, found infeasible by the solver, proves the case has no plan;
            // a time limit, a numerical failure or a restricted set of free decisions does not.
            let proof = free.everything && (solution.termination == .infeasible || solution.termination == .infeasibleOrUnbounded)
            if proof { return .provenInfeasible }
            // The accounts fixed at the case's prices break a limit the free ones cannot mend
            // (at a million accounts, by thousands of accounts' worth): fix them at prices whose
            // best blocks keep every limit instead, once. Single solves only: in what-if series
            // the growing free set mends it sooner (a sweep of 100,000 accounts: 0.12 s slower).
            if thorough, solution.termination == .infeasible, prices == nil, Date() < deadline,
               let mended = mendingPrices(structure, result.duals) {
                return try recover(result, freeAccounts: freeAccounts, timeLimit: deadline.timeIntervalSinceNow,
                                   target: target, firstPlan: firstPlan, prices: mended)
            }
            // The dive's plan, else the least-expense one (a budget at the edge of feasibility),
            // else a dive if none was tried (branch and bound failed otherwise than by time).
            guard firstPlan, solution.termination != .interrupted, Date() < deadline,
                  let found = try dived
                      ?? leastExpensePlan(problem, restricted.program, budget: zip(structure.kinds, restricted.rows)
                                              .first { $0.0 == .budget }?.1,
                                          coverage: restricted.coverage.joined().compactMap { $0 },
                                          tiers: restricted.tiers, deadline: deadline)
                      ?? (triedDive ? nil : dive(problem, restricted.program, tiers: restricted.tiers, deadline: deadline))
            else { return .noPlan }
            values = found
            objective = restricted.program.objectiveValue(of: found)
            exactBound = nil
        }
        let decisions = planDecisions(structure, values: values, tiers: restricted.tiers,
                                      optionIndices: optionIndices,
                                      effort: restricted.effort, choices: choices)
        let (duals, dualSeconds) = try fixedTierDuals(problem, values, restricted.tiers, restricted.rows, structure.kinds)
        return .plan(Recovered(decisions: decisions, objective: objective, duals: duals, exactBound: exactBound, dualSeconds: dualSeconds))
    }

    /// How long after its root a first restricted MIP may search without any plan before a
    /// dive is tried: GLPK's heuristics find one at or near the root when they find one soon
    /// (`global-share` at a million accounts: 5,369 nodes and 18 s without a plan, where a dive
    /// found one within 1e-6 in 0.1 s).
    static let firstPlanSearch = 0.25

    /// The plan in a restricted program's `values`: free accounts take the option whose binary
    /// is set (`optionIndices` maps each binary to its option), fixed ones the pricing's choice;
    /// effort is the sum of a pair's segments, or the pricing's when the pair was fixed.
    func planDecisions(_ structure: LinkingStructure, values: [Double], tiers: [[VariableIndex]?], optionIndices: [[Int]?],
                       effort: [[[VariableIndex]]], choices: [BlockPricing.Choice], floors: [[Double]]? = nil) -> PlanDecisions {
        var chosenTiers: [Int] = [], leads: [Int?] = [], pools: [Int?] = [], fte: [[Double]] = []
        chosenTiers.reserveCapacity(structure.accountCount)
        leads.reserveCapacity(structure.accountCount)
        pools.reserveCapacity(structure.accountCount)
        fte.reserveCapacity(structure.accountCount)
        for a in 0..<structure.accountCount {
            let ys = tiers[a], efforts = effort[a]
            let o = ys.map { ys in optionIndices[a]![ys.indices.max { values[ys[$0].rawValue] < values[ys[$1].rawValue] }!] }
                ?? choices[a].option
            let (tier, lead) = structure.optionKey(a, o)
            chosenTiers.append(tier)
            leads.append(lead?.gam)
            pools.append(lead?.gam == nil ? lead?.pool : nil)
            // An account fixed with no effort arrays (a core's, without a window) keeps its priced effort.
            fte.append(efforts.isEmpty && ys == nil ? choices[a].fte : efforts.indices.map { e in
                if let floors { return max(0, efforts[e].reduce(floors[a][e]) { $0 + values[$1.rawValue] }) }
                return efforts[e].isEmpty && ys == nil ? choices[a].fte[e] : max(0, efforts[e].reduce(0) { $0 + values[$1.rawValue] })
            })
        }
        return PlanDecisions(tiers: chosenTiers, fte: fte, programmeActive: structure.programmeActive,
                             leads: structure.instance.dataset.hasNamedGAMs ? leads : [],
                             pools: structure.instance.leadPools == nil ? [] : pools)
    }

    /// What one recovery attempt found.
    enum Attempt {
        case plan(Recovered)
        /// The whole case (every decision free) has no plan: the solver proved it.
        case provenInfeasible
        /// No plan, and no proof there is none (a restricted free set, a time limit, a failure).
        case noPlan

        var recovered: Recovered? {
            if case .plan(let recovered) = self { return recovered }
            return nil
        }
    }

    /// Shadow prices: the restricted model with its binaries fixed at `values`, as an LP.
    func fixedTierDuals(_ problem: any SolverSession, _ values: [Double], _ tiers: [[VariableIndex]?],
                                _ rows: [ConstraintIndex], _ kinds: [LimitKind]) throws -> ([LimitKind: Double]?, Double) {
        for ys in tiers.compactMap({ $0 }) {
            for y in ys { try problem.setBounds(of: y, lower: values[y.rawValue].rounded(), upper: values[y.rawValue].rounded()) }
        }
        let start = Date()
        // Fixing binaries moves bounds only: the basis the search left stays dual feasible.
        var lpOptions = SolveOptions(relaxIntegrality: true, verbose: options.verbose)
        lpOptions.dualSimplex = true
        let fixedLP = try problem.solve(options: lpOptions)
        let seconds = Date().timeIntervalSince(start)
        guard fixedLP.termination == .optimal, let rowDuals = fixedLP.constraintDuals else { return (nil, seconds) }
        return (Dictionary(uniqueKeysWithValues: zip(kinds, rows.map { rowDuals[$0.rawValue] })), seconds)
    }

    /// A plan recovered for one programme case.
    struct Recovered {
        var decisions: PlanDecisions
        var objective: Double
        var duals: [LimitKind: Double]?
        /// The case's proven bound when the restricted MIP was the whole case.
        var exactBound: Double?
        var dualSeconds: Double
    }
}
