// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import OutputFiles
internal import LinearProgramming

/// Why no plan satisfies the limits, in business terms, and what would make one possible.
public struct InfeasibilityDiagnosis: Sendable {
    /// One limit moved far enough to admit a plan.
    public struct Relaxation: Sendable, Hashable {
        public var kind: LimitKind
        public var name: String
        public var value: Double
        /// What the plan found needs (the limit's use in that plan).
        public var needed: Double
        /// `needed` rounded outward to a figure worth typing (4 significant digits, whole counts).
        public var suggested: Double
    }

    /// Lower bounds that no plan can beat, each already over a limit.
    public var cheapBounds: [String]
    /// The smallest joint relaxation found (relative change, summed over limits).
    public var relaxations: [Relaxation]
    /// Single limits that would restore feasibility alone.
    public var alternatives: [Relaxation]

    /// Limits that were not tried alone because the time limit ran out (empty when the
    /// diagnosis finished).
    public var notTried: [String] = []
    /// Whether the joint relaxation was cut short by the time limit.
    public var jointTimedOut = false

    /// Whether everything the diagnosis does was done within the time limit.
    public var isComplete: Bool { notTried.isEmpty && !jointTimedOut }

    /// Diagnoses `instance`: cheap bounds first, then elastic re-solves in which limits may give
    /// way, penalised by their relative relaxation. Bounded by `options.deadline`: what did not
    /// fit in the time is listed in ``notTried`` and said in ``text``.
    public static func diagnose(_ instance: AllocationInstance, options: PlanningOptions) throws -> InfeasibilityDiagnosis {
        let bounds = cheapBounds(instance)
        var diagnosis = InfeasibilityDiagnosis(cheapBounds: bounds, relaxations: [], alternatives: [])
        let built = AllocationProgram(instance: instance, elastic: true)
        let names = built.limitConstraints.map { $0.kind.name(in: instance.dataset) }
        guard !options.isPastDeadline else {
            diagnosis.jointTimedOut = true
            diagnosis.notTried = names
            return diagnosis
        }
        var program = built.program
        program.sense = .minimize
        program.objectiveConstant = 0
        for j in 0..<program.variableCount { program.setObjectiveCoefficient(0, for: VariableIndex(j)) }
        let weights = built.limitConstraints.map { scale(of: $0.kind, in: instance) }
        for (slack, weight) in zip(built.limitSlacks, weights) { program.setObjectiveCoefficient(1 / weight, for: slack) }
        let problem = try options.backend.makeSession(program)
        func settings() -> SolveOptions {
            SolveOptions(relativeGap: 1e-6, timeLimit: options.timeLimit(instance.model.solver.timeLimit),
                         verbose: options.verbose, cuttingPlanes: true, stop: options.stop)
        }
        // Warm (LP first, then branch and bound without presolve): every phase then watches
        // the stop signal.
        let joint = try problem.solve(options: settings(), warmStart: true)
        if options.stop?.isRequested == true { throw PlanningInterrupted() }
        diagnosis.jointTimedOut = joint.termination == .noSolutionWithLimit || joint.termination == .feasibleWithLimit
        diagnosis.relaxations = joint.termination.hasSolution ? violated(built, instance, joint.variableValues) : []

        for index in built.limitSlacks.indices {
            if options.isPastDeadline {
                diagnosis.notTried = Array(names[index...])
                break
            }
            for (other, otherSlack) in built.limitSlacks.enumerated() {
                try problem.setBounds(of: otherSlack, lower: 0, upper: other == index ? .infinity : 0)
            }
            let alone = try problem.solve(options: settings(), warmStart: true)
            if options.stop?.isRequested == true { throw PlanningInterrupted() }
            if alone.termination == .noSolutionWithLimit || alone.termination == .feasibleWithLimit, options.isPastDeadline {
                diagnosis.notTried = Array(names[index...])
                break
            }
            guard alone.termination.hasSolution else { continue }
            diagnosis.alternatives += violated(built, instance, alone.variableValues)
                .filter { $0.kind == built.limitConstraints[index].kind }
        }
        return diagnosis
    }

    /// The limits a solution of the elastic program breaks, with what it needs of them.
    private static func violated(_ built: AllocationProgram, _ instance: AllocationInstance,
                                 _ values: [Double]) -> [Relaxation] {
        let plan = PlanAssembler(instance: instance, decisions: built.decisions(from: values), limitDuals: nil).plan()
        return zip(plan.limits, built.limitSlacks).compactMap { limit, slack in
            guard values[slack.rawValue] > 1e-7 * max(1, abs(limit.value)) else { return nil }
            guard limit.slack < -1e-9 * max(1, abs(limit.value)) else { return nil }
            return Relaxation(kind: limit.kind, name: limit.name, value: limit.value, needed: limit.used,
                              suggested: suggestion(limit.kind, needed: limit.used))
        }
    }

