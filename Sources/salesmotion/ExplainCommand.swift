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

    @Flag(help: "Show GLPK's own log on standard error.")
    var verbose = false

    func run() throws {
        let instance = try input.load()
        let options = planningOptions(verbose: verbose, instance: instance)
        let explanation = try planning { try AccountExplanation.explain(account, in: instance, options: options) }
        printOut(explanation.text, terminator: "")
    }
}
