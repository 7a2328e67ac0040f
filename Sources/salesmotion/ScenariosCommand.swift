// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import OutputFiles
import SalesMotion

/// `salesmotion scenarios`: several scenarios at once.
struct ScenariosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenarios",
        abstract: "Work with several scenario files at once.",
        subcommands: [ScenariosRun.self])
}

struct ScenariosRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Solve every scenario file given, write each plan to OUT/<name>/ and the table of all to OUT/scenarios.csv.",
        discussion: "A shell glob works: salesmotion scenarios run models/scenarios/*.toml. --set, --pin and --budget apply to every scenario.")

    @Argument(help: "Scenario files.")
    var files: [String]

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var solver: SolverOptions

    @Option(help: "Solve on this many threads (default: one per core, at most 8).")
    var threads = min(8, max(1, ProcessInfo.processInfo.activeProcessorCount))

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one scenario file") }
        guard threads >= 1, threads <= 64 else { throw ValidationError("--threads must be between 1 and 64") }
        if output.name != nil { throw ValidationError("--name names one run; scenarios run names each folder after its scenario") }
        if !input.scenarioFiles.isEmpty { throw ValidationError("give the scenario files as arguments, without --scenario") }
    }

    func run() throws {
        var scenarioInput = input
        scenarioInput.scenarioFiles = files
        let scenarios = try scenarioInput.scenarios(several: true)
        var seen: [String: String] = [:]
        for (scenario, file) in zip(scenarios, files) {
            if let earlier = seen[scenario.name] {
                printError("\(file): scenario name '\(scenario.name)' is also the name of \(earlier); each scenario needs a folder of its own")
                throw ExitCode(2)
            }
            seen[scenario.name] = file
        }
        var timings = PhaseTimings()
        // The data files are read once; every scenario lays its changes over them. A signal
        // meanwhile ends the run at once (``ReadingWatch``; each scenario's limit is known later).
        ReadingWatch.begin()
        let dataset = try? Dataset.read(from: input.data)
        ReadingWatch.end()
        let instances = try scenarios.enumerated().map { index, scenario in
            (name: scenario.name, instance: try scenarioInput.load(scenario: scenario, dataset: dataset, timings: &timings,
                                                                   announce: index == 0))
        }
        let stages = try scenarios.map { try scenarioInput.openOutput(output.runFolder(input, scenario: $0)) }
        let tablePath = (output.out as NSString).appendingPathComponent("scenarios.csv")
        let options = planningOptions(verbose: solver.verbose, instance: instances.first?.instance)
        let bar = ProgressBar(total: instances.count, enabled: !output.quiet && isatty(STDERR_FILENO) == 1)
        let batch = try planning {
            defer { bar.finish() }
            return try ScenarioBatch.run(instances, workers: threads, options: options, progress: { bar.update($0) })
        }
        for (entry, stage) in zip(batch.entries, stages) {
            try commit(stage) { try PlanReport(instance: entry.instance, result: entry.result).rendered(output.csvDialect).files }
        }
        try planning { try OutputFolder.replaceFile(tablePath, with: try batch.table.data(output.csvDialect)) }
        if !output.quiet {
            printOut(Self.text(batch), terminator: "")
            printOut("Plans written to \(output.out)/<scenario>/; the table to \(tablePath)")
        }
        if batch.entries.contains(where: { $0.result.plan == nil }) { throw ExitCode(1) }
    }

    /// The table on the terminal: figures with separators, the difference to the first signed.
    static func text(_ batch: ScenarioBatch) -> String {
        let tiers = batch.entries.first?.instance.model.tiers.map(\.id) ?? []
        var rows = [["scenario", "status", "net contribution", "sales expense", "global share"] + tiers + ["changes", "vs first"]]
        let first = batch.entries.first?.result.plan?.netContribution
        for entry in batch.entries {
            guard let plan = entry.result.plan else {
                rows.append([entry.name, entry.result.status.rawValue] + Array(repeating: "", count: 5 + tiers.count))
                continue
            }
            let share = plan.salesExpense > 0 ? String(format: "%.1f %%", 100 * plan.globalExpense / plan.salesExpense) : "—"
            let difference = first.map { plan.netContribution - $0 } ?? 0
            let signed = abs(difference) < 0.5 ? "0" : (difference > 0 ? "+" : "−") + SummaryText.amount(abs(difference))
            rows.append([entry.name, entry.result.status.rawValue, SummaryText.amount(plan.netContribution),
                         SummaryText.amount(plan.salesExpense), share]
                        + plan.tierCounts.map { SummaryText.amount(Double($0)) }
                        + [SummaryText.amount(Double(plan.tierChanges)), signed])
        }
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                c == 0 || c == 1 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
