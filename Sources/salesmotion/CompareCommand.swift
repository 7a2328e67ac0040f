// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import SalesMotion

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Solve two scenarios and show what changes: accounts, regions and every summary figure.",
        discussion: """
            The scenarios: with no --scenario, the base is --model as it stands and the other is \
            --against (or --model again) with --set, --pin and --budget applied; with one \
            --scenario, the base against that scenario; with two, the first against the second \
            (--set, --pin and --budget then apply to both). --against-data compares with another \
            dataset folder. With --today the base keeps every account in its current tier.
            """)

    @OptionGroup var input: InputOptions

    @Option(help: "Model file of the other scenario (default: --model).")
    var against: String?

    @Option(name: .customLong("against-data"), help: ArgumentHelp("Dataset folder of the other scenario (default: --data).",
                                                                  valueName: "DIR"))
    var againstData: String?

    @Flag(help: "Use today's handling as the base: every account pinned to its current_tier.")
    var today = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var solver: SolverOptions

    func run() throws {
        let scenarios = try input.scenarios(several: true)
        guard scenarios.count <= 2 else {
            printError("--scenario is given \(scenarios.count) times; compare takes one or two")
            throw ExitCode(2)
        }
        var baseInput = input
        var otherInput = input
        if let against { otherInput.model = against }
        if let againstData { otherInput.data = againstData }
        if scenarios.count < 2 {
            baseInput.overrides = []
            baseInput.pins = []
            baseInput.budget = nil
        }
        var timings = PhaseTimings()
        let base = try baseInput.load(scenario: scenarios.count == 2 ? scenarios[0] : nil, timings: &timings)
        let extra = (against.map { [$0] } ?? []) + (againstData.map { [$0] } ?? [])
        // The comparison's folder is named after both sides: OUT/<base>-vs-<other>.
        let baseName = scenarios.count == 2 ? scenarios[0].name : (today ? "today" : "base")
        let otherName = scenarios.last?.name ?? (input.hasCommandLineChanges || against != nil || againstData != nil ? "what-if" : "base")
        let folder = (output.out as NSString).appendingPathComponent(output.name ?? "\(baseName)-vs-\(otherName)")
        let stage = try input.openOutput(folder, extraInputs: extra)
        let other = try otherInput.load(scenario: scenarios.last, timings: &timings, announce: false)
        let options = planningOptions(verbose: solver.verbose, instance: base)
        let outcome = try planning { try AllocationPlanner.compare(base, other, today: today, options: options) }
        guard let comparison = outcome.comparison else {
            printError("no comparison: the base is \(outcome.before.status.rawValue), the other scenario \(outcome.after.status.rawValue)")
            throw ExitCode([outcome.before, outcome.after].contains { $0.status == .infeasible } ? 1 : 3)
        }
        try commit(stage) { try comparison.files(output.csvDialect) }
        if !output.quiet {
            printOut(comparison.text(), terminator: "")
            printOut("Comparison written to \(folder)/")
        }
    }
}
