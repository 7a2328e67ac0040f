// SPDX-License-Identifier: GPL-3.0-or-later

public import ArgumentParser
import CPOSIX
import Foundation
import OutputFiles
import SalesMotion
import InputFiles

@main
struct SalesMotionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "salesmotion",
        abstract: "Decide how to staff key customer accounts: coverage tier and local effort per account.",
        discussion: """
            Exit codes: 0 plan written, 1 infeasible, 2 bad input (nothing written), \
            3 solver failure or no plan found in time, 4 output folder cannot be written \
            (nothing written), 130 Ctrl-C and 143 SIGTERM (nothing written).
            """,
        subcommands: [Solve.self, RoadmapCommand.self, SweepCommand.self, RobustnessCommand.self, CompareCommand.self, ScenariosCommand.self, ExplainCommand.self, ReportCommand.self,
                      Validate.self, Export.self, GenerateCommand.self],
        defaultSubcommand: Solve.self
    )

    /// Signals are watched from the first instruction, so a Ctrl-C or SIGTERM at any moment
    /// stops the run with its exit code and leaves the output folder as it was.
    static func main() {
        _ = commandStart
        watchForInterrupt()
        main(nil)
    }
}

/// Where the inputs come from and how the model file is changed for this run.
struct InputOptions: ParsableArguments {
    @Option(help: "Dataset folder with accounts.csv, regions.csv and footprint.csv.")
    var data = "data/sample"

    @Option(help: "Model file (TOML): tiers, costs, limits, solver settings.")
    var model = "models/standard.toml"

