// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// One solved point of a sweep.
public struct SweepPoint: Sendable {
    public var value: Double
    public var status: PlanStatus
    public var netContribution: Double?
    public var expectedRevenue: Double?
    public var salesExpense: Double?
    public var globalExpense: Double?
    /// Shadow price of the varied key when it is a limit priced by the fixed-tier LP.
    public var shadowPrice: Double?
    public var tierCounts: [Int]
    /// Names of the limits that bind at this point.
    public var bindingLimits: [String]
    /// The tier and the local FTE of every account (empty without a plan), to see who moves
    /// between points.
    public var tierOfAccount: [Int]
    public var localFTEOfAccount: [Double] = []
    public var seconds: Double
}

/// A parameter sweep: one key varied over evenly spaced values, every point solved.
public struct Sweep: Sendable {
    public var key: WhatIfKey
    public var values: [Double]
    public var tierIds: [String]
    public var accountIds: [String]
    public var points: [SweepPoint]
    /// The key's value in the instance the sweep started from (the base), if it has one.
    public var baseValue: Double?

    /// `count` evenly spaced values from `from` to `to`, both included.
    public static func values(from: Double, to: Double, count: Int) -> [Double] {
        guard count > 1 else { return [from] }
        return (0..<count).map { i in i == count - 1 ? to : from + (to - from) * Double(i) / Double(count - 1) }
    }

    /// Accounts whose tier differs between point `index − 1` and `index`.
    public func movedAccounts(at index: Int) -> [Int] {
        guard index > 0 else { return [] }
        let before = points[index - 1].tierOfAccount, after = points[index].tierOfAccount
        guard !before.isEmpty, !after.isEmpty else { return [] }
        return before.indices.filter { before[$0] != after[$0] }
    }

    /// Accounts that keep their tier but whose local FTE move from the previous point (by more
    /// than ``PlanComparison/tolerance``), in account order.
    public func effortMovedAccounts(at index: Int) -> [Int] {
        guard index > 0 else { return [] }
        let previous = points[index - 1], point = points[index]
        guard !previous.localFTEOfAccount.isEmpty, !point.localFTEOfAccount.isEmpty else { return [] }
        return point.localFTEOfAccount.indices.filter { a in
            previous.tierOfAccount[a] == point.tierOfAccount[a]
                && PlanComparison.moved(previous.localFTEOfAccount[a], point.localFTEOfAccount[a])
        }
    }

    /// Solves every value of `key`.
    ///
    /// With `warm` (the default) the model is built once per worker and re-solved point after
    /// point from the previous basis and plan; otherwise every point is built and solved from
    /// scratch (for comparison). `workers > 1` splits the values into contiguous runs solved
    /// on separate threads, each with its own solver session. `progress` is called after each
    /// point with the number done.
    public static func run(_ instance: AllocationInstance, key: WhatIfKey, values: [Double], warm: Bool = true,
                           workers: Int = 1, options: PlanningOptions,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> Sweep {
        let limitKind = key.limitKind(in: instance)
        let points = try ContiguousRuns.run(count: values.count, workers: workers, backend: options.backend,
                                            progress: progress) { (range, store: (Int, SweepPoint) -> Void) in
            var session = try AllocationPlanner.session(for: instance, options: options)
            for index in range {
                if options.stop?.isRequested == true { throw PlanningInterrupted() }
                let start = Date()
                if !warm { session = try AllocationPlanner.session(for: instance, options: options) }
                try session.set(key, to: values[index])
                let result = try session.solve()
                store(index, point(values[index], result, limitKind: limitKind, seconds: Date().timeIntervalSince(start)))
            }
        }
        return Sweep(key: key, values: values, tierIds: instance.model.tiers.map(\.id),
                     accountIds: instance.dataset.accounts.map(\.id), points: points,
                     baseValue: (try? key.value(in: instance)) ?? nil)
    }

    private static func point(_ value: Double, _ result: PlanningResult, limitKind: LimitKind?,
                              seconds: Double) -> SweepPoint {
        let plan = result.plan
        let varied = plan?.limits.first { $0.kind == limitKind }
        return SweepPoint(
            value: value, status: result.status, netContribution: plan?.netContribution,
            expectedRevenue: plan?.expectedRevenue, salesExpense: plan?.salesExpense,
            globalExpense: plan?.globalExpense, shadowPrice: varied?.shadowPrice,
            tierCounts: plan?.tierCounts ?? [], bindingLimits: plan?.limits.filter(\.binding).map(\.name) ?? [],
            tierOfAccount: plan?.accounts.map(\.tier) ?? [], localFTEOfAccount: plan?.accounts.map(\.localFTE) ?? [],
            seconds: seconds)
    }
}
