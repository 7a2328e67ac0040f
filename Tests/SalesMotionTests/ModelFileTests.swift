// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing
import InputFiles

@Suite struct ModelFileTests {
    @Test func defaultsOfAMinimalModel() throws {
        let model = try AllocationModel.parse(minimalModelText())
        #expect(model.costs == CostRates())
        #expect(model.limits == Limits())
        #expect(model.breakpoints == [0.25, 0.5, 1.0, 2.0, 3.0])
        #expect(model.solver.mipGap == 1e-4 && model.solver.timeLimit == 60)
        #expect(model.transition == TransitionRules())
        #expect(model.pins.isEmpty)
        let tier = model.tiers[0]
        #expect(tier.minRevenue == 0 && tier.minRegions == 1 && tier.minFit == 0)
        #expect(!tier.isGlobal)
    }

    @Test func theStandardModelReads() throws {
        let model = try AllocationModel.read(from: packageRoot + "/models/standard.toml")
        #expect(model.tiers.map(\.id) == ["local", "coordinated", "strategic", "total"])
        #expect(model.limits.budget == 28_000_000)
        #expect(model.limits.globalShare == 0.05...0.40)
        // c_total = 1.0·250k + 0.75·200k + 60·2k = 520k
        #expect(model.costs.cost(of: model.tiers[3]) == 520_000)
    }

    @Test func overridesAndPinsFromTheCommandLine() throws {
        let model = try AllocationModel.parse(
            minimalModelText("[limits]\nbudget = 1e7\ngam_headcount = 3\n"),
            overrides: [ModelOverride("limits.budget=18M")!, ModelOverride("costs.gam_fte_cost=240k")!,
                        ModelOverride("tier.local.protection=0.6")!, ModelOverride("limits.gam_headcount=none")!,
                        ModelOverride("limits.global_share=[0.1, 0.45]")!, ModelOverride("solver.mip_gap=0")!],
            pins: [TierPin(account: "ACME", tier: "local")])
        #expect(model.limits.budget == 18_000_000)
        #expect(model.costs.gamFTECost == 240_000)
        #expect(model.tiers[0].protection == 0.6)
        #expect(model.limits.gamHeadcount == nil)
        #expect(model.limits.globalShare == 0.1...0.45)
        #expect(model.solver.mipGap == 0)
        #expect(model.pins == [TierPin(account: "ACME", tier: "local")])
    }

    @Test func amountSyntax() {
        #expect(NumberSyntax.amount("12M") == 12_000_000)
        #expect(NumberSyntax.amount("800k") == 800_000)
        #expect(NumberSyntax.amount("1.2e7") == 12_000_000)
        #expect(NumberSyntax.amount("12_000_000") == 12_000_000)
        #expect(NumberSyntax.amount("1.5bn") == 1_500_000_000)
        #expect(NumberSyntax.amount("lots") == nil)
        #expect(NumberSyntax.amount("inf") == nil)
        #expect(NumberSyntax.fraction("35%") == 0.35)
        #expect(NumberSyntax.plainDecimal("0x10") == nil)
        #expect(NumberSyntax.plainDecimal("nan") == nil)
    }

