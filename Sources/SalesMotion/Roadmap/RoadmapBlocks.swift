// SPDX-License-Identifier: GPL-3.0-or-later

/// The roadmap as blocks for the decomposition (``BlockStructure``), for one programme case
/// (the programme on or off in each year): the linking rows are every year's limit rows, one
/// after the other; an account's options are its paths — a tier for every year — with their
/// discounted value, their use of every year's rows (tier changes included) and the least
/// effort each year's tier needs in each footprint pair; its pairs are its footprint pairs year
/// by year, each of the class (region, year), whose money counts with the year's discount factor.
struct RoadmapBlocks: BlockStructure {
    let roadmap: RoadmapInstance
    /// The programme runs in year `k + 1`.
    let programme: [Bool]
    let formulations: [Formulation]
    /// The first linking row of each year.
    let rowOffset: [Int]
    let senses: [Formulation.Sense]
    let rightHandSides: [Double]
    let constant: Double
    let margins: [Double]
    let effort: EffortClasses
    let pricingTable: PricingTable
    /// Per account and option: the tier of every year (indices into the model's tiers).
    let paths: [[[Int]]]

    var rowCount: Int { senses.count }
    var accountCount: Int { paths.count }

    /// Why the blocks cannot be built.
    enum Failure: Error {
        /// An account has no path in this case (pinned to a global tier in a year without the programme).
        case noPath
        /// An account has more paths than the decomposition enumerates.
        case tooManyPaths
    }

    /// The most paths one account may have (its open tiers to the power of the years, less those
    /// with too many changes).
    static let maximumPaths = 4096

    init(_ roadmap: RoadmapInstance, programme: [Bool]) throws {
        self.roadmap = roadmap
        self.programme = programme
        let years = roadmap.years
        let formulations = roadmap.yearInstances.map { Formulation(instance: $0) }
        self.formulations = formulations
        var offsets: [Int] = []
        var senses: [Formulation.Sense] = [], rightHandSides: [Double] = []
        var effort = EffortClasses()
        let regions = roadmap.base.dataset.regions
        var constant = 0.0
        for (k, formulation) in formulations.enumerated() {
            let offset = senses.count
            offsets.append(offset)
            let rows = formulation.rows
            senses += rows.map(\.sense)
            rightHandSides += rows.map { formulation.bound(of: $0, programmeActive: programme[k]) }
            let discount = roadmap.settings.discountFactor(year: k + 1)
            if programme[k] { constant -= discount * roadmap.base.model.costs.programmeFixedCost }
            effort.costWeights += rows.map { formulation.costWeight(in: $0) }
            effort.revenueWeights += rows.map { formulation.revenueWeight(in: $0) }
            effort.weight.append(discount)
            effort.rows.append(rows.indices.map { offset + $0 }.filter { effort.costWeights[$0] != 0 || effort.revenueWeights[$0] != 0 })
            var capacity = [Int](repeating: -1, count: regions.count)
            for (i, row) in rows.enumerated() { if let r = formulation.capacityRegion(of: row) { capacity[r] = offset + i } }
            for r in regions.indices {
                effort.cost.append(regions[r].localFTECost)
                effort.group.append(k)
                effort.capacityRow.append(capacity[r])
            }
        }
        rowOffset = offsets
        self.senses = senses
        self.rightHandSides = rightHandSides
        self.constant = constant
        self.effort = effort
        margins = roadmap.base.dataset.accounts.map(\.margin)
        let base = roadmap.base
        let changeCost = base.model.transition.changeCost
        let most = roadmap.settings.maxChangesPerAccount ?? Int.max
        // Each year's change coefficients, and each year's tier coefficients per tier, once.
        let changeUsage = formulations.enumerated().map { k, formulation in
            formulation.rows.indices.compactMap { i -> (row: Int, coefficient: Double)? in
                let value = formulation.changeCoefficient(in: formulation.rows[i])
                return value != 0 ? (offsets[k] + i, value) : nil
            }
        }
        var table = PricingTable.Builder()
        var allPaths: [[[Int]]] = []
        allPaths.reserveCapacity(base.dataset.accounts.count)
        for a in base.dataset.accounts.indices {
            let open = base.openTiers[a]
            let today = base.dataset.accounts[a].currentTier != nil ? base.currentTier[a] : nil
            let hasToday = base.dataset.accounts[a].currentTier != nil
            // Per year: the tiers allowed (global ones only where the programme runs), their
            // choices (value and row use) and least effort per pair.
            var allowed: [[Int]] = []
            var choices: [[Int: Formulation.TierChoice]] = []
            for k in 0..<years {
                let tiers = open.filter { programme[k] || !base.model.tiers[$0].isGlobal }
                allowed.append(tiers)
                choices.append(Dictionary(uniqueKeysWithValues: tiers.map { ($0, formulations[k].choice(account: a, tier: $0)) }))
            }
            let paths = Self.paths(allowed, today: today, hasToday: hasToday, most: most)
            if paths.isEmpty { throw Failure.noPath }
            if paths.count > Self.maximumPaths { throw Failure.tooManyPaths }
            let pairsPerYear = roadmap.yearInstances.map { $0.pairs[a] }
            for path in paths {
                var value = 0.0
                var usage: [Int: Double] = [:]
                var minimum: [Double] = []
                for k in 0..<years {
                    let discount = effort.weight[k]
                    let choice = choices[k][path[k]]!
                    value += discount * choice.value
                    let formulation = formulations[k]
                    for i in formulation.tierRows {
                        let coefficient = formulation.coefficient(of: choice, in: formulation.rows[i])
                        if coefficient != 0 { usage[offsets[k] + i, default: 0] += coefficient }
                    }
                    let previous = k == 0 ? today : path[k - 1]
                    if (k > 0 || hasToday) && previous != path[k] {
                        value -= discount * changeCost
                        for (row, coefficient) in changeUsage[k] { usage[row, default: 0] += coefficient }
                    }
                    minimum += pairsPerYear[k].map { choice.minimumCoverage * $0.saturation }
                }
                table.addOption(value: value, usage: usage.keys.sorted().map { ($0, usage[$0]!) }, minimum: minimum)
            }
            allPaths.append(paths)
            var pairs: [(region: Int, curve: ResponseCurve, saturation: Double, potential: Double)] = []
            for k in 0..<years {
                for pair in pairsPerYear[k] {
                    pairs.append((k * regions.count + pair.region, formulations[k].instance.curve, pair.saturation, pair.localPotential))
                }
            }
            table.endAccount(pairs: pairs)
        }
        pricingTable = table.finish()
        paths = allPaths
    }

    /// Every sequence of one allowed tier per year with at most `most` changes (a change is a
    /// tier other than the year before's; year 0 is `today`, when the account has a tier today).
    static func paths(_ allowed: [[Int]], today: Int?, hasToday: Bool, most: Int) -> [[Int]] {
        var result: [[Int]] = []
        var path: [Int] = []
        func extend(_ changes: Int) {
            if result.count > maximumPaths { return }
            let k = path.count
            if k == allowed.count { result.append(path); return }
            for t in allowed[k] {
                let changed = k > 0 ? path[k - 1] != t : hasToday && today != t
                let count = changes + (changed ? 1 : 0)
                if count > most { continue }
                path.append(t)
                extend(count)
                path.removeLast()
            }
        }
        extend(0)
        return result
    }
}
