// SPDX-License-Identifier: GPL-3.0-or-later

internal import CGLPK
import Foundation
public import LinearProgramming

/// The GLPK backend: sessions are ``GLPKProblem``s.
///
/// GLPK keeps its environment per OS thread, and a problem must be created, used and deleted on
/// one thread. ``runOnWorkers(_:)`` gives each job a thread of its own (8 MiB of stack) and calls
/// `glp_free_env` on it when the job has ended, so no GLPK memory outlives its thread.
public struct GLPKSolver: SolverBackend {
    public init() {}

    public func makeSession(_ program: LinearProgram) throws -> any SolverSession {
        try GLPKProblem(program)
    }

    public func runOnWorkers(_ jobs: [@Sendable () -> Void]) {
        let group = DispatchGroup()
        for job in jobs {
            group.enter()
            let thread = Thread {
                job()
                glp_free_env()
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
    }
}