    @Test(arguments: [
        ("[[tier]]\nid = \"t\"\ngam_fte = 0\ncentral_fte = 0\nexec_hours = 0\nprotection = 0.5\ncentral_reach = 0.1\nmin_local_coverage = 3.5\n",
         "model.toml:8:1: tier.t.min_local_coverage: 3.5 exceeds the last breakpoint 3; effort beyond it is not allowed"),
        (minimalModelText("[costs]\ngam_fte_cost = -5\n"), "model.toml:10:1: costs.gam_fte_cost: costs must be ≥ 0, found -5"),
        (minimalModelText().replacingOccurrences(of: "protection = 0.5", with: "protection = 1.5"),
         "model.toml:6:1: tier.local.protection: must be a fraction from 0 to 1, found 1.5"),
        (minimalModelText().replacingOccurrences(of: "central_reach = 0.1", with: "central_reach = -0.1"),
         "model.toml:7:1: tier.local.central_reach: must be a fraction from 0 to 1, found -0.1"),
        (minimalModelText() + minimalModelText(), "model.toml:10:1: tier[2].id: duplicate tier id 'local'"),
        (minimalModelText("[[pin]]\naccount = \"A\"\ntier = \"lokal\"\n"),
         "model.toml:11:1: pin[1].tier: unknown tier 'lokal' (did you mean 'local'?)"),
        (minimalModelText("[limits]\nglobal_share = [0.5, 0.2]\n"),
         "model.toml:10:1: limits.global_share: the low end 0.5 exceeds the high end 0.2"),
        (minimalModelText("[limits]\nbudget = \"lots\"\n"), "model.toml:10:1: limits.budget: expected a number, found \"lots\""),
        (minimalModelText("[limts]\nbudget = 1\n"), "model.toml:9:1: limts: unknown section (did you mean 'limits'?)"),
        (minimalModelText("[limits]\nbudgt = 1\n"), "model.toml:10:1: limits.budgt: unknown key (did you mean 'budget'?)"),
        (minimalModelText("[response]\nbreakpoints = [1, 0.5]\n"),
         "model.toml:10:1: response.breakpoints: breakpoints must increase, found 1 then 0.5"),
        ("", "model.toml: tier: at least one [[tier]] is required"),
        (minimalModelText().replacingOccurrences(of: "exec_hours = 0\n", with: ""),
         "model.toml:1:1: tier.local.exec_hours: required key is missing"),
        (minimalModelText("[limits]\nmax_global_accounts = 2.5\n"),
         "model.toml:10:1: limits.max_global_accounts: expected a whole number, found 2.5"),
    ])
    func validationRulesNameTheKey(_ text: String, _ expected: String) {
        let messages = inputMessages { _ = try AllocationModel.parse(text) }
        #expect(messages.contains(expected), "\(messages)")
    }

    @Test func tomlSyntaxErrorsCarryLineAndColumn() {
        let messages = inputMessages { _ = try AllocationModel.parse("[costs]\ngam_fte_cost = = 3\n") }
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("model.toml:2:") == true)
    }

    @Test func badOverridesAreReportedAsCommandLineProblems() {
        let messages = inputMessages {
            _ = try AllocationModel.parse(minimalModelText(), overrides: [
                ModelOverride("limits.budgte=3")!, ModelOverride("tier.premium.gam_fte=1")!,
                ModelOverride("limits.budget=lots")!,
            ])
        }
        #expect(messages.contains("--set: limits.budgte: unknown key 'budgte' in [limits] (did you mean 'budget'?)"))
        #expect(messages.contains("--set: tier.premium.gam_fte: no tier 'premium'"))
        #expect(messages.contains("--set: limits.budget: expected a number, found \"lots\""))
    }
}

@Suite struct InstanceValidationTests {
    private func dataset() -> Dataset {
        Dataset(accounts: [
            Account(id: "A1", headquarters: 0, revenue: 100, margin: 0.3, growthPotential: 0, currentTier: "gold",
                    source: SourceLocation(file: "accounts.csv", line: 2, column: 7)),
            Account(id: "A2", headquarters: 0, revenue: 5, margin: 0.3, growthPotential: 0,
                    source: SourceLocation(file: "accounts.csv", line: 3, column: 7)),
        ], regions: [Region(id: "EMEA", localCapacityFTE: 1, localFTECost: 1, productivity: 1)])
    }

    private func tier(_ id: String, minRevenue: Double = 0) -> CoverageTier {
        CoverageTier(id: id, gamFTE: 0, centralFTE: 0, execHours: 0, protection: 0.5, centralReach: 0,
                     minLocalCoverage: 0, minRevenue: minRevenue)
    }

    @Test func unknownCurrentTierUnknownPinAndNoOpenTier() {
        let model = AllocationModel(tiers: [tier("big", minRevenue: 10)], pins: [TierPin(account: "A7", tier: "big")])
        let messages = inputMessages { _ = try AllocationInstance(dataset: dataset(), model: model) }
        #expect(messages.contains("accounts.csv:2:7: current_tier: unknown tier 'gold'; tiers are big"))
        #expect(messages.contains("model.toml: pin: unknown account 'A7' (did you mean 'A1'?)"))
        #expect(messages.contains("accounts.csv:3: account 'A2' is eligible for no tier (revenue 5, 1 region, fit 1); lower a tier's min_revenue, min_regions or min_fit, or pin the account"))
    }

    @Test func aPinOverridesEligibility() throws {
        let model = AllocationModel(tiers: [tier("big", minRevenue: 10)], pins: [TierPin(account: "A2", tier: "big")])
        var data = dataset()
        data.accounts[0].currentTier = nil
        let instance = try AllocationInstance(dataset: data, model: model)
        #expect(instance.openTiers == [[0], [0]])
        #expect(instance.pinnedTier == [nil, 0])
    }
}