    @Option(name: .customLong("scenario"), help: ArgumentHelp(
        "Scenario file (TOML: name, description, base, [set], [[pin]]); --set, --pin and --budget apply on top.",
        valueName: "FILE"))
    var scenarioFiles: [String] = []

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Change a model key or a data column: limits.budget=18M (set), limits.gam_headcount=+2 (add), limits.budget=-15% (scale), limits.exec_hours=none; tier.total.gam_fte=1.5, regions.APAC.local_capacity_fte=-10, accounts.A017.growth_potential=+20%, accounts.*.competition=+0.05 (repeatable).",
        valueName: "section.key=value"))
    var overrides: [String] = []

    @Option(name: .customLong("pin"), help: ArgumentHelp("Force an account into a tier, and with gams.csv name its lead GAM: A001=total or A001=total@G03 (repeatable).",
                                                         valueName: "ACCOUNT=TIER[@GAM]"))
    var pins: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Shortcut for --set limits.budget=VALUE: an amount (18M, 800k, 1.2e7), a change (+2M, -1.5M) or a percentage change (-15%).",
        valueName: "VALUE"))
    var budget: String?

    func validate() throws {
        _ = try parsedOverrides()
        _ = try parsedPins()
    }

    /// Whether `--set`, `--pin` or `--budget` change the inputs.
    var hasCommandLineChanges: Bool { !overrides.isEmpty || !pins.isEmpty || budget != nil }

    /// The scenario files, read (exit code 2 with every problem located when one is bad);
    /// more than one only when the command takes `several` (compare).
    func scenarios(several: Bool = false) throws -> [Scenario] {
        if scenarioFiles.count > 1 && !several {
            printError("--scenario is given \(scenarioFiles.count) times; this command solves one scenario")
            throw ExitCode(2)
        }
        do {
            return try scenarioFiles.map { try Scenario.read($0) }
        } catch let error as InputError {
            reportInputError(error)
            throw ExitCode(2)
        }
    }

    func parsedOverrides() throws -> [ModelOverride] {
        var result = try overrides.map { text -> ModelOverride in
            guard let change = ModelOverride(text) else {
                throw ValidationError("--set expects section.key=value, got '\(text)'")
            }
            return change
        }
        if let budget {
            if result.contains(where: { $0.path == ["limits", "budget"] }) {
                throw ValidationError("--budget and --set limits.budget both set the budget; give one")
            }
            result.append(ModelOverride(path: ["limits", "budget"], valueText: budget, source: SourceLocation(file: "--budget")))
        }
        return result
    }

    func parsedPins() throws -> [TierPin] {
        var seen: [String: String] = [:]
        return try pins.map { text in
            let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--pin expects ACCOUNT=TIER, got '\(TerminalText.escaped(text))'")
            }
            if let earlier = seen[parts[0]] {
                throw ValidationError("--pin \(TerminalText.escaped(parts[0])) is given twice (=\(TerminalText.escaped(earlier)) and =\(TerminalText.escaped(parts[1]))); give it once")
            }
            seen[parts[0]] = parts[1]
            // TIER@GAM names the lead GAM as well.
            let tierAndGAM = parts[1].split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if tierAndGAM.count == 2, tierAndGAM.contains(where: \.isEmpty) {
                throw ValidationError("--pin expects ACCOUNT=TIER or ACCOUNT=TIER@GAM, got '\(TerminalText.escaped(text))'")
            }
            return TierPin(account: parts[0], tier: tierAndGAM[0], gam: tierAndGAM.count == 2 ? tierAndGAM[1] : nil,
                           source: SourceLocation(file: "--pin"))
        }
    }

    /// Refuses an output folder that would overwrite inputs (exit code 2) or cannot be
    /// written (exit code 4), and opens it for the run's files: all before any solving.
    func openOutput(_ folder: String, extraInputs: [String] = []) throws -> OutputStage {
        // The folder of runs holding this run's folder is never a planted link either.
        let root = (folder as NSString).deletingLastPathComponent
        if !root.isEmpty, (try? FileManager.default.attributesOfItem(atPath: root)[.type] as? FileAttributeType) == .typeSymbolicLink {
            printError("\(root) is a symbolic link; SalesMotion does not write through links: give the folder it points to, or another")
            throw ExitCode(2)
        }
        try planning {
            try OutputFolder.check(folder, dataFolder: data, modelFile: model, extraInputs: extraInputs + scenarioFiles)
            // The folder of runs must not be the data folder or an input file either.
            if !root.isEmpty { try OutputFolder.checkRoot(root, dataFolder: data, inputs: [model] + extraInputs + scenarioFiles) }
        }
        return try salesmotion.openOutput(folder)
    }

    /// Loads and cross-checks everything; bad input ends the process with exit code 2.
    func load() throws -> AllocationInstance {
        var timings = PhaseTimings()
        return try load(timings: &timings)
    }

    /// As ``load()``, recording the read and validate phases.
    func load(timings: inout PhaseTimings) throws -> AllocationInstance {
        let scenario = try scenarios().first
        return try load(scenario: scenario, timings: &timings)
    }

    /// Loads the inputs with `scenario`'s changes and pins, then this command line's on top;
    /// `dataset`, when given, is the data folder already read.
    /// `announce` prints, once per command, that a model written for a roadmap is read for one year.
    /// `timeLimit` gives the command's limit from its model (nil: reading is not bounded, as for
    /// `validate` and `export`): reading stops there with exit 3 (``ReadingWatch``).
    func load(scenario: Scenario?, dataset: Dataset? = nil, timings: inout PhaseTimings, announce: Bool = true,
              timeLimit: ((AllocationModel) -> Double)? = { $0.solver.timeLimit }) throws -> AllocationInstance {
        do {
            let overrides = (scenario?.overrides ?? []) + (try parsedOverrides())
            let pins = (scenario?.pins ?? []) + (try parsedPins())
            var limit: Double?
            ReadingWatch.begin()
            let instance: AllocationInstance
            do {
                defer { ReadingWatch.end() }
                instance = try AllocationInstance.load(dataFolder: data, read: dataset, modelFile: model, overrides: overrides,
                                                       pins: pins, timings: &timings) { model in
                    limit = timeLimit?(model)
                    if let limit { ReadingWatch.limit(limit) }
                }
            }
            if interruption.isRequested {
                printError("Interrupted: nothing was written.")
                throw ExitCode(interruptedExitCode)
            }
            if let limit, Date().timeIntervalSince(commandStart) >= limit {
                printError(ReadingWatch.outOfTimeMessage(limit))
                throw ExitCode(3)
            }
            if announce, let notice = instance.model.singleYearNotice { printError("Note: \(model): \(notice).") }
            releaseFreedMemory()
            return instance
        } catch let error as InputError {
            reportInputError(error)
            throw ExitCode(2)
        }
    }
}

/// Prints every located problem of `error` and says that nothing was written.
func reportInputError(_ error: InputError) {
    printError(error.description)
    let count = error.diagnostics.count + error.omitted
    printError("\(Words.count(count, "problem")) in the input; nothing was written.")
}

/// Where a command writes its files and how much it prints.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output folder: each run writes its own folder in it (OUT/base, OUT/<scenario name>, OUT/what-if), replaced whole.")
    var out = "out"

    @Option(help: ArgumentHelp("Name of this run's folder in --out (default: the scenario's name, base, or what-if when --set, --pin or --budget change it).",
                               valueName: "NAME"))
    var name: String?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let name, let problem = Scenario.folderNameProblem(name) { throw ValidationError("--name \(problem)") }
    }

    /// The folder of this run's files (`scenarios.md`, "Where runs go"): `OUT/NAME` with
    /// `--name`, else `OUT/<scenario name>`, `OUT/what-if` when the command line changes the
    /// inputs, `OUT/base` when nothing does; `suffix` keeps a command's runs apart from solve's
    /// (`-sweep`, `-report`).
    func runFolder(_ input: InputOptions, scenario: Scenario?, suffix: String = "") -> String {
        let base = name ?? scenario?.name ?? (input.hasCommandLineChanges ? "what-if" : "base")
        return (out as NSString).appendingPathComponent(base + (name == nil ? suffix : ""))
    }

    @Option(name: .customLong("csv-dialect"), help: ArgumentHelp(
        "standard (the specification's CSV), excel (with a byte-order mark, for Excel on Windows) or excel-eu (also ';' between fields and ',' in numbers, for Excel in European locales).",
        valueName: "dialect"))
    var csvDialect: CSVDialect = .standard
}

