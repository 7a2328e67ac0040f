// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import InputFiles
import SalesMotion

struct RoadmapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roadmap",
        abstract: "Plan years 1..Y together from today's tiers ([roadmap] in the model file) and write the roadmap to --out.",
        discussion: "Writes roadmap_tiers.csv, roadmap_plan.csv, roadmap_local.csv, roadmap_years.csv and roadmap_summary.json to OUT/<name>-roadmap.")

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var solver: SolverOptions

    @Option(help: "auto (decomposition above \(SolutionMethod.automaticThreshold) accounts), monolithic or decomposition.")
    var method: SolutionMethod = .automatic

    @Flag(help: "Print the seconds of each phase and peak memory.")
    var timings = false

    func run() throws {
        var phases = PhaseTimings()
        let scenario = try input.scenarios().first
        let roadmap = try input.loadRoadmap(scenario: scenario, timings: &phases)
        let folder = output.runFolder(input, scenario: scenario, suffix: "-roadmap")
        let stage = try input.openOutput(folder)
        var options = planningOptions(verbose: solver.verbose, instance: roadmap.base)
        options.method = method
        let planned = try planning { try RoadmapPlanner.plan(roadmap, options: options, inputTimings: phases) }
        let (files, result) = try planning { try RoadmapReport(roadmap: roadmap, result: planned).rendered(output.csvDialect) }
        try commit(stage) { files }
        if !output.quiet {
            printOut(RoadmapText(roadmap: roadmap, result: result).text, terminator: "")
            if !result.years.isEmpty { printOut("Roadmap written to \(folder)/") }
        }
        if timings { print(SummaryText.timingTable(result.timings), terminator: "") }
        switch result.status {
        case .optimal, .timeLimit: return
        case .infeasible: throw ExitCode(1)
        case .noSolution: throw ExitCode(3)
        }
    }
}

extension InputOptions {
    /// Loads the inputs and checks them as a roadmap (`[roadmap]`, regions of its capacities, no
    /// gams.csv); bad input ends the process with exit code 2.
    func loadRoadmap(scenario: Scenario?, timings: inout PhaseTimings) throws -> RoadmapInstance {
        let instance = try load(scenario: scenario, timings: &timings, announce: false)
        do {
            return try RoadmapInstance(instance, modelFile: model)
        } catch let error as InputError {
            reportInputError(error)
            throw ExitCode(2)
        }
    }
}
