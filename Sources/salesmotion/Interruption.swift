// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import LinearProgramming
import SalesMotion

/// Raised by the first Ctrl-C; solves watch it and stop cleanly. A second Ctrl-C ends the
/// process at once (outputs are staged, so no half-written file is left either way).
let interruption = StopSignal()

/// Installs the Ctrl-C handler for a long-running command. SIGINT is also unblocked: a
/// parent that blocks it (some test runners do) would otherwise pass the block on.
func watchForInterrupt() {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigprocmask(SIG_UNBLOCK, &set, nil)
    signal(SIGINT) { _ in
        interruption.request()
        let message = "\nstopping… (Ctrl-C again to quit at once)\n"
        _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        signal(SIGINT, SIG_DFL)
    }
}

/// Planning options for a command, wired to Ctrl-C.
func planningOptions(verbose: Bool) -> PlanningOptions {
    watchForInterrupt()
    return PlanningOptions(verbose: verbose, stop: interruption)
}

/// Runs library work and turns its errors into messages and exit codes: bad input 2, solver
/// failure 3, Ctrl-C 130.
func planning<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as InputError {
        printError(error.description)
        throw ExitCode(2)
    } catch let failure as PlanningFailure {
        printError("solver failure: \(failure)")
        throw ExitCode(3)
    } catch is PlanningInterrupted {
        printError("Interrupted: nothing was written.")
        throw ExitCode(130)
    }
}

/// Writes output files, turning a failure into a message and exit code 3.
func writing(_ what: String, to folder: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        printError("cannot write \(what) to \(folder): \(error.localizedDescription)")
        throw ExitCode(3)
    }
}