extension CSVDialect: ExpressibleByArgument {}

/// How the solver runs.
struct SolverOptions: ParsableArguments {
    @Flag(help: "Show the solver's own log on standard error.")
    var verbose = false
}

extension SolutionMethod: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}

/// Writes `text` to standard error, control characters shown as `\u{1B}`.
func printError(_ text: String) {
    let safe = TerminalText.escaped(text)
    FileHandle.standardError.write(Data((safe.hasSuffix("\n") ? safe : safe + "\n").utf8))
}

/// Writes `text` to standard output, control characters shown as `\u{1B}`.
func printOut(_ text: String, terminator: String = "\n") {
    print(TerminalText.escaped(text), terminator: terminator)
}

struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the staffing plan with the largest net contribution and write it to --out.")

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var solver: SolverOptions

    @Option(help: "auto (decomposition above \(SolutionMethod.automaticThreshold) accounts), monolithic or decomposition.")
    var method: SolutionMethod = .automatic

    @Flag(help: "Print the seconds of each phase (read, validate, build, LP, MIP, duals, diagnosis, write) and peak memory.")
    var timings = false

    func run() throws {
        // A million accounts' solve frees and allocates arrays of hundreds of megabytes; what-if
        // series, which allocate arrays of a few megabytes at every point, keep glibc's defaults
        // (the mapping costs a 100,000-account sweep a tenth of its time).
        cposix_limit_heap_retention()
        var phases = PhaseTimings()
        let scenario = try input.scenarios().first
        let instance = try input.load(scenario: scenario, timings: &phases)
        let folder = output.runFolder(input, scenario: scenario)
        let stage = try input.openOutput(folder)
        var options = planningOptions(verbose: solver.verbose, instance: instance)
        options.method = method
        let planned = try planning { try AllocationPlanner.plan(instance, options: options, inputTimings: phases) }
        releaseFreedMemory()
        let (files, result) = try planning { try PlanReport(instance: instance, result: planned).rendered(output.csvDialect) }
        try commit(stage) { files }
        if !output.quiet {
            printOut(SummaryText(instance: instance, result: result).text, terminator: "")
            if result.plan != nil { printOut("Plan written to \(folder)/") }
        }
        if timings { print(SummaryText.timingTable(result.timings), terminator: "") }
        switch result.status {
        case .optimal, .timeLimit: return
        case .infeasible: throw ExitCode(1)
        case .noSolution: throw ExitCode(3)
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the dataset and the model file without solving.")

    @OptionGroup var input: InputOptions

    func run() throws {
        var timings = PhaseTimings()
        let instance = try input.load(scenario: try input.scenarios().first, timings: &timings, timeLimit: nil)
        let dataset = instance.dataset
        printOut("OK: \(Words.count(dataset.accounts.count, "account")), \(Words.count(dataset.regions.count, "region")), "
              + "\(Words.count(instance.model.tiers.count, "tier")), \(Words.count(instance.model.pins.count, "pin")).")
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the model as CPLEX LP, MPS, or a GNU MathProg data file for models/allocation.mod or models/roadmap.mod.")

    @OptionGroup var input: InputOptions

    @Option(help: "lp, mps, gmpl (data for models/allocation.mod) or gmpl-roadmap (data for models/roadmap.mod; needs [roadmap]).")
    var format: ExportFormat

    @Option(help: "File to write.")
    var output: String

    func run() throws {
        var timings = PhaseTimings()
        let instance = try input.load(scenario: try input.scenarios().first, timings: &timings,
                                      announce: format != .gmplRoadmap, timeLimit: nil)
        try planning {
            try OutputFolder.check(output, dataFolder: input.data, modelFile: input.model, option: "--output")
            try instance.export(format, to: output, backend: solverBackend, modelFile: input.model)
        }
    }
}

/// Gives the pages of freed small allocations back to the system. Reading a million-account
/// dataset leaves hundreds of megabytes of its parsed rows freed in the heap, where the large
/// arrays of the solve (allocated apart by the C library) never reuse them.
func releaseFreedMemory() {
    cposix_release_freed_memory()
}
