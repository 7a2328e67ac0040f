// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import SalesMotion

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Solve two scenarios and show what changes: accounts, regions and every summary figure.",
        discussion: """
            The base is --model as it stands (with --today: every account kept in its current tier). \
            The other scenario is --against (or --model again) with --set, --pin and --budget applied.
            """)

    @OptionGroup var input: InputOptions

    @Option(help: "Model file of the other scenario (default: --model).")
    var against: String?

    @Flag(help: "Use today's handling as the base: every account pinned to its current_tier.")
    var today = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var solver: SolverOptions

    func run() throws {
        var baseInput = input
        baseInput.overrides = []
        baseInput.pins = []
        baseInput.budget = nil
        var otherInput = input
        if let against { otherInput.model = against }
        let base = try baseInput.load()
        let stage = try input.openOutput(output.out, extraInputs: against.map { [$0] } ?? [])
        let other = try otherInput.load()
        let options = planningOptions(verbose: solver.verbose, instance: base)
        let outcome = try planning { try AllocationPlanner.compare(base, other, today: today, options: options) }
        guard let comparison = outcome.comparison else {
            printError("no comparison: the base is \(outcome.before.status.rawValue), the other scenario \(outcome.after.status.rawValue)")
            throw ExitCode([outcome.before, outcome.after].contains { $0.status == .infeasible } ? 1 : 3)
        }
        try commit(stage) { try comparison.files(output.csvDialect) }
        if !output.quiet {
            printOut(comparison.text(), terminator: "")
            printOut("Comparison written to \(output.out)/")
        }
    }
}
