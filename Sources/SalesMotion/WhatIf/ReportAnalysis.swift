// SPDX-License-Identifier: GPL-3.0-or-later


extension AllocationPlanner {
    /// Solves `instance` and prices binding tier-only limits by re-solving with one more unit.
    /// `sweep`, when given, is charted by the report itself: it embeds no file it did not make.
    public static func report(for instance: AllocationInstance, sweep: Sweep? = nil,
                               options: PlanningOptions) throws -> HTMLReport {
        let result = try solve(instance, options: options)
        var extra: [String: Double] = [:]
        if let plan = result.plan, plan.limits.contains(where: { $0.binding && $0.shadowPrice == nil }) {
            // One more unit is priced by two solves of the same kind, so they compare like for like.
            let session = try AllocationPlanner.session(for: instance, options: options)
            let reference = try session.solve().plan?.netContribution ?? plan.netContribution
            for limit in plan.limits where limit.binding && limit.shadowPrice == nil {
                guard let keyText = limit.kind.key(in: instance.dataset) else { continue }
                let key = try WhatIfKey(keyText)
                if options.stop?.isRequested == true { throw PlanningInterrupted() }
                try session.set(key, to: limit.value + 1)
                if let better = try session.solve().plan { extra[limit.name] = better.netContribution - reference }
                try session.set(key, to: limit.value)
            }
        }
        return HTMLReport(instance: instance, result: result, oneMoreUnit: extra,
                          sweepChart: sweep.map { SweepReport(sweep: $0).chart })
    }
}
