// SPDX-License-Identifier: GPL-3.0-or-later

internal import OutputFiles

/// Signs that the inputs may not describe the business as meant: each warning gives the
/// numbers and what to check. A plan is written all the same; the warnings go to the terminal
/// and to summary.json (`warnings`).
public enum Plausibility {
    /// A local FTE whose marginal net value is this many times its cost looks implausible.
    static let fteValueRatio = 1.5
    /// Sales expense as a share of expected revenue outside this range is unusual for B2B.
    static let typicalExpenseShare = 0.005...0.30
    /// Growth potential this many times current revenue is unusual.
    static let potentialRatio = 10.0

    /// The warnings for `plan` of `instance`.
    public static func warnings(_ instance: AllocationInstance, _ plan: StaffingPlan) -> [String] {
        let dataset = instance.dataset
        var warnings: [String] = []
        for region in plan.regions {
            let cost = dataset.regions[region.region].localFTECost
            guard region.shadowPrice > fteValueRatio * cost else { continue }
            let worth = region.shadowPrice + cost
            warnings.append("one more local FTE in \(dataset.regions[region.region].id) is worth \(SummaryText.money(worth)) "
                            + "against its cost of \(SummaryText.money(cost)) (\(String(format: "%.1f", worth / cost))×): "
                            + "check productivity, growth_potential and the response breakpoints; or the capacity is far too low")
        }
        if plan.expectedRevenue > 0 {
            let share = plan.salesExpense / plan.expectedRevenue
            if !typicalExpenseShare.contains(share) {
                warnings.append("sales expense is \(SummaryText.percent(share)) of expected revenue, outside the "
                                + "\(SummaryText.percent(typicalExpenseShare.lowerBound))–\(SummaryText.percent(typicalExpenseShare.upperBound)) "
                                + "usual in B2B sales: check the units of revenue, the costs and the budget")
            }
        }
        let large = dataset.accounts.filter { $0.revenue > 0 && $0.growthPotential > potentialRatio * $0.revenue }
        if !large.isEmpty {
            warnings.append("\(Words.count(large.count, "account")) \(large.count == 1 ? "has" : "have") a growth_potential over "
                            + "\(Int(potentialRatio)) times the current revenue (" + large.prefix(5).map(\.id).joined(separator: ", ")
                            + (large.count > 5 ? ", …" : "") + "): check that growth_potential is extra annual revenue, not a total")
        }
        return warnings
    }
}
