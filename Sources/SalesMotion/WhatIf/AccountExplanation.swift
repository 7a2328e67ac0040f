// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import OutputFiles
internal import InputFiles

/// Why an account gets the tier it gets: every other tier's reason, its local effort against
/// the response curve, and the budget that would move it up.
public struct AccountExplanation: Sendable {
    /// Why one tier is not the account's tier.
    public enum TierVerdict: Sendable {
        /// The chosen tier.
        case chosen
        /// The tier is closed to the account; each string is one eligibility rule it fails.
        case ineligible([String])
        /// The account is pinned elsewhere.
        case pinnedElsewhere(String)
        /// Forcing the tier is possible but costs the group `loss` (≥ 0).
        case costs(loss: Double, ownChange: Double, movedAccounts: [String], forcedObjective: Double)
        /// No plan gives the account this tier within the limits.
        case infeasible
    }

    public struct TierReason: Sendable {
        public var tier: String
        public var verdict: TierVerdict
        /// Limits that bind in the optimal plan and that this tier would draw on more.
        public var pressingLimits: [LimitUse]
    }

    public struct RegionEffort: Sendable {
        public var region: String
        public var localFTE: Double
        /// `s`, in FTE.
        public var saturation: Double
        /// Share of the region's local potential won, `F(FTE / s)`.
        public var shareWon: Double
        /// Minimum FTE the chosen tier requires here.
        public var requiredFTE: Double
        /// Net contribution per further FTE at the current effort (margin × revenue it wins at
        /// the margin − its cost); nil at the end of the curve.
        public var marginalValue: Double?
        /// Binding limits that stop effort here although the margin is positive.
        public var heldBackBy: [LimitUse]
        /// Cost of one local FTE in the region.
        public var fteCost: Double
    }

    public var accountId: String
    public var accountName: String
    public var chosenTier: String
    public var plan: StaffingPlan
    public var reasons: [TierReason]
    public var effort: [RegionEffort]
    /// The smallest budget found (a scan up to twice the current budget in 2.5 % steps, then
    /// bisection) at which the account gets a more integrated tier, that tier, and the largest
    /// budget checked below it at which it does not; nil when none was found or there is no
    /// budget. The tier need not change monotonically with the budget, so a narrower window
    /// between scan points can be missed.
    public var budgetToMoveUp: (budget: Double, tier: String, checkedBelow: Double)?
    /// Why no budget figure is given, when it is not.
    public var budgetNote: String?
    /// The tier the account is handled in today, when the data says.
    public var currentTier: String?

    /// The model has no plan (infeasible, or none found in time): there is nothing to explain
    /// an account against; the result says why.
    public struct NoPlanToExplain: Error, Sendable {
        public var result: PlanningResult
    }

    /// Explains `accountId` in `instance`; throws ``InputError`` for an unknown account and
    /// ``NoPlanToExplain`` when the model has no plan.
    public static func explain(_ accountId: String, in instance: AllocationInstance,
                               options: PlanningOptions) throws -> AccountExplanation {
        guard let a = instance.dataset.accounts.firstIndex(where: { $0.id == accountId }) else {
            throw InputError([InputDiagnostic(SourceLocation(file: "explain"),
                                              "unknown account '\(accountId)'\(suggestion(for: accountId, in: instance.dataset.accounts.map(\.id)))")])
        }
        // The same single solve as `salesmotion solve`, so that losses compare with it.
        let base = try AllocationPlanner.solve(instance, options: options)
        guard let plan = base.plan else { throw NoPlanToExplain(result: base) }
        let account = instance.dataset.accounts[a], chosen = plan.accounts[a].tier
        let reasons = try instance.model.tiers.indices.map { t in
            try reason(for: t, account: a, plan: plan, in: instance, options: options)
        }
        var explanation = AccountExplanation(accountId: account.id, accountName: account.name,
                                             chosenTier: instance.model.tiers[chosen].id, plan: plan, reasons: reasons,
                                             effort: effort(of: a, plan: plan, in: instance), budgetToMoveUp: nil,
                                             budgetNote: nil)
        explanation.currentTier = account.currentTier
        try explainBudget(&explanation, account: a, in: instance, options: options)
        return explanation
    }

