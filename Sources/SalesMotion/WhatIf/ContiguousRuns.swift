// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import LinearProgramming

/// Work on `count` items split into contiguous runs, one per worker thread (each thread makes
/// and uses its own solver sessions, so neighbouring items share a warm one), with the results
/// gathered in item order. Used by sweeps and scenario batches.
enum ContiguousRuns {
    /// Calls `body` once per run with its range and a `store` for each item's result; a run
    /// that throws stops with the first error, which is rethrown once every run has ended.
    /// `progress` gets the number of items done after each one. One run goes on this thread.
    static func run<Result: Sendable>(count: Int, workers: Int, backend: any SolverBackend,
                                      progress: (@Sendable (Int) -> Void)?,
                                      _ body: @escaping @Sendable (Range<Int>, (Int, Result) -> Void) throws -> Void) throws -> [Result] {
        let runs = max(1, min(workers, count))
        let chunk = (count + runs - 1) / runs
        let ranges = (0..<runs).map { r in (r * chunk)..<min(count, (r + 1) * chunk) }.filter { !$0.isEmpty }
        let collector = Collector<Result>(count: count, progress: progress)
        @Sendable func solveRange(_ range: Range<Int>) {
            do {
                try body(range) { collector.store($0, $1) }
            } catch {
                collector.fail(error)
            }
        }
        if ranges.count <= 1 {
            ranges.first.map(solveRange)
        } else {
            backend.runOnWorkers(ranges.map { range in { solveRange(range) } })
        }
        return try collector.finish()
    }

    /// Gathers results from worker threads.
    private final class Collector<Result: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result?]
        private var error: (any Error)?
        private var done = 0
        private let progress: (@Sendable (Int) -> Void)?

        init(count: Int, progress: (@Sendable (Int) -> Void)?) {
            results = Array(repeating: nil, count: count)
            self.progress = progress
        }

        func store(_ index: Int, _ result: Result) {
            lock.lock()
            results[index] = result
            done += 1
            let finished = done
            lock.unlock()
            progress?(finished)
        }

        func fail(_ error: any Error) {
            lock.lock()
            if self.error == nil { self.error = error }
            lock.unlock()
        }

        func finish() throws -> [Result] {
            if let error { throw error }
            return results.map { $0! }
        }
    }
}
