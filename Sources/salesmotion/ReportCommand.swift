// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import SalesMotion

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Solve and write report.html: one self-contained page with figures, charts and binding limits.",
        discussion: "A sweep.svg already in --out (from 'salesmotion sweep --out DIR') is embedded.")

    @OptionGroup var input: InputOptions

    @Option(help: "Output folder for report.html.")
    var out = "out"

    @Flag(help: "Show GLPK's own log on standard error.")
    var verbose = false

    func run() throws {
        let instance = try input.load()
        try input.checkOutput(out)
        let options = planningOptions(verbose: verbose)
        let report = try planning { try HTMLReport.make(for: instance, folder: out, options: options) }
        try writing("the report", to: out) { try report.write(to: out) }
        print("Report written to \(out)/\(HTMLReport.file)")
        if report.result.plan == nil { throw ExitCode(report.result.status == .infeasible ? 1 : 3) }
    }
}