    /// Why account `a` is not in tier `t` (or that it is): closed, pinned elsewhere, or what
    /// forcing it would cost, found by re-solving with a pin.
    private static func reason(for t: Int, account a: Int, plan: StaffingPlan, in instance: AllocationInstance,
                               options: PlanningOptions) throws -> TierReason {
        let model = instance.model, tier = model.tiers[t], account = instance.dataset.accounts[a]
        let staffing = plan.accounts[a], chosen = staffing.tier
        if t == chosen { return TierReason(tier: tier.id, verdict: .chosen, pressingLimits: []) }
        if let pinned = instance.pinnedTier[a] {
            return TierReason(tier: tier.id, verdict: .pinnedElsewhere(model.tiers[pinned].id), pressingLimits: [])
        }
        if !instance.openTiers[a].contains(t) {
            return TierReason(tier: tier.id, verdict: .ineligible(failedRules(account, tier)), pressingLimits: [])
        }
        let pressing = pressingLimits(plan.limits.filter(\.binding), from: model.tiers[chosen], to: tier, account: a,
                                      instance: instance)
        var forcedModel = model
        forcedModel.pins.append(TierPin(account: account.id, tier: tier.id))
        let forced = try AllocationPlanner.solve(try AllocationInstance(dataset: instance.dataset, model: forcedModel),
                                                 options: options)
        guard let forcedPlan = forced.plan else { return TierReason(tier: tier.id, verdict: .infeasible, pressingLimits: pressing) }
        let moved = zip(plan.accounts, forcedPlan.accounts).filter { $0.account != a && $0.tier != $1.tier }
            .map { instance.dataset.accounts[$0.0.account].id }
        let verdict = TierVerdict.costs(loss: max(0, plan.netContribution - forcedPlan.netContribution),
                                        ownChange: forcedPlan.accounts[a].netContribution - staffing.netContribution,
                                        movedAccounts: moved, forcedObjective: forcedPlan.netContribution)
        return TierReason(tier: tier.id, verdict: verdict, pressingLimits: pressing)
    }

    /// Account `a`'s local effort in each region against the response curve, and the binding
    /// limits that hold back effort that would still pay.
    private static func effort(of a: Int, plan: StaffingPlan, in instance: AllocationInstance) -> [RegionEffort] {
        let account = instance.dataset.accounts[a], staffing = plan.accounts[a]
        let binding = plan.limits.filter(\.binding)
        return zip(instance.pairs[a], staffing.local).map { pair, local -> RegionEffort in
            let region = instance.dataset.regions[pair.region]
            var marginal: Double?
            var heldBack: [LimitUse] = []
            if pair.saturation > 0 {
                let u = local.localFTE / pair.saturation
                if let k = (0..<instance.curve.segmentCount).first(where: { instance.curve.points[$0 + 1] > u + 1e-9 }) {
                    marginal = account.margin * pair.localPotential * instance.curve.slope(ofSegment: k) / pair.saturation
                        - region.localFTECost
                }
                if let value = marginal, value > 0 {
                    heldBack = binding.filter { limit in
                        switch limit.kind {
                        case .regionalCapacity(let r): return r == pair.region
                        case .budget, .maxCostOfSales, .globalShareMinimum: return true
                        default: return false
                        }
                    }
                }
            }
            return RegionEffort(region: region.id, localFTE: local.localFTE, saturation: pair.saturation,
                                shareWon: pair.saturation > 0 ? instance.curve.value(at: local.localFTE / pair.saturation) : 0,
                                requiredFTE: instance.model.tiers[staffing.tier].minLocalCoverage * pair.saturation,
                                marginalValue: marginal, heldBackBy: heldBack, fteCost: region.localFTECost)
        }
    }

