// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import GLPK
public import LinearProgramming

/// The solver broke down (not infeasibility, not a time limit): exit code 3.
public struct PlanningFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The user stopped the solve (Ctrl-C); nothing should be written.
public struct PlanningInterrupted: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}

/// Settings of one solve that do not belong in the model file.
public struct PlanningOptions: Sendable {
    /// Show GLPK's own log on standard error.
    public var verbose = false
    /// Raised (by a Ctrl-C handler, say) to stop the solve; it then throws ``PlanningInterrupted``.
    public var stop: StopSignal?

    public init(verbose: Bool = false, stop: StopSignal? = nil) {
        self.verbose = verbose
        self.stop = stop
    }
}

/// Solves an ``AllocationInstance`` with GLPK and turns the solution into a ``StaffingPlan``.
public enum AllocationPlanner {
    /// Builds the program, solves the MIP within the model's gap and time limit, then fixes
    /// the tier choices and re-solves the LP for shadow prices.
    public static func solve(_ instance: AllocationInstance, options: PlanningOptions = PlanningOptions()) throws -> PlanningResult {
        try AllocationSession(instance: instance, options: options).solve()
    }
}

/// One instance loaded into GLPK for a series of what-if solves.
///
/// The GLPK problem and its basis are kept between solves: a change of a limit or a capacity
/// moves one row bound; any other change rebuilds the program in Swift and loads only what
/// differs into GLPK. Each solve after the first starts warm, from the previous basis with the
/// previous plan offered as the first incumbent. GLPK state belongs to one OS thread: create,
/// use and release a session on the same thread, never across `await`.
public final class AllocationSession {
    public private(set) var instance: AllocationInstance
    public let options: PlanningOptions
    private var built: AllocationProgram
    private var problem: GLPKProblem
    private var previousSolution: [Double]?
    private var buildSeconds: Double

    public init(instance: AllocationInstance, options: PlanningOptions = PlanningOptions()) throws {
        let start = Date()
        self.instance = instance
        self.options = options
        built = AllocationProgram(instance: instance)
        problem = try Self.load(built)
        buildSeconds = Date().timeIntervalSince(start)
    }

    private static func load(_ built: AllocationProgram) throws -> GLPKProblem {
        do {
            return try GLPKProblem(built.program)
        } catch {
            throw PlanningFailure("the model could not be handed to GLPK: \(error)")
        }
    }

    /// Sets `key` to `value` for the following solves. Throws ``InputError`` when the value
    /// makes the inputs invalid (the session is then unchanged).
    public func set(_ key: WhatIfKey, to value: Double) throws {
        let start = Date()
        guard value.isFinite else {
            throw InputError([InputDiagnostic(SourceLocation(file: "--vary"), "\(key): \(value) is not a number")])
        }
        var dataset = instance.dataset, model = instance.model
        try key.apply(value, dataset: &dataset, model: &model)
        if key.changesOnlyABound(in: instance), let kind = key.limitKind(in: instance),
           let row = built.limitConstraints.first(where: { $0.kind == kind })?.constraint {
            guard value >= 0 else {
                throw InputError([InputDiagnostic(SourceLocation(file: "--vary"), "\(key): must be ≥ 0, found \(formatShort(value))")])
            }
            let bound = kind == .maxGlobalAccounts || kind == .maxChanges ? value.rounded(.down) : value
            try problem.setBounds(of: row, lower: -.infinity, upper: bound)
            instance.dataset = dataset
            instance.model = model
        } else {
            try model.validate(file: "--vary")
            try rebuild(AllocationInstance(dataset: dataset, model: model))
        }
        buildSeconds = Date().timeIntervalSince(start)
    }

    /// Replaces the model's pins (what-if: force accounts into tiers).
    public func setPins(_ pins: [TierPin]) throws {
        let start = Date()
        var model = instance.model
        model.pins = pins
        try model.validate(file: "--pin")
        try rebuild(AllocationInstance(dataset: instance.dataset, model: model))
        buildSeconds = Date().timeIntervalSince(start)
    }

    private func rebuild(_ newInstance: AllocationInstance) throws {
        let newBuilt = AllocationProgram(instance: newInstance)
        if newBuilt.program.hasSameShape(as: built.program) {
            try problem.update(to: newBuilt.program)
        } else {
            problem = try Self.load(newBuilt)
            previousSolution = nil
        }
        instance = newInstance
        built = newBuilt
    }

