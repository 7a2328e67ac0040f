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

    @Option(help: "Output folder for compare_accounts.csv, compare_regions.csv, compare_summary.csv.")
    var out = "out"

    @Flag(help: "Show GLPK's own log on standard error.")
    var verbose = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        var baseInput = input
        baseInput.overrides = []
        baseInput.pins = []
        baseInput.budget = nil
        var otherInput = input
        if let against { otherInput.model = against }
        var base = try baseInput.load()
        let stage = try input.openOutput(out, extraInputs: against.map { [$0] } ?? [])
        let other = try otherInput.load()
        if today {
            base = try planning { try base.pinnedToCurrentTiers() }
        }
        let options = planningOptions(verbose: verbose, instance: base)
        let results = try planning { try [base, other].map { try AllocationPlanner.solve($0, options: options) } }
        guard let beforePlan = results[0].plan, let afterPlan = results[1].plan else {
            printError("no comparison: the base is \(results[0].status.rawValue), the other scenario \(results[1].status.rawValue)")
            throw ExitCode(results.contains { $0.status == .infeasible } ? 1 : 3)
        }
        let comparison = PlanComparison(before: base, beforePlan: beforePlan, after: other, afterPlan: afterPlan)
        try commit(stage) { try comparison.files() }
        if !quiet {
            printOut(comparison.text(), terminator: "")
            printOut("Comparison written to \(out)/")
        }
    }
}
