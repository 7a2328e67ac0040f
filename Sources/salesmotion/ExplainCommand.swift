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
        do {
            let explanation = try AccountExplanation.explain(account, in: instance, options: PlanningOptions(verbose: verbose))
            print(explanation.text, terminator: "")
        } catch let error as InputError {
            printError(error.description)
            throw ExitCode(2)
        } catch let failure as PlanningFailure {
            printError("\(failure)")
            throw ExitCode(3)
        }
    }
}