    /// Solves the instance as it stands now.
    public func solve() throws -> PlanningResult {
        let start = Date()
        var timings = PhaseTimings()
        timings.build = buildSeconds
        let settings = instance.model.solver
        let mip = try problem.solve(
            options: SolveOptions(relativeGap: settings.mipGap, timeLimit: settings.timeLimit, verbose: options.verbose,
                                  cuttingPlanes: true, stop: options.stop),
            warmStart: previousSolution != nil, incumbent: previousSolution)
        if options.stop?.isRequested == true { throw PlanningInterrupted() }
        let status: PlanStatus
        switch mip.termination {
        case .optimal: status = .optimal
        case .feasibleWithLimit: status = .timeLimit
        case .infeasible, .infeasibleOrUnbounded: status = .infeasible
        case .noSolutionWithLimit: status = .noSolution
        case .interrupted: throw PlanningInterrupted()
        case .unbounded, .numericalError, .other:
            throw PlanningFailure("GLPK could not solve the model (\(mip.rawStatus))")
        }
        let fixedPart = built.program.objectiveConstant
        guard status.hasPlan else {
            timings.solve = Date().timeIntervalSince(start)
            timings.total = timings.build + timings.solve
            return PlanningResult(status: status, plan: nil, bestBound: nil, relativeGap: nil, absoluteGap: nil,
                                  fixedPart: fixedPart, timings: timings, rawStatus: mip.rawStatus)
        }
        previousSolution = mip.variableValues
        let duals = try fixedTierDuals(solution: mip.variableValues)
        timings.solve = Date().timeIntervalSince(start)
        let plan = PlanAssembler(program: built, instance: instance, values: mip.variableValues, duals: duals).plan()
        timings.total = timings.build + Date().timeIntervalSince(start)
        let absoluteGap = mip.bestBound.flatMap { bound in mip.objectiveValue.map { abs(bound - $0) } }
        return PlanningResult(status: status, plan: plan, bestBound: mip.bestBound, relativeGap: mip.relativeGap,
                              absoluteGap: absoluteGap, fixedPart: fixedPart, timings: timings,
                              rawStatus: mip.rawStatus)
    }

    /// Row duals of the LP with every binary fixed at its value in `solution`; nil when that
    /// LP does not solve to optimality (the plan is then reported without shadow prices).
    /// The binaries' bounds are restored afterwards.
    private func fixedTierDuals(solution: [Double]) throws -> [Double]? {
        var binaries = built.tierVariables.flatMap { $0 }
        binaries.append(built.programVariable)
        let program = built.program
        for variable in binaries {
            let value = solution[variable.rawValue].rounded()
            try problem.setBounds(of: variable, lower: value, upper: value)
        }
        defer {
            for variable in binaries {
                try? problem.setBounds(of: variable, lower: program.variableLowerBounds[variable.rawValue],
                                       upper: program.variableUpperBounds[variable.rawValue])
            }
        }
        let lp = try problem.solve(options: SolveOptions(relaxIntegrality: true, verbose: options.verbose))
        return lp.termination == .optimal ? lp.constraintDuals : nil
    }
}

/// Recomputes every reported figure from the solution's decisions (tiers and local FTE) with
/// the formulas of the specification, so the plan is explainable without the solver.
struct PlanAssembler {
    let program: AllocationProgram
    /// The instance as it stands now (limit values may have moved since the program was built).
    let instance: AllocationInstance
    let values: [Double]
    let duals: [Double]?

