// SPDX-License-Identifier: GPL-3.0-or-later

public import LinearProgramming

/// The GLPK backend of ``Solver``: loads the program, solves it once, releases it.
///
/// For repeated solves of one program with changed bounds, keep a ``GLPKProblem`` instead.
public struct GLPKSolver: Solver {
    public init() {}

    public func solve(_ program: LinearProgram, options: SolveOptions) throws -> SolveResult {
        try GLPKProblem(program).solve(options: options)
    }
}