    /// The size against which a limit's relaxation is measured, in its row's units.
    private static func scale(of kind: LimitKind, in instance: AllocationInstance) -> Double {
        let model = instance.model
        let revenue = instance.dataset.accounts.reduce(0) { $0 + $1.revenue }
        switch kind {
        case .regionalCapacity(let r): return max(1, instance.dataset.regions[r].localCapacityFTE)
        case .budget: return max(1, model.limits.budget ?? 1)
        case .gamHeadcount: return max(1, model.limits.gamHeadcount ?? 1)
        case .centralFTE: return max(1, model.limits.centralFTE ?? 1)
        case .execHours: return max(1, model.limits.execHours ?? 1)
        case .maxGlobalAccounts: return Double(max(1, model.limits.maxGlobalAccounts ?? 1))
        case .maxChanges: return Double(max(1, model.transition.maxChanges ?? 1))
        case .gamCapacity(let g): return max(1, instance.dataset.gams[g].capacityFTE)
        case .gamMaxAccounts(let g): return Double(max(1, instance.dataset.gams[g].maxAccounts ?? 1))
        case .gamPoolCapacity(let g): return max(1, instance.leadPools.map { $0.capacity(of: $0.pool[g], in: instance.dataset) } ?? 1)
        case .gamPoolMaxAccounts(let g):
            return Double(max(1, instance.leadPools.flatMap { $0.maxAccounts(of: $0.pool[g], in: instance.dataset) } ?? 1))
        case .maxCostOfSales, .globalShareMinimum, .globalShareMaximum:
            return max(1, (model.limits.budget ?? 0.01 * revenue))
        }
    }

    /// Rounds a needed value outward: up for caps, down for the global-share minimum.
    static func suggestion(_ kind: LimitKind, needed: Double) -> Double {
        switch kind {
        case .gamHeadcount, .maxGlobalAccounts, .maxChanges:
            return (needed - 1e-6).rounded(.up)
        case .globalShareMinimum:
            return roundSignificant(needed, up: false)
        default:
            return roundSignificant(needed, up: true)
        }
    }

    static func roundSignificant(_ value: Double, up: Bool, digits: Int = 4) -> Double {
        guard value > 0, value.isFinite else { return max(0, value) }
        let exponent = floor(log10(value)) - Double(digits - 1)
        // Divide by an exact power of ten rather than multiply by an inexact one: 0.1234, not 0.12340000000000001.
        let scaled = exponent < 0 ? value * pow(10, -exponent) : value / pow(10, exponent)
        let rounded = up ? (scaled - 1e-9).rounded(.up) : (scaled + 1e-9).rounded(.down)
        return exponent < 0 ? rounded / pow(10, -exponent) : rounded * pow(10, exponent)
    }

    /// Lower bounds on each limit's use that hold for every plan: each account at its
    /// cheapest open tier with that tier's minimum coverage, pins and eligibility as given.
    static func cheapBounds(_ instance: AllocationInstance) -> [String] {
        let model = instance.model, dataset = instance.dataset
        var minimumExpense = 0.0, gam = 0.0, central = 0.0, hours = 0.0
        var forcedGlobal = 0, forcedChanges = 0
        var coverage = [Double](repeating: 0, count: dataset.regions.count)
        for (a, open) in instance.openTiers.enumerated() {
            let costs = open.map { t -> Double in
                let tier = model.tiers[t]
                let effort = instance.pairs[a].reduce(0) {
                    $0 + tier.minLocalCoverage * $1.saturation * dataset.regions[$1.region].localFTECost
                }
                return instance.tierCost[t] + effort + (instance.isChange(account: a, tier: t) ? model.transition.changeCost : 0)
            }
            minimumExpense += costs.min() ?? 0
            gam += open.map { model.tiers[$0].gamFTE }.min() ?? 0
            central += open.map { model.tiers[$0].centralFTE }.min() ?? 0
            hours += open.map { model.tiers[$0].execHours }.min() ?? 0
            if open.allSatisfy({ model.tiers[$0].isGlobal }) { forcedGlobal += 1 }
            if open.allSatisfy({ instance.isChange(account: a, tier: $0) }) { forcedChanges += 1 }
            for (e, pair) in instance.pairs[a].enumerated() {
                let minimum = open.map { model.tiers[$0].minLocalCoverage * pair.saturation }.min() ?? 0
                coverage[instance.pairs[a][e].region] += minimum
            }
        }
        if forcedGlobal > 0 { minimumExpense += model.costs.programmeFixedCost }
        var messages: [String] = []
        let money = SummaryText.money, amount = SummaryText.amount
        if let budget = model.limits.budget, minimumExpense > budget * (1 + 1e-9) {
            messages.append("the mandatory minimum (every account in its cheapest open tier with that tier's minimum local coverage) already costs \(money(minimumExpense)) against a budget of \(money(budget))")
        }
        for (name, need, cap) in [("GAM FTE", gam, model.limits.gamHeadcount), ("central FTE", central, model.limits.centralFTE),
                                  ("executive hours", hours, model.limits.execHours)] {
            if let cap, need > cap + 1e-9 {
                messages.append("pins and eligibility alone need \(amount(need)) \(name) against \(amount(cap)) available")
            }
        }
        if let cap = model.limits.maxGlobalAccounts, forcedGlobal > cap {
            messages.append("\(Words.count(forcedGlobal, "account")) can only be handled globally (pins, eligibility) against a maximum of \(Words.count(cap, "global account"))")
        }
        if let cap = model.transition.maxChanges, forcedChanges > cap {
            messages.append("\(Words.count(forcedChanges, "account")) must change tier (their current tier is no longer open to them) against a maximum of \(Words.count(cap, "change"))")
        }
        for (r, region) in dataset.regions.enumerated() where coverage[r] > region.localCapacityFTE + 1e-9 {
            messages.append("the minimum local coverage in \(region.id) alone needs \(amount(coverage[r])) FTE against a capacity of \(amount(region.localCapacityFTE))")
        }
        // Named GAMs (portfolios.md): what pins naming a GAM put on that person.
        var pinnedFTE = [Double](repeating: 0, count: dataset.gams.count), pinnedCount = [Int](repeating: 0, count: dataset.gams.count)
        for (a, gam) in instance.pinnedGAM.enumerated() {
            guard let gam, let t = instance.pinnedTier[a] else { continue }
            pinnedFTE[gam] += model.tiers[t].gamFTE
            pinnedCount[gam] += 1
        }
        for (g, gam) in dataset.gams.enumerated() {
            if pinnedFTE[g] > gam.capacityFTE + 1e-9 {
                messages.append("the accounts pinned to \(gam.id) need \(amount(pinnedFTE[g])) FTE; \(gam.id) has \(amount(gam.capacityFTE))")
            }
            if let most = gam.maxAccounts, pinnedCount[g] > most {
                messages.append("\(Words.count(pinnedCount[g], "account")) are pinned to \(gam.id), who may lead at most \(most)")
            }
        }
        return messages
    }

