// SPDX-License-Identifier: GPL-3.0-or-later

internal import CGLPK
import Foundation
import LinearProgramming

/// Follows GLPK's branch-and-bound search from its callback: records the best bound, offers a
/// known feasible solution as the first incumbent, and ends the search on a stop request, at
/// the deadline (GLPK checks `tm_lim` only between nodes), at a good-enough objective, within
/// an absolute gap, or still without a solution too long after the root.
final class SearchTracker {
    var bestBound: Double?
    /// 1-based values for `glp_ios_heur_sol`; nil once offered.
    var incumbent: [Double]?
    let stop: StopSignal?
    let start = Date()
    /// When the root LP had been solved: the first call past preprocessing and selection.
    var rootSolved: Date?
    var absoluteGap: Double?
    /// The good-enough objective, without the constant, times `direction`.
    var target: Double?
    /// 1 when maximising, −1 when minimising.
    var direction = 1.0
    /// When the time limit is up.
    var deadline: Date?
    /// How long after the root relaxation the search may go without a solution.
    var firstSolutionTimeLimit: Double?
    enum StopReason { case absoluteGap, target, deadline }
    /// Why the tracker ended the search itself (nil: it did not).
    var stopReason: StopReason?

    init(incumbent: [Double]?, stop: StopSignal?) {
        self.incumbent = incumbent.map { [0] + $0 }
        self.stop = stop
    }

    static let callback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { tree, info in
        guard let tree, let info else { return }
        let tracker = Unmanaged<SearchTracker>.fromOpaque(info).takeUnretainedValue()
        if tracker.stop?.isRequested == true {
            glp_ios_terminate(tree)
            return
        }
        if let deadline = tracker.deadline, Date() >= deadline {
            tracker.stopReason = .deadline
            glp_ios_terminate(tree)
            return
        }
        let reason = glp_ios_reason(tree)
        if tracker.rootSolved == nil && reason != GLP_IPREPRO && reason != GLP_ISELECT { tracker.rootSolved = Date() }
        if let limit = tracker.firstSolutionTimeLimit, let root = tracker.rootSolved, Date().timeIntervalSince(root) >= limit,
           let problem = glp_ios_get_prob(tree), glp_mip_status(problem) != GLP_FEAS, glp_mip_status(problem) != GLP_OPT {
            tracker.stopReason = .deadline
            glp_ios_terminate(tree)
            return
        }
        if glp_ios_reason(tree) == GLP_IHEUR, var values = tracker.incumbent {
            tracker.incumbent = nil
            _ = glp_ios_heur_sol(tree, &values)
        }
        let node = glp_ios_best_node(tree)
        if node != 0 {
            let bound = glp_ios_node_bound(tree, node)
            if bound.isFinite { tracker.bestBound = bound }
        }
        guard tracker.absoluteGap != nil || tracker.target != nil, let problem = glp_ios_get_prob(tree) else { return }
        let status = glp_mip_status(problem)
        guard status == GLP_FEAS || status == GLP_OPT else { return }
        let incumbent = glp_mip_obj_val(problem)
        if let target = tracker.target, tracker.direction * incumbent >= target {
            tracker.stopReason = .target
        } else if let gap = tracker.absoluteGap, let bound = tracker.bestBound, abs(bound - incumbent) <= gap {
            tracker.stopReason = .absoluteGap
        }
        if tracker.stopReason != nil { glp_ios_terminate(tree) }
    }
}
