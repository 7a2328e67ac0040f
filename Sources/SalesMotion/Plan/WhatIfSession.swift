// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import OutputFiles
internal import InputFiles

/// A series of solves of one instance with inputs changed in between — sweeps, explanations,
/// reports — each solve starting from what the previous one learnt.
///
/// Every change goes through one path: the range rule, the change applied to copies of the
/// inputs, the model's rules, then either a limit value moved (nothing derived depends on it,
/// so the solver keeps its state) or a new instance checked in full. The solving itself is an
/// engine: the monolithic model (warm basis and incumbent) or the decomposition (warm plans and
/// prices), chosen as ``AllocationPlanner/solve(_:options:)`` chooses.
public final class WhatIfSession {
    /// The instance as it stands after the changes made so far.
    public var instance: AllocationInstance { engine.instance }
    public let options: PlanningOptions
    private let engine: any SessionEngine

    public init(instance: AllocationInstance, options: PlanningOptions) throws {
        self.options = options
        engine = AllocationPlanner.usesDecomposition(instance, options)
            ? DecompositionEngine(instance: instance, options: options)
            : try MonolithicEngine(instance: instance, options: options)
    }

    /// Sets `key` to `value` for the following solves. Throws ``InputError`` when the value
    /// makes the inputs invalid (the session is then unchanged).
    public func set(_ key: WhatIfKey, to value: Double) throws {
        let instance = engine.instance
        let at = SourceLocation(file: "--vary")
        if let problem = NumberSyntax.rangeProblem(value) { throw InputError([InputDiagnostic(at, "\(key): \(problem)")]) }
        var dataset = instance.dataset, model = instance.model
        try key.apply(value, dataset: &dataset, model: &model)
        try model.validate(file: "--vary")
        if key.changesOnlyABound(in: instance), let kind = key.limitKind(in: instance) {
            guard value >= 0 else { throw InputError([InputDiagnostic(at, "\(key): must be ≥ 0, found \(formatShort(value))")]) }
            try engine.limitMoved(kind, in: instance.withLimits(of: dataset, model))
            return
        }
        let changed: AllocationInstance
        do {
            changed = try AllocationInstance(dataset: dataset, model: model)
        } catch let error as InputError {
            // The data files are fine; the value set here is what breaks them.
            throw InputError(error.diagnostics.map {
                InputDiagnostic(at, "\(key) = \(formatShort(value)) makes the inputs invalid: \($0.message) (\($0.location))")
            }, omitted: error.omitted)
        }
        try engine.rebuild(changed)
    }

    /// Moves to `instance`, which has this session's data and model but for the values of the
    /// limits in force: every limit row takes its new bound, and the next solve is warm.
    func moveLimits(to instance: AllocationInstance) throws {
        let moved = engine.instance.withLimits(of: instance.dataset, instance.model)
        for kind in moved.limitsInForce { try engine.limitMoved(kind, in: moved) }
    }

    /// Replaces the model's pins (what-if: force accounts into tiers).
    public func setPins(_ pins: [TierPin]) throws {
        var model = engine.instance.model
        model.pins = pins
        try model.validate(file: "--pin")
        try engine.rebuild(AllocationInstance(dataset: engine.instance.dataset, model: model))
    }

    /// Solves the instance as it stands now.
    public func solve() throws -> PlanningResult { try engine.solve() }
}

/// How a ``WhatIfSession`` solves.
protocol SessionEngine: AnyObject {
    var instance: AllocationInstance { get }
    /// Only the value of limit `kind` moved (`newInstance` carries it).
    func limitMoved(_ kind: LimitKind, in newInstance: AllocationInstance) throws
    /// Anything else changed: `newInstance` has been checked in full.
    func rebuild(_ newInstance: AllocationInstance) throws
    func solve() throws -> PlanningResult
}

/// What-if solves by decomposition: a change of a limit's value keeps the plans and prices of
/// the previous column generation, so each point needs only a few pricing rounds, and the
/// recovery starts from a narrow free set. Each point is within the MIP gap of its bound, but
/// may differ from a single `solve` of the same values by up to that gap.
final class DecompositionEngine: SessionEngine {
    private(set) var instance: AllocationInstance
    let options: PlanningOptions
    private var warmStart: [Bool: DecompositionSolver.WarmStart] = [:]
    /// The objective's fixed part, which limit values do not move: computed once per instance.
    private var fixedPart: Double?
    /// How far the last solve split the GAM pools (the warm start's structure is split so).
    private var refinement = LeadPools.Refinement()

    init(instance: AllocationInstance, options: PlanningOptions) {
        self.instance = instance
        self.options = options
    }

    func limitMoved(_ kind: LimitKind, in newInstance: AllocationInstance) throws {
        instance = newInstance
    }

    func rebuild(_ newInstance: AllocationInstance) throws {
        instance = newInstance
        warmStart = [:]
        fixedPart = nil
        refinement = LeadPools.Refinement()
    }

    func solve() throws -> PlanningResult {
        var solver = DecompositionSolver(instance: instance, options: options, fixedPart: fixedPart, refinement: refinement)
        fixedPart = solver.fixedPart
        solver.warmStart = warmStart
        solver.thorough = false
        let result = try AllocationPlanner.result(of: solver)
        warmStart = result.warmStart
        refinement = result.refinement
        return result.planning
    }
}

extension AllocationPlanner {
    /// A what-if session for `instance`.
    public static func session(for instance: AllocationInstance, options: PlanningOptions) throws -> WhatIfSession {
        try WhatIfSession(instance: instance, options: options)
    }

    static func usesDecomposition(_ instance: AllocationInstance, _ options: PlanningOptions) -> Bool {
        options.method == .decomposition
            || (options.method == .automatic && instance.dataset.accounts.count > SolutionMethod.automaticThreshold)
    }
}
