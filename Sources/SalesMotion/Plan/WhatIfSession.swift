// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// A series of solves of one instance with inputs changed in between — sweeps, explanations,
/// reports — each solve starting from what the previous one learnt.
public protocol WhatIfSession: AnyObject {
    /// The instance as it stands after the changes made so far.
    var instance: AllocationInstance { get }
    /// Sets `key` to `value` for the following solves.
    func set(_ key: WhatIfKey, to value: Double) throws
    /// Replaces the model's pins.
    func setPins(_ pins: [TierPin]) throws
    func solve() throws -> PlanningResult
}

extension AllocationSession: WhatIfSession {}

/// What-if solves by decomposition: a change of a limit's value keeps the plans and prices of
/// the previous column generation, so each point needs only a few pricing rounds, and the
/// recovery starts from a narrow free set. Each point is within the MIP gap of its bound, but
/// may differ from a single `solve` of the same values by up to that gap.
public final class DecompositionSession: WhatIfSession {
    public private(set) var instance: AllocationInstance
    public let options: PlanningOptions
    private var warmStart: [Bool: DecompositionSolver.WarmStart] = [:]

    public init(instance: AllocationInstance, options: PlanningOptions) {
        self.instance = instance
        self.options = options
    }

    public func set(_ key: WhatIfKey, to value: Double) throws {
        guard value.isFinite else {
            throw InputError([InputDiagnostic(SourceLocation(file: "--vary"), "\(key): \(value) is not a number")])
        }
        let keepsPlans = key.changesOnlyABound(in: instance)
        var dataset = instance.dataset, model = instance.model
        try key.apply(value, dataset: &dataset, model: &model)
        try model.validate(file: "--vary")
        if keepsPlans {
            guard value >= 0 else {
                throw InputError([InputDiagnostic(SourceLocation(file: "--vary"), "\(key): must be ≥ 0, found \(formatShort(value))")])
            }
            instance.dataset = dataset
            instance.model = model
        } else {
            instance = try AllocationInstance(dataset: dataset, model: model)
            warmStart = [:]
        }
    }

    public func setPins(_ pins: [TierPin]) throws {
        var model = instance.model
        model.pins = pins
        try model.validate(file: "--pin")
        instance = try AllocationInstance(dataset: instance.dataset, model: model)
        warmStart = [:]
    }

    public func solve() throws -> PlanningResult {
        var solver = DecompositionSolver(instance: instance, options: options)
        solver.warmStart = warmStart
        solver.thorough = false
        let result = try AllocationPlanner.result(of: solver)
        warmStart = result.warmStart
        return result.planning
    }
}

extension AllocationPlanner {
    /// A what-if session for `instance`: decomposition for large instances (or when asked),
    /// the monolithic model otherwise.
    public static func session(for instance: AllocationInstance,
                               options: PlanningOptions) throws -> any WhatIfSession {
        usesDecomposition(instance, options) ? DecompositionSession(instance: instance, options: options)
                                             : try AllocationSession(instance: instance, options: options)
    }

    static func usesDecomposition(_ instance: AllocationInstance, _ options: PlanningOptions) -> Bool {
        options.method == .decomposition
            || (options.method == .automatic && instance.dataset.accounts.count > SolutionMethod.automaticThreshold)
    }
}