    /// The smallest budget that moves the account up a tier, or why none is given.
    private static func explainBudget(_ explanation: inout AccountExplanation, account a: Int,
                                      in instance: AllocationInstance, options: PlanningOptions) throws {
        let model = instance.model, chosen = explanation.plan.accounts[a].tier
        if chosen == model.tiers.count - 1 {
            explanation.budgetNote = "it already has the most integrated tier"
        } else if !instance.openTiers[a].contains(where: { $0 > chosen }) {
            explanation.budgetNote = "no more integrated tier is open to it"
        } else if instance.pinnedTier[a] != nil {
            explanation.budgetNote = "it is pinned"
        } else if let budget = model.limits.budget {
            let session = try AllocationPlanner.session(for: instance, options: options)
            explanation.budgetToMoveUp = try smallestBudgetMovingUp(a, from: chosen, budget: budget, session: session)
            if explanation.budgetToMoveUp == nil {
                let others = Set(explanation.reasons.flatMap(\.pressingLimits).filter { $0.kind != .budget }.map(\.name)).sorted()
                explanation.budgetNote = "no budget up to \(SummaryText.money(2 * budget)) moves it to a more integrated tier"
                    + (others.isEmpty ? "" : "; what holds it back is " + others.joined(separator: ", "))
            }
        } else {
            explanation.budgetNote = "the model has no budget cap"
        }
    }

    private static func failedRules(_ account: Account, _ tier: CoverageTier) -> [String] {
        var rules: [String] = []
        if account.revenue < tier.minRevenue {
            rules.append("revenue \(SummaryText.money(account.revenue)) is below the tier's minimum \(SummaryText.money(tier.minRevenue))")
        }
        if account.footprint.count < tier.minRegions {
            rules.append("it buys in \(account.footprint.count) region\(account.footprint.count == 1 ? "" : "s"), the tier needs \(tier.minRegions)")
        }
        if account.fit < tier.minFit {
            rules.append("fit \(formatShort(account.fit)) is below the tier's minimum \(formatShort(tier.minFit))")
        }
        return rules
    }

    /// Binding limits that moving from `current` to `target` would draw on more.
    private static func pressingLimits(_ binding: [LimitUse], from current: CoverageTier, to target: CoverageTier,
                                       account a: Int, instance: AllocationInstance) -> [LimitUse] {
        let costMore = instance.model.costs.cost(of: target) > instance.model.costs.cost(of: current)
        let coverageMore = target.minLocalCoverage > current.minLocalCoverage
        let regions = Set(instance.pairs[a].map(\.region))
        return binding.filter { limit in
            switch limit.kind {
            case .budget, .maxCostOfSales, .globalShareMaximum: return costMore || coverageMore
            case .gamHeadcount: return target.gamFTE > current.gamFTE
            case .centralFTE: return target.centralFTE > current.centralFTE
            case .execHours: return target.execHours > current.execHours
            case .maxGlobalAccounts: return target.isGlobal && !current.isGlobal
            case .regionalCapacity(let r): return coverageMore && regions.contains(r)
            case .globalShareMinimum, .maxChanges: return false
            case .gamCapacity, .gamMaxAccounts, .gamPoolCapacity, .gamPoolMaxAccounts: return target.gamFTE > current.gamFTE
            }
        }
    }

    /// Scans budgets up to twice the current one (40 steps, warm re-solves), then bisects.
    private static func smallestBudgetMovingUp(_ a: Int, from chosen: Int, budget: Double, session: WhatIfSession)
        throws -> (budget: Double, tier: String, checkedBelow: Double)? {
        let key = try WhatIfKey("limits.budget")
        func tier(at value: Double) throws -> Int? {
            try session.set(key, to: value)
            return try session.solve().plan?.accounts[a].tier
        }
        var below = budget
        var found: (Double, Int)?
        for value in Sweep.values(from: budget, to: 2 * budget, count: 41).dropFirst() {
            if let t = try tier(at: value), t > chosen {
                found = (value, t)
                break
            }
            below = value
        }
        guard var (above, upTier) = found else { return nil }
        for _ in 0..<12 where above - below > 1e-4 * budget {
            let middle = (below + above) / 2
            if let t = try tier(at: middle), t > chosen { above = middle; upTier = t } else { below = middle }
        }
        return (above, session.instance.model.tiers[upTier].id, below)
    }

