// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import SalesMotion
import OutputFiles
import InputFiles

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Solve the model over a range of one input and write sweep.csv and sweep.svg.",
        discussion: "KEY is a numeric model key (limits.budget, limits.gam_headcount, costs.gam_fte_cost, "
            + "tier.total.gam_fte, …) or a region column (regions.EMEA.local_capacity_fte).")

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("The input to vary and its range, e.g. limits.budget=20M..40M, or relative to its value: limits.budget=-20%..+20%, limits.gam_headcount=-2..+2.", valueName: "KEY=FROM..TO"))
    var vary: String

    @Option(help: "Number of points, both ends included.")
    var steps = 20

    @OptionGroup var output: OutputOptions

    @Option(help: "Solve the points on this many threads, each with its own GLPK problem (default: one per core, at most 8).")
    var threads = min(8, max(1, ProcessInfo.processInfo.activeProcessorCount))

    @Flag(help: "Also solve every point from scratch and report both times (for benchmarks).")
    var measure = false


    func validate() throws {
        guard steps >= 1, steps <= 10_000 else { throw ValidationError("--steps must be between 1 and 10000") }
        guard threads >= 1, threads <= 64 else { throw ValidationError("--threads must be between 1 and 64") }
        _ = try SweepRange(vary)
    }

    func run() throws {
        let scenario = try input.scenarios().first
        var timings = PhaseTimings()
        let instance = try input.load(scenario: scenario, timings: &timings)
        let folder = output.runFolder(input, scenario: scenario, suffix: "-sweep")
        let stage = try input.openOutput(folder)
        let range = try SweepRange(vary)
        let key = try planning { try WhatIfKey(range.key) }
        let (from, to) = try planning { (try key.resolve(range.fromText, in: instance), try key.resolve(range.toText, in: instance)) }
        let values = Sweep.values(from: from, to: to, count: steps)
        let bar = ProgressBar(total: values.count, enabled: !output.quiet && isatty(STDERR_FILENO) == 1)
        let start = Date()
        let options = planningOptions(verbose: false, instance: instance)
        let sweep = try planning {
            defer { bar.finish() }
            return try Sweep.run(instance, key: key, values: values, workers: threads, options: options,
                                 progress: { done in bar.update(done) })
        }
        let warmSeconds = Date().timeIntervalSince(start)
        bar.finish()
        let report = SweepReport(sweep: sweep)
        try commit(stage) { try report.files(output.csvDialect) }
        if !output.quiet {
            printOut(report.table, terminator: "")
            print(String(format: "%d points in %.3f s; written to %@/%@ and %@", values.count, warmSeconds, folder,
                         SweepReport.csvFile, SweepReport.chartFile))
        }
        if measure {
            let coldStart = Date()
            _ = try planning { try Sweep.run(instance, key: key, values: values, warm: false, options: options) }
            let coldSeconds = Date().timeIntervalSince(coldStart)
            print(String(format: "warm sweep %.3f s, %d cold solves %.3f s, ratio %.3f",
                         warmSeconds, values.count, coldSeconds, warmSeconds / coldSeconds))
        }
    }
}

/// `KEY=FROM..TO` of `--vary`: both ends are amounts under the range rule every input follows.
struct SweepRange {
    var key: String
    var fromText: String
    var toText: String

    init(_ text: String) throws {
        guard let equals = text.firstIndex(of: "="),
              let dots = text.range(of: "..", range: equals..<text.endIndex) else {
            throw ValidationError("--vary expects KEY=FROM..TO, e.g. limits.budget=20M..40M or limits.budget=-20%..+20%; got '\(text)'")
        }
        key = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
        fromText = String(text[text.index(after: equals)..<dots.lowerBound])
        toText = String(text[dots.upperBound...])
    }
}

/// A one-line progress bar on standard error, only when it is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let enabled: Bool
    private let lock = NSLock()
    private let start = Date()

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(_ done: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let width = 30, filled = total > 0 ? width * min(done, total) / total : width
        var line = "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            + "] \(Words.grouped(done))/\(Words.grouped(total))"
        if done > 0, done < total {
            line += "  ETA " + Self.duration(Date().timeIntervalSince(start) / Double(done) * Double(total - done))
        }
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
    }

    /// `45 s`, `3 min 05 s`, `2 h 07 min`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min " + String(format: "%02d", whole % 60) + " s" }
        return "\(whole / 3600) h " + String(format: "%02d", (whole % 3600) / 60) + " min"
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
