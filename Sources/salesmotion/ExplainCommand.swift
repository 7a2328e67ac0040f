// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import SalesMotion

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain in plain sentences why an account gets its tier and what would change it.")

    @Argument(help: "The account id.")
    var account: String

    @OptionGroup var input: InputOptions

    @OptionGroup var solver: SolverOptions

    func run() throws {
        let instance = try input.load()
        let options = planningOptions(verbose: solver.verbose, instance: instance)
        let explanation = try planning { try AccountExplanation.explain(account, in: instance, options: options) }
        printOut(explanation.text, terminator: "")
    }
}
