// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import LinearProgramming

/// Column generation on the linking rows (step 1 of ``DecompositionSolver``, and of the
/// roadmap's decomposition): a master LP over whole plans, new plans priced at its duals,
/// in-out smoothing, and the Lagrangian bound. It sees the program only as a ``BlockStructure``.
struct ColumnGeneration {
    let options: PlanningOptions
    /// The model's relative MIP gap: column generation stops well inside it.
    let mipGap: Double
    /// The part of the objective no decision changes (the gap is relative to the rest).
    let fixedPart: Double
    /// Column generation stops after this share of the time limit, counted from `start`.
    let timeLimit: Double

    /// A warm solve's master mixes plans group by group: account `a` is in group
    /// `a % accountGroups`, and each pricing gives one column per group. The master can then take
    /// one group's accounts from a new plan and another's from an old one (the old plans do not
    /// use the limit that moved), and the bound closes in fewer pricings (a sweep of 100,000
    /// accounts: 290 → 185 over its 20 points). A cold solve mixes whole plans: its prices, found
    /// in fewer pricings, fixed `heavy-tail` at a million accounts so badly that its recovery
    /// took 84 s instead of 0.8 (docs/decisions.md). Every pricing keeps the groups' plans.
    static let accountGroups = 16

    /// What column generation found for one case.
    struct Result {
        var bound: Double
        /// The prices of the best bound.
        var duals: [Double]
        var infeasible: Bool
        var iterations: Int
        var plans: [BlockPricing.Plan]
    }

    /// Column generation on the linking rows of `structure`, from the plans and prices of
    /// `warm` when given (`first`: its plan at zero prices, which no limit value moves).
    func run(_ structure: any BlockStructure, start: Date,
             warm: (plans: [BlockPricing.Plan], center: [Double], first: BlockPricing.Plan?)?) throws -> Result {
        let pricing = BlockPricing(structure: structure)
        let rows = structure.rowCount
        let zero = [Double](repeating: 0, count: rows)
        // Lagrangian bounds hold for duals of the right signs only; the master's are forced.
        let signed = { (duals: [Double]) in structure.signedDuals(duals) }
        let groups = Self.accountGroups
        var plans = [warm?.first.flatMap { $0.usage.count == rows && $0.partObjective.count == groups ? $0 : nil }
                     ?? pricing.price(zero, groups: groups)]
        var bestBound = plans[0].bound
        var center = zero
        if let warm, warm.center.count == rows {
            // Earlier plans stay valid when only limit values moved; their prices are a good start.
            plans += warm.plans.filter { $0.partObjective.count == groups }
            let restart = pricing.price(signed(warm.center), groups: groups)
            plans.append(restart)
            if restart.bound < bestBound {
                bestBound = restart.bound
                center = warm.center
            }
        }
        // Row scales keep the master well conditioned: each row divided by its size.
        let scales = (0..<rows).map { i in 1 / max(1, abs(structure.rightHandSides[i]), abs(plans[0].usage[i])) }
        let penalty = 10 * max(1, abs(plans[0].objective) + abs(plans[0].bound))
        // Column generation stops well inside the MIP gap (default 1e-4) so the recovery has room.
        let tolerance = min(1e-6, max(1e-8, 0.01 * mipGap)) * max(1, abs(plans[0].bound - fixedPart))
        var iterations = 1
        var infeasible = false
        var lastMaster = -Double.infinity, stalledRounds = 0
        // Cold, the master mixes whole plans; warm, it mixes them group by group (decisions.md).
        let mixtures = Master(structure: structure, first: plans[0], scales: scales, penalty: penalty,
                              grouped: warm != nil)
        var mastered = 0
        let limit = options.timeLimit(timeLimit)
        while true {
            if options.stop?.isRequested == true { throw PlanningInterrupted() }
            mixtures.add(Array(plans[mastered...]))
            mastered = plans.count
            let master = try mixtures.solve(options.backend, verbose: options.verbose)
            // The master's prices are only as precise as its simplex: when plans priced at them no
            // longer raise its objective, more of them will not either (the bound found stands).
            stalledRounds = master.objective > lastMaster + 1e-3 * tolerance ? 0 : stalledRounds + 1
            lastMaster = max(lastMaster, master.objective)
            if stalledRounds >= 5 { break }
            if bestBound - master.objective <= tolerance {
                infeasible = master.artificialActivity > 1e-7 && provesInfeasible(pricing, duals: signed(master.duals))
                break
            }
            if iterations >= 5000 || Date().timeIntervalSince(start) > 0.6 * limit { break }
            // In-out smoothing: price between the best prices so far and the master's.
            var added = false
            for alpha in [0.5, 0.0] {
                let probe = signed((0..<rows).map { alpha * center[$0] + (1 - alpha) * master.duals[$0] })
                let plan = pricing.price(probe, groups: groups)
                iterations += 1
                if plan.bound < bestBound {
                    bestBound = plan.bound
                    center = probe
                }
                // A column that prices out by more than its share of the tolerance.
                var reduced = -Double.infinity
                for g in 0..<mixtures.groups {
                    var partReduced = mixtures.objective(plan, g) - master.convexityDuals[g]
                    for i in 0..<rows { partReduced -= master.duals[i] * mixtures.usage(plan, g, i) }
                    reduced = max(reduced, Double(mixtures.groups) * partReduced)
                }
                if reduced > tolerance {
                    plans.append(plan)
                    added = true
                    break
                }
            }
            if !added {
                // The master's prices admit no better plan: the master is optimal. With artificial
                // activity left its objective is penalised and no bound; the case has no plan only
                // if the prices prove it.
                if master.artificialActivity > 1e-7 {
                    infeasible = provesInfeasible(pricing, duals: signed(master.duals))
                } else {
                    bestBound = min(bestBound, master.objective + tolerance)
                }
                break
            }
        }
        return Result(bound: bestBound, duals: center, infeasible: infeasible, iterations: iterations, plans: plans)
    }

