// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import InputFiles
import SalesMotion
import OutputFiles

struct RobustnessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robustness",
        abstract: "How sure is the plan? Solve it in sampled worlds of the soft inputs and write how often each account's tier stays optimal.",
        discussion: "Writes robustness_accounts.csv, robustness_samples.csv, robustness_summary.json and robustness.html to "
            + "OUT/<name>-robustness; with --keep-samples each sampled dataset too (samples/0001/ …). The same seed gives the same "
            + "files on any number of threads.")

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var solver: SolverOptions

    @Option(help: "Number of sampled worlds.")
    var samples = 200

    @Option(help: "Seed of the sampling: the same seed gives the same samples.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("How wrong a soft input may be: its factor's 90 % interval is [1/(1+f), 1+f] (repeatable). Defaults: "
                               + Robustness.SoftColumn.allCases.map { "\($0.rawValue)=\($0.defaultSpread)" }.joined(separator: ", ") + ".",
                               valueName: "column=fraction"))
    var spread: [String] = []

    @Flag(help: "Also write each sample's dataset (accounts.csv, regions.csv, footprint.csv) to OUT/…/samples/0001/ … for audit.")
    var keepSamples = false

    @Option(help: "Solve on this many threads (default: one per core, at most 8).")
    var threads = min(8, max(1, ProcessInfo.processInfo.activeProcessorCount))

    @Option(help: "Seconds the whole run may take (default: the model's time limit for each sample and the base).")
    var timeLimit: Double?

    func validate() throws {
        guard (1...Robustness.Settings.maximumSamples).contains(samples) else {
            throw ValidationError("--samples must be between 1 and \(Robustness.Settings.maximumSamples)")
        }
        guard threads >= 1, threads <= 64 else { throw ValidationError("--threads must be between 1 and 64") }
        if let timeLimit, !(timeLimit > 0 && timeLimit <= 31_536_000) {
            throw ValidationError("--time-limit must be a number of seconds above 0 (at most a year)")
        }
    }

    /// The seconds the whole run may take: `--time-limit`, else the model's limit for each sample and the base.
    func runTimeLimit(_ model: AllocationModel) -> Double {
        timeLimit ?? model.solver.timeLimit * Double(samples + 1)
    }

    func run() throws {
        var settings = Robustness.Settings()
        settings.samples = samples
        settings.seed = seed
        for text in spread {
            do {
                try settings.setSpread(text)
            } catch let error as InputError {
                reportInputError(error)
                throw ExitCode(2)
            }
        }
        var phases = PhaseTimings()
        let scenario = try input.scenarios().first
        let instance = try input.load(scenario: scenario, timings: &phases, timeLimit: runTimeLimit)
        // Kept samples are written with the run's other files, all at once: a bound on their size.
        let keptRows = samples * instance.dataset.accounts.count
        if keepSamples && keptRows > RobustnessReport.largestKeptRows {
            printError("--keep-samples: \(Words.grouped(samples)) samples of \(Words.count(instance.dataset.accounts.count, "account")) would write \(Words.grouped(keptRows)) account rows; at most \(Words.grouped(RobustnessReport.largestKeptRows)): keep fewer samples (--samples) or leave --keep-samples out")
            throw ExitCode(64)
        }
        let folder = output.runFolder(input, scenario: scenario, suffix: "-robustness")
        let stage = try input.openOutput(folder)
        var options = planningOptions(verbose: solver.verbose)
        options.deadline = commandDeadline(timeLimit: runTimeLimit(instance.model), instance)
        let base = try planning { try AllocationPlanner.solve(instance, options: options) }
        guard let basePlan = base.plan else {
            printError("the base plan has no solution (\(base.status.rawValue)); `salesmotion solve` explains why")
            throw ExitCode(base.status == .infeasible ? 1 : 3)
        }
        let bar = ProgressBar(total: samples, enabled: !output.quiet && isatty(STDERR_FILENO) == 1)
        let result: Robustness
        do {
            result = try planning {
                defer { bar.finish() }
                return try Robustness.run(instance, basePlan: basePlan, settings: settings, workers: threads, options: options,
                                          progress: { bar.update($0) })
            }
        } catch let error as Robustness.OutOfTime {
            printError(error.description)
            throw ExitCode(3)
        }
        let report = RobustnessReport(result)
        try commit(stage) { try report.files(output.csvDialect, keepSamples: keepSamples) }
        if !output.quiet {
            printOut(report.text, terminator: "")
            printOut("Written to \(folder)/")
        }
    }
}