    func plan() -> StaffingPlan {
        let dataset = instance.dataset, model = instance.model
        var accounts: [AccountStaffing] = []
        var regionFTE = [Double](repeating: 0, count: dataset.regions.count)
        var regionRevenue = [Double](repeating: 0, count: dataset.regions.count)
        var tierCounts = [Int](repeating: 0, count: model.tiers.count)
        var changes = 0
        for (a, account) in dataset.accounts.enumerated() {
            let choice = zip(instance.openTiers[a], program.tierVariables[a]).max { values[$0.1.rawValue] < values[$1.1.rawValue] }!
            let t = choice.0, tier = model.tiers[t]
            let (kept, central) = instance.tierRevenue(account: a, tier: t)
            var local: [LocalStaffing] = []
            var localExpense = 0.0, localWon = 0.0
            for (e, pair) in instance.pairs[a].enumerated() {
                let fte = max(0, program.effortVariables[a][e].reduce(0) { $0 + values[$1.rawValue] })
                let won = pair.saturation > 0 ? pair.localPotential * instance.curve.value(at: fte / pair.saturation) : 0
                let revenue = pair.share * (kept + central) + won
                local.append(LocalStaffing(region: pair.region, localFTE: fte, expectedRevenue: revenue))
                localExpense += fte * dataset.regions[pair.region].localFTECost
                localWon += won
                regionFTE[pair.region] += fte
                regionRevenue[pair.region] += revenue
            }
            let revenue = kept + central + localWon
            let changed = instance.isChange(account: a, tier: t)
            if changed { changes += 1 }
            tierCounts[t] += 1
            accounts.append(AccountStaffing(
                account: a, tier: t, gamFTE: tier.gamFTE, centralFTE: tier.centralFTE, execHours: tier.execHours,
                localFTE: local.reduce(0) { $0 + $1.localFTE }, expectedRevenue: revenue,
                grossProfit: account.margin * revenue, salesExpense: instance.tierCost[t] + localExpense,
                changed: changed, local: local))
        }
        let programActive = values[program.programVariable.rawValue] > 0.5
        let programCost = programActive ? model.costs.programFixedCost : 0
        let changeCost = Double(changes) * model.transition.changeCost
        let tierCost = accounts.reduce(0) { $0 + instance.tierCost[$1.tier] }
        let expense = accounts.reduce(0) { $0 + $1.salesExpense } + programCost + changeCost
        let revenue = accounts.reduce(0) { $0 + $1.expectedRevenue }
        let grossProfit = accounts.reduce(0) { $0 + $1.grossProfit }
        let globalExpense = tierCost + programCost
        var plan = StaffingPlan(
            accounts: accounts, regions: [], limits: [], programActive: programActive, tierChanges: changes,
            tierCounts: tierCounts, expectedRevenue: revenue, grossProfit: grossProfit, salesExpense: expense,
            globalExpense: globalExpense, netContribution: grossProfit - expense)
        plan.limits = limitUses(plan, regionFTE: regionFTE)
        plan.regions = dataset.regions.enumerated().map { r, region in
            let capacityUse = plan.limits.first { $0.kind == .regionalCapacity(region: r) }
            return RegionStaffing(region: r, localFTE: regionFTE[r], localCapacityFTE: region.localCapacityFTE,
                                  localExpense: regionFTE[r] * region.localFTECost, expectedRevenue: regionRevenue[r],
                                  shadowPrice: capacityUse?.shadowPrice ?? 0)
        }
        return plan
    }

    private func limitUses(_ plan: StaffingPlan, regionFTE: [Double]) -> [LimitUse] {
        let dataset = instance.dataset, model = instance.model
        func sum(_ value: (AccountStaffing) -> Double) -> Double { plan.accounts.reduce(0) { $0 + value($1) } }
        let expense = plan.salesExpense
        return program.limitConstraints.map { kind, row in
            let dual = duals?[row.rawValue]
            // value, used, slack (≥ 0 when satisfied), and ∂objective/∂value from the row dual.
            let value: Double, used: Double, slack: Double, scale: Double
            var name: String
            var priced = true
            switch kind {
            case .regionalCapacity(let r):
                name = "local_capacity_fte.\(dataset.regions[r].id)"
                value = dataset.regions[r].localCapacityFTE; used = regionFTE[r]; slack = value - used; scale = 1
            case .budget:
                name = "budget"; value = model.limits.budget!; used = expense; slack = value - used; scale = 1
            case .gamHeadcount:
                name = "gam_headcount"; value = model.limits.gamHeadcount!; used = sum(\.gamFTE); slack = value - used
                scale = 1; priced = false
            case .centralFTE:
                name = "central_fte"; value = model.limits.centralFTE!; used = sum(\.centralFTE); slack = value - used
                scale = 1; priced = false
            case .execHours:
                name = "exec_hours"; value = model.limits.execHours!; used = sum(\.execHours); slack = value - used
                scale = 1; priced = false
            case .maxCostOfSales:
                name = "max_cost_of_sales"; value = model.limits.maxCostOfSales!
                used = plan.expectedRevenue > 0 ? expense / plan.expectedRevenue : (expense > 0 ? .infinity : 0)
                slack = value - used; scale = plan.expectedRevenue
            case .globalShareMinimum:
                name = "global_share_min"; value = model.limits.globalShare!.lowerBound
                used = expense > 0 ? plan.globalExpense / expense : 0; slack = used - value; scale = expense
            case .globalShareMaximum:
                name = "global_share_max"; value = model.limits.globalShare!.upperBound
                used = expense > 0 ? plan.globalExpense / expense : 0; slack = value - used; scale = expense
            case .maxGlobalAccounts:
                name = "max_global_accounts"; value = Double(model.limits.maxGlobalAccounts!)
                used = Double(plan.accounts.filter { model.tiers[$0.tier].isGlobal }.count); slack = value - used
                scale = 1; priced = false
            case .maxChanges:
                name = "max_changes"; value = Double(model.transition.maxChanges!)
                used = Double(plan.tierChanges); slack = value - used; scale = 1; priced = false
            }
            let binding = slack <= 1e-6 * max(1, abs(value))
            var shadow: Double? = nil
            if priced, let dual {
                shadow = binding ? dual * scale : 0
                if shadow == 0 { shadow = 0 }
            }
            return LimitUse(kind: kind, name: name, value: value, used: used, slack: slack, binding: binding,
                            shadowPrice: shadow)
        }
    }
}