    /// Whether prices in the direction of `duals` prove that no plan of the case satisfies the
    /// linking rows: the Lagrangian bound at `λ·duals` (valid for any duals of the right signs)
    /// falls below a lower bound on every plan's objective, for some scale λ.
    private func provesInfeasible(_ pricing: BlockPricing, duals: [Double]) -> Bool {
        let floor = pricing.structure.objectiveLowerBound
        let margin = 1e-6 * max(1, abs(floor))
        return [1.0, 10, 100, 1e3, 1e4, 1e6].contains { scale in
            pricing.price(duals.map { $0 * scale }).bound < floor - margin
        }
    }

    private struct MasterSolution {
        var objective: Double
        var duals: [Double]
        /// Per group of accounts.
        var convexityDuals: [Double]
        var artificialActivity: Double
    }

    /// max Σ μ·objective over mixtures of the plans found — whole plans, or one mixture per group
    /// of accounts when `grouped` (each plan then gives a column per group,
    /// ``BlockPricing/Plan/partObjective``) — with penalised artificial columns so that it is
    /// always feasible. Kept in one solver session: each round adds the new plans' columns and the
    /// simplex goes on from the last basis.
    private final class Master {
        let rows: Int, groups: Int
        let scales: [Double]
        /// Each group's first column's objective, taken off its columns: every mixture weighs 1,
        /// so the master's numbers are the size of what the decisions move (its objective is
        /// otherwise the whole net contribution, and the simplex's tolerances are relative to it).
        let shifts: [Double]
        let constant: Double
        var program = LinearProgram(sense: .maximize)
        var linking: [ConstraintIndex] = [], convexity: [ConstraintIndex] = []
        var artificials: [VariableIndex] = []
        var session: (any SolverSession)?

        init(structure: any BlockStructure, first: BlockPricing.Plan, scales: [Double], penalty: Double, grouped: Bool) {
            rows = structure.rowCount
            groups = grouped ? first.partObjective.count : 1
            self.scales = scales
            constant = structure.constant
            shifts = grouped ? first.partObjective : [first.objective - structure.constant]
            artificials = (0..<rows).map { _ in program.addVariable(lower: 0, upper: .infinity, objective: -penalty) }
            for i in 0..<rows {
                let bound = structure.rightHandSides[i] * scales[i]
                switch structure.senses[i] {
                case .atMost: linking.append(program.addConstraint(terms: [(artificials[i], -1)], upper: bound))
                case .atLeast: linking.append(program.addConstraint(terms: [(artificials[i], 1)], lower: bound))
                }
            }
            convexity = (0..<groups).map { _ in program.addConstraint(terms: [], lower: 1, upper: 1) }
        }

        /// Column `g` of `plan`: its group's plan, or the whole plan when the master is not grouped
        /// (objective without the constant).
        func objective(_ plan: BlockPricing.Plan, _ g: Int) -> Double {
            groups > 1 ? plan.partObjective[g] : plan.objective - constant
        }

        func usage(_ plan: BlockPricing.Plan, _ g: Int, _ i: Int) -> Double {
            groups > 1 ? plan.partUsage[g * rows + i] : plan.usage[i]
        }

        func add(_ plans: [BlockPricing.Plan]) {
            var columns: [LinearProgram.Column] = []
            for plan in plans {
                for g in 0..<groups {
                    var terms: [(ConstraintIndex, Double)] = (0..<rows).map { i in (linking[i], usage(plan, g, i) * scales[i]) }
                    terms.append((convexity[g], 1))
                    columns.append(LinearProgram.Column(objective: objective(plan, g) - shifts[g], terms: terms))
                }
            }
            program.addColumns(columns)
        }

        func solve(_ backend: any SolverBackend, verbose: Bool) throws -> MasterSolution {
            var result: SolveResult?
            if let session {
                // From the last basis; should that fail, the master is loaded afresh.
                if (try? session.extend(to: program)) != nil {
                    result = try session.solve(options: SolveOptions(verbose: verbose), warmStart: true)
                    if result?.termination != .optimal { result = nil }
                }
            }
            if result == nil {
                let fresh = try backend.makeSession(program)
                session = fresh
                result = try fresh.solve(options: SolveOptions(verbose: verbose))
            }
            guard let result, result.termination == .optimal, let duals = result.constraintDuals,
                  let value = result.objectiveValue else {
                throw PlanningFailure("the decomposition master could not be solved (\(result?.rawStatus ?? "no result"))")
            }
            return MasterSolution(objective: value + shifts.reduce(0, +) + constant,
                                  duals: (0..<rows).map { duals[linking[$0].rawValue] * scales[$0] },
                                  convexityDuals: (0..<groups).map { duals[convexity[$0].rawValue] + shifts[$0] },
                                  artificialActivity: artificials.reduce(0) { $0 + result.variableValues[$1.rawValue] })
        }
    }
}

extension DecompositionSolver {
    /// Column generation on the linking rows of one programme case.
    func priceLinkingRows(_ structure: LinkingStructure, start: Date, warm: WarmStart?) throws -> CaseResult {
        let generation = ColumnGeneration(options: options, mipGap: instance.model.solver.mipGap, fixedPart: fixedPart,
                                          timeLimit: instance.model.solver.timeLimit)
        let result = try generation.run(structure, start: start, warm: warm.map { ($0.plans, $0.center, $0.first) })
        return CaseResult(structure: structure, bound: result.bound, duals: result.duals, infeasible: result.infeasible,
                          iterations: result.iterations, plans: result.plans)
    }
}
