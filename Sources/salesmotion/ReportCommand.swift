// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import SalesMotion

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Solve and write report.html: one self-contained page with figures, charts and binding limits.",
        discussion: "With --vary the report also runs a sweep and charts it; it embeds no file it did not make.")

    @OptionGroup var input: InputOptions

    @OptionGroup var output: OutputOptions
    @OptionGroup var solver: SolverOptions

    @Option(help: ArgumentHelp("Also sweep this input over a range and chart it, e.g. limits.budget=20M..40M.",
                               valueName: "KEY=FROM..TO"))
    var vary: String?

    @Option(help: "Number of sweep points with --vary, both ends included.")
    var steps = 20

    @Flag(help: "Report the roadmap ([roadmap] in the model file): tiers year by year and the moves between years.")
    var roadmap = false


    func validate() throws {
        guard steps >= 1, steps <= 10_000 else { throw ValidationError("--steps must be between 1 and 10000") }
        if let vary { _ = try SweepRange(vary) }
        if roadmap && vary != nil { throw ValidationError("--roadmap and --vary cannot be combined; sweep one year with report --vary") }
        if roadmap && input.scenarioFiles.count > 1 { throw ValidationError("--roadmap reports one scenario; give --scenario once") }
    }

    func run() throws {
        if roadmap { return try runRoadmap() }
        let scenarios = try input.scenarios(several: true)
        let scenario = scenarios.first
        var timings = PhaseTimings()
        let instance = try input.load(scenario: scenario, timings: &timings)
        let others = try scenarios.dropFirst().map { (name: $0.name, instance: try input.load(scenario: $0, timings: &timings, announce: false)) }
        let folder = scenarios.count > 1 && output.name == nil
            ? (output.out as NSString).appendingPathComponent("scenarios-report")
            : output.runFolder(input, scenario: scenario, suffix: "-report")
        let stage = try input.openOutput(folder)
        let options = planningOptions(verbose: solver.verbose, instance: instance)
        let report = try planning {
            var sweep: Sweep?
            if let vary {
                let range = try SweepRange(vary)
                let key = try WhatIfKey(range.key)
                let (from, to) = (try key.resolve(range.fromText, in: instance), try key.resolve(range.toText, in: instance))
                sweep = try Sweep.run(instance, key: key, values: Sweep.values(from: from, to: to, count: steps), options: options)
            }
            var report = try AllocationPlanner.report(for: instance, sweep: sweep, options: options)
            if let scenario, !others.isEmpty {
                // The first scenario's result is the report's own; the others are solved beside it.
                let rest = try ScenarioBatch.run(others, workers: ProcessInfo.processInfo.activeProcessorCount, options: options)
                report.scenarios = ScenarioBatch(entries: [ScenarioBatch.Entry(name: scenario.name, instance: instance,
                                                                               result: report.result, seconds: 0)] + rest.entries)
            }
            return report
        }
        try commit(stage) { try report.files() }
        if !output.quiet { printOut("Report written to \(folder)/\(HTMLReport.file)") }
        if report.result.plan == nil { throw ExitCode(report.result.status == .infeasible ? 1 : 3) }
    }

    /// `report --roadmap`: the roadmap solved and drawn, in `OUT/<name>-roadmap-report/`.
    private func runRoadmap() throws {
        var timings = PhaseTimings()
        let scenario = try input.scenarios().first
        let plannedRoadmap = try input.loadRoadmap(scenario: scenario, timings: &timings)
        let folder = output.runFolder(input, scenario: scenario, suffix: "-roadmap-report")
        let stage = try input.openOutput(folder)
        let options = planningOptions(verbose: solver.verbose, instance: plannedRoadmap.base)
        let result = try planning { try RoadmapPlanner.plan(plannedRoadmap, options: options, inputTimings: timings) }
        try commit(stage) { try RoadmapHTMLReport(roadmap: plannedRoadmap, result: result).files() }
        if !output.quiet { printOut("Report written to \(folder)/\(HTMLReport.file)") }
        if result.years.isEmpty { throw ExitCode(result.status == .infeasible ? 1 : 3) }
    }
}
