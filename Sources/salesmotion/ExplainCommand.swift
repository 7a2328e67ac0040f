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
        do {
            let explanation = try planning { try AccountExplanation.explain(account, in: instance, options: options) }
            printOut(explanation.text, terminator: "")
        } catch let noPlan as AccountExplanation.NoPlanToExplain {
            // Nothing to explain an account against: say why the model has no plan, as solve does.
            var result = noPlan.result
            if result.status == .infeasible {
                result.diagnosis = try planning { try InfeasibilityDiagnosis.diagnose(instance, options: options) }
            }
            printOut("No plan to explain \(account) against.")
            printOut(SummaryText(instance: instance, result: result).text, terminator: "")
            throw ExitCode(result.status == .infeasible ? 1 : 3)
        }
    }
}