    /// Plain sentences an account director can read.
    public var text: String {
        var lines = ["\(accountName) (\(accountId)) gets tier \(chosenTier)" + {
            guard let today = currentTier else { return "." }
            return today == chosenTier ? ", as today." : "; today it is \(today), so this is a change of tier."
        }()]
        for reason in reasons {
            switch reason.verdict {
            case .chosen:
                continue
            case .ineligible(let rules):
                lines.append("- \(reason.tier): not open to the account: " + rules.joined(separator: "; ") + ".")
            case .pinnedElsewhere(let tier):
                lines.append("- \(reason.tier): not considered, the account is pinned to \(tier).")
            case .infeasible:
                lines.append("- \(reason.tier): no plan can give the account this tier within the limits"
                             + Self.limitClause(reason.pressingLimits) + ".")
            case .costs(let loss, let own, let moved, _):
                var sentence = "- \(reason.tier): forcing it would lower group net contribution by \(SummaryText.money(loss))"
                sentence += "; the account itself would \(own >= 0 ? "gain" : "lose") \(SummaryText.money(abs(own)))"
                if !moved.isEmpty {
                    sentence += ", and \(moved.count) other account\(moved.count == 1 ? "" : "s") would change tier ("
                        + moved.prefix(5).joined(separator: ", ") + (moved.count > 5 ? ", …" : "") + ")"
                }
                sentence += Self.limitClause(reason.pressingLimits) + "."
                lines.append(sentence)
            }
        }
        lines.append("")
        lines.append("Local effort against the response curve:")
        for region in effort {
            var sentence = "- \(region.region): \(SummaryText.amount(region.localFTE)) FTE of a saturation scale of "
                + "\(SummaryText.amount(region.saturation)) FTE wins \(String(format: "%.1f", region.shareWon * 100)) % of the local potential"
            if region.requiredFTE > 0 { sentence += " (the tier requires at least \(SummaryText.amount(region.requiredFTE)) FTE)" }
            if let marginal = region.marginalValue {
                if marginal <= 0 {
                    sentence += "; a further FTE would earn \(SummaryText.money(-marginal)) a year less than it costs"
                } else {
                    sentence += "; a further FTE would add \(SummaryText.money(marginal)) a year"
                    if !region.heldBackBy.isEmpty {
                        sentence += ", but " + region.heldBackBy.map { limit -> String in
                            let price = limit.shadowPrice ?? 0
                            switch limit.kind {
                            case .regionalCapacity:
                                return "\(region.region) capacity is fully used and an FTE there earns \(SummaryText.money(price)) elsewhere"
                            case .budget:
                                return "the budget is fully used and the \(SummaryText.money(region.fteCost)) it costs earns \(SummaryText.money(region.fteCost * price)) elsewhere"
                            default:
                                return "\(limit.name) binds"
                            }
                        }.joined(separator: ", and ")
                    }
                }
            } else if region.saturation > 0 {
                sentence += "; effort is at the end of the curve"
            }
            lines.append(sentence + ".")
        }
        lines.append("")
        if let move = budgetToMoveUp, let budget = plan.limits.first(where: { $0.kind == .budget })?.value {
            lines.append("A budget of \(SummaryText.money(move.budget)) (+\(SummaryText.money(move.budget - budget))) would move it to \(move.tier).")
        } else if let note = budgetNote {
            lines.append("Budget: \(note).")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func limitClause(_ limits: [LimitUse]) -> String {
        guard !limits.isEmpty else { return "" }
        let parts = limits.map { limit -> String in
            var part = "\(limit.name) (\(SummaryText.amount(limit.used)) of \(SummaryText.amount(limit.value)))"
            if let price = limit.shadowPrice, price != 0 { part += " worth \(SummaryText.amount(price)) per unit" }
            return part
        }
        return "; binding limits it would draw on: " + parts.joined(separator: ", ")
    }
}
