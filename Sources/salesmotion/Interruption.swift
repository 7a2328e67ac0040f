// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import GLPK
import LinearProgramming
import OutputFiles
import SalesMotion
import Synchronization
import InputFiles

/// Raised by the first Ctrl-C (SIGINT) or SIGTERM; every long phase watches it and stops, and
/// a run that is stopped before its files are swapped in writes nothing. A second signal ends
/// the process at once (the next run removes what it left).
let interruption = StopSignal()

private let handlersInstalled = Atomic<Bool>(false)

/// The signal that raised ``interruption`` (0 while none has).
let receivedSignal = Atomic<Int32>(0)

/// How many SIGINT/SIGTERM have arrived.
private let signalCount = Atomic<Int>(0)

/// Installs the SIGINT and SIGTERM handlers. The handler only sets flags (atomic stores, which
/// are async-signal-safe): the signal, the count, and ``interruption``. A watcher thread says
/// "stopping…" on the first and ends the process on the second (the next run removes what it
/// left). The signals are also unblocked: a parent that blocks them would pass the block on.
func watchForInterrupt() {
    guard !handlersInstalled.exchange(true, ordering: .relaxed) else { return }
    _ = interruption.isRequested  // initialise the globals outside the handler
    _ = receivedSignal.load(ordering: .relaxed)
    _ = signalCount.load(ordering: .relaxed)
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    sigprocmask(SIG_UNBLOCK, &set, nil)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { signal in
        _ = receivedSignal.compareExchange(expected: 0, desired: signal, ordering: .relaxed)
        signalCount.add(1, ordering: .relaxed)
        interruption.request()
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
    sigaction(SIGTERM, &action, nil)
    let watcher = Thread {
        var announced = false
        while true {
            let count = signalCount.load(ordering: .relaxed)
            if count >= 2 { _exit(interruptedExitCode) }
            if count == 1 { ReadingWatch.endIfReading(interrupted: true) }
            if count == 1 && !announced {
                announced = true
                FileHandle.standardError.write(Data("\nstopping… (press Ctrl-C again to quit at once)\n".utf8))
            }
            ReadingWatch.endIfReading(interrupted: false)
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
    watcher.start()
}

/// The reading of the inputs, which no solver check of the clock or of the signals reaches (a
/// million accounts take seconds). Nothing is written while the inputs are read, so the watcher
/// ends the process there at once: on a first signal (exit 130/143), and when the command's time
/// limit, known once the model file is read, runs out (exit 3, as any run without a plan in
/// time). The lock keeps the main thread from leaving the reading while the watcher ends it.
enum ReadingWatch {
    private struct State {
        var reading = false
        /// The command's time limit in seconds, once the model file has given it.
        var timeLimit: Double?
    }

    private static let state = Mutex(State())

    /// Marks the start of reading; `timeLimit` is known later (``limit(_:)``) or never.
    static func begin() { state.withLock { $0 = State(reading: true) } }

    /// The time limit of the command whose inputs are being read, counted from its start.
    static func limit(_ seconds: Double) { state.withLock { $0.timeLimit = seconds } }

    /// Marks the end of reading.
    static func end() { state.withLock { $0 = State() } }

    /// The message of a command stopped at its time limit while reading its inputs.
    static func outOfTimeMessage(_ seconds: Double) -> String {
        "The time limit of \(formatShort(seconds)) s ran out while reading the inputs; nothing was written: give the run a longer time limit."
    }

    /// Ends the process while the inputs are read: at a signal when `interrupted`, else when the
    /// time limit has run out.
    static func endIfReading(interrupted: Bool) {
        state.withLock { state in
            guard state.reading else { return }
            if interrupted {
                FileHandle.standardError.write(Data("\nInterrupted: nothing was written.\n".utf8))
                _exit(interruptedExitCode)
            }
            if let limit = state.timeLimit, Date().timeIntervalSince(commandStart) >= limit {
                FileHandle.standardError.write(Data((outOfTimeMessage(limit) + "\n").utf8))
                _exit(3)
            }
        }
    }
}

/// The exit code of a run stopped by a signal: 130 for SIGINT, 143 for SIGTERM.
var interruptedExitCode: Int32 {
    let signal = receivedSignal.load(ordering: .relaxed)
    return 128 + (signal == 0 ? SIGINT : signal)
}

/// Planning options for a command, wired to the signals and bounded by the time limit of
/// `instance` counted from the start of the command, less the time its files take to write
/// (``outputReserve(accounts:timeLimit:)``).
func planningOptions(verbose: Bool, instance: AllocationInstance? = nil) -> PlanningOptions {
    watchForInterrupt()
    var options = PlanningOptions(backend: solverBackend, verbose: verbose, stop: interruption)
    if let instance { options.deadline = commandDeadline(timeLimit: instance.model.solver.timeLimit, instance) }
    return options
}

/// When a command limited to `timeLimit` seconds on `instance` must end its search: counted
/// from the command's start, less the reserve for its files.
func commandDeadline(timeLimit: Double, _ instance: AllocationInstance) -> Date {
    commandStart.addingTimeInterval(timeLimit - outputReserve(accounts: instance.dataset.accounts.count, timeLimit: timeLimit))
}

/// The part of a time limit kept for what follows the search: the plan's figures, its files
/// and the last solver calls, which stop only between their checks of the clock. Measured at
/// 100,000 accounts: 0.3 s to render and write, 0.4 s past the deadline in branch and bound;
/// at a million, 3.6 s to write (`broad`). At most a quarter of the limit.
func outputReserve(accounts: Int, timeLimit: Double) -> Double {
    min(0.25 * timeLimit, 0.1 + 7e-6 * Double(accounts))
}

/// The solver: the one place the command-line tool chooses GLPK.
let solverBackend: any SolverBackend = GLPKSolver()

/// When the command started: the time limit bounds the whole command from here. A global is
/// made when first used, so `main` uses it first (it was made after the inputs were read, and a
/// 20 s limit at 100,000 accounts ended at 21.4 s).
let commandStart = Date()

/// Runs library work and turns its errors into messages and exit codes: bad input 2, solver
/// failure 3, output folder not writable 4, SIGINT 130, SIGTERM 143.
func planning<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as InputError {
        printError(error.description)
        throw ExitCode(2)
    } catch let failure as PlanningFailure {
        printError("solver failure: \(failure)")
        throw ExitCode(3)
    } catch let failure as OutputError {
        printError(failure.description)
        throw ExitCode(4)
    } catch is PlanningInterrupted {
        printError("Interrupted: nothing was written.")
        throw ExitCode(interruptedExitCode)
    }
}

/// Opens the output folder before any solving, so a folder that cannot be written is reported
/// at once (exit 4) and a refused one (a link, foreign files) with exit 2.
func openOutput(_ folder: String) throws -> OutputStage {
    try planning { try OutputFolder.stage(folder, stop: interruption) }
}

/// Writes a run's files as the whole of its output folder; a signal before the swap leaves the
/// old folder as it was (exit 130/143), a failure too (exit 4).
func commit(_ stage: OutputStage, _ files: () throws -> [(name: String, contents: Data)]) throws {
    try planning {
        if interruption.isRequested { throw PlanningInterrupted() }
        let contents: [(name: String, contents: Data)]
        do {
            contents = try files()
        } catch let error as OutputError {
            throw error
        } catch {
            throw OutputError("cannot render the files: \(error)")
        }
        try OutputFolder.commit(contents, through: stage)
    }
}
