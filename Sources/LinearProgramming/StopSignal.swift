// SPDX-License-Identifier: GPL-3.0-or-later

import Synchronization

/// A request to stop a running solve, safe to raise from a signal handler or another thread.
/// Solvers check it between search steps and stop with ``TerminationReason/interrupted``.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Asks every solve that watches this signal to stop.
    public func request() { flag.store(true, ordering: .relaxed) }

    /// Whether a stop was requested.
    public var isRequested: Bool { flag.load(ordering: .relaxed) }
}