    /// The diagnosis in sentences.
    public var text: String {
        var lines: [String] = []
        if !cheapBounds.isEmpty {
            lines.append("Why:")
            lines += cheapBounds.map { "- " + $0 + "." }
        }
        if !relaxations.isEmpty {
            lines.append("The smallest relaxation found that admits a plan:")
            lines += relaxations.map { "- " + Self.phrase($0) + "." }
        }
        // A smallest relaxation of one limit is that limit alone: not said twice.
        let others = relaxations.count == 1 ? alternatives.filter { $0.kind != relaxations[0].kind } : alternatives
        if !others.isEmpty {
            lines.append(others.count == 1 ? "This one alone would also do:" : "Any one of these alone would also do:")
            lines += others.map { "- " + Self.phrase($0) + "." }
        }
        if jointTimedOut && relaxations.isEmpty {
            lines.append("The time limit ran out before a relaxation of the limits was found.")
        }
        if !notTried.isEmpty {
            let count = notTried.count
            lines.append("The time limit ran out before \(count) limit\(count == 1 ? " was" : "s were") tried alone: "
                         + notTried.joined(separator: ", ") + " (raise solver.time_limit to try them).")
        }
        if lines.isEmpty { lines.append("No relaxation of the limits was found.") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "raise the budget from 12,000,000 to 14,240,000 (+2,240,000)"
    static func phrase(_ relaxation: Relaxation) -> String {
        let amount = SummaryText.amount
        let change = relaxation.suggested - relaxation.value
        let verb = change >= 0 ? "raise" : "lower"
        let what: String
        switch relaxation.kind {
        case .regionalCapacity: what = relaxation.name.replacingOccurrences(of: "local_capacity_fte.", with: "") + " local capacity (FTE)"
        case .budget: what = "the budget"
        default: what = relaxation.name
        }
        return "\(verb) \(what) from \(amount(relaxation.value)) to \(amount(relaxation.suggested)) (\(change >= 0 ? "+" : "")\(amount(change)))"
    }

    /// The diagnosis for summary.json.
    var json: JSONValue {
        func entries(_ list: [Relaxation]) -> JSONValue {
            .array(list.map { relaxation in
                .object([("name", .string(relaxation.name)), ("value", .number(relaxation.value)),
                         ("needed", .number(relaxation.needed)), ("suggested", .number(relaxation.suggested)),
                         ("advice", .string(Self.phrase(relaxation)))])
            })
        }
        return .object([("cheap_bounds", .array(cheapBounds.map(JSONValue.string))),
                        ("relaxation", entries(relaxations)), ("alternatives", entries(alternatives)),
                        ("complete", .bool(isComplete)), ("not_tried", .array(notTried.map(JSONValue.string)))])
    }
}
