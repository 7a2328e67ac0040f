// SPDX-License-Identifier: GPL-3.0-or-later


/// The allocation seen as one small block per account tied together by a few limits (the
/// "linking rows"), with everything the decomposition needs precomputed in flat arrays, all
/// taken from the ``Formulation``.
///
/// With the programme decision fixed (`programmeActive`), the model separates: each account
/// chooses a tier and its local effort alone, except for the linking rows — every limit row
/// of the formulation.
struct LinkingStructure: BlockStructure {
    typealias Sense = Formulation.Sense

    struct TierOption {
        var choice: Formulation.TierChoice
        var tier: Int { choice.tier }
        /// Objective value of the tier part (``Formulation/TierChoice/value``).
        var value: Double { choice.value }
        var isGlobal: Bool { choice.isGlobal }
        /// Minimum local FTE in each footprint pair (`min_local_coverage · s`).
        var minimumFTE: [Double]
    }

    /// A footprint pair; its response segments live in the pricing table (one copy for all).
    struct Pair {
        var region: Int
        var saturation: Double
        let table: PricingTable
        /// The pair's index in the table.
        let index: Int

        /// Width in FTE and revenue per FTE of each response segment (empty when s = 0).
        var widths: [Double] {
            let segments = table.segments
            return segmentRange.map { segments.width($0, pair: index) }
        }
        var revenuePerFTE: [Double] {
            let segments = table.segments
            return segmentRange.map { segments.revenuePerFTE($0, pair: index) }
        }
        var segmentRange: Range<Int> { table.segmentStart[index]..<table.segmentStart[index + 1] }
        var hasSegments: Bool { table.segmentStart[index] < table.segmentStart[index + 1] }
    }

    private(set) var instance: AllocationInstance
    private(set) var formulation: Formulation
    let programmeActive: Bool
    var kinds: [LimitKind] { formulation.rows.map(\.kind) }
    var senses: [Sense] { formulation.rows.map(\.sense) }
    var rightHandSides: [Double] = []
    var margins: [Double] = []
    /// Objective constant of the case (minus the programme cost when it runs).
    var constant = 0.0
    /// How effort enters rows and objective: one class per region, one group (weight 1).
    private(set) var effort = EffortClasses()
    /// The blocks in flat arrays for ``BlockPricing``.
    private(set) var pricingTable = PricingTable()

    /// Nil when the case is impossible (an account has no option, e.g. it is pinned to a
    /// global tier while the programme is off). `sibling`, the structure of the other programme
    /// case of the same instance, lends its footprint pairs and segments (they do not depend on
    /// the programme): at a million accounts they are hundreds of megabytes.
    init?(instance: AllocationInstance, programmeActive: Bool, sibling: LinkingStructure? = nil) {
        self.instance = instance
        self.programmeActive = programmeActive
        let formulation = Formulation(instance: instance)
        self.formulation = formulation
        let rows = formulation.rows
        constant = -(programmeActive ? instance.model.costs.programmeFixedCost : 0)
        rightHandSides = rows.map { formulation.bound(of: $0, programmeActive: programmeActive) }
        effort.costWeights = rows.map { formulation.costWeight(in: $0) }
        effort.revenueWeights = rows.map { formulation.revenueWeight(in: $0) }
        let weighted = rows.indices.filter { effort.costWeights[$0] != 0 || effort.revenueWeights[$0] != 0 }
        effort.weight = [1]
        effort.rows = [weighted]
        effort.cost = instance.dataset.regions.map(\.localFTECost)
        effort.group = instance.dataset.regions.map { _ in 0 }
        effort.capacityRow = [Int](repeating: -1, count: instance.dataset.regions.count)
        for (i, row) in rows.enumerated() {
            if let r = formulation.capacityRegion(of: row) { effort.capacityRow[r] = i }
        }
        let shared = sibling.map { $0.instance.dataset.accounts.count == instance.dataset.accounts.count ? $0 : nil } ?? nil
        let pairCount = instance.pairs.reduce(0) { $0 + $1.count }
        var table = PricingTable.Builder(sharingPairsOf: shared?.pricingTable, accounts: instance.pairs.count, pairs: pairCount)
        for a in instance.dataset.accounts.indices {
            margins.append(instance.dataset.accounts[a].margin)
            let keys = optionKeys(a)
            if keys.isEmpty { return nil }
            for key in keys {
                let choice = formulation.choice(account: a, tier: key.tier, lead: key.lead)
                // The option's coefficient in every linking row goes to the pricing table only.
                table.addOption(value: choice.value, usage: formulation.tierRows.map { i in
                    (i, formulation.coefficient(of: choice, in: rows[i]))
                }, minimum: instance.pairs[a].map { choice.minimumCoverage * $0.saturation })
            }
            table.endAccount(pairs: shared != nil ? [] : instance.pairs[a].map { ($0.region, instance.curve, $0.saturation, $0.localPotential) })
        }
        pricingTable = table.finish()
    }

    /// Account `a`'s open tier options (global tiers left out when the programme is off), in
    /// the pricing table's order. Computed when asked: kept for every account of a million,
    /// they were half the peak memory.
    func options(_ a: Int) -> [TierOption] {
        optionKeys(a).map { makeOption(a, $0.tier, $0.lead) }
    }

    /// Option `o` of account `a`, without making the others.
    func option(_ a: Int, _ o: Int) -> TierOption {
        let (tier, lead) = optionKey(a, o)
        return makeOption(a, tier, lead)
    }

    private func makeOption(_ a: Int, _ tier: Int, _ lead: Lead?) -> TierOption {
        let choice = formulation.choice(account: a, tier: tier, lead: lead)
        return TierOption(choice: choice, minimumFTE: instance.pairs[a].map { choice.minimumCoverage * $0.saturation })
    }

    /// The tier and lead of every option of account `a`, in the pricing table's order.
    func optionKeys(_ a: Int) -> [(tier: Int, lead: Lead?)] {
        var keys: [(tier: Int, lead: Lead?)] = []
        eachOptionKey(a) { _, tier, lead in
            keys.append((tier, lead))
            return true
        }
        return keys
    }

    /// The tier and lead of option `o` of account `a` (what a plan's decisions keep).
    func optionKey(_ a: Int, _ o: Int) -> (tier: Int, lead: Lead?) {
        var found: (tier: Int, lead: Lead?)?
        eachOptionKey(a) { index, tier, lead in
            if index == o { found = (tier, lead) }
            return index < o
        }
        guard let found else { preconditionFailure("account \(a) has no option \(o)") }
        return found
    }

    /// The one enumeration every option index refers to: account `a`'s open tiers in order
    /// (global ones only when the programme runs), a global tier once per lead
    /// (``AllocationInstance/leadCandidates(account:tier:)``); `body` gets each option's index,
    /// tier and lead until it returns false.
    private func eachOptionKey(_ a: Int, _ body: (Int, Int, Lead?) -> Bool) {
        var index = 0
        let tiers = instance.model.tiers, namesGAMs = !instance.dataset.gams.isEmpty
        for t in instance.openTiers[a] where programmeActive || !tiers[t].isGlobal {
            // One option, led by nobody: what `leadCandidates` says, without its array (a plan's
            // decisions look up every account's option).
            guard namesGAMs, tiers[t].isGlobal else {
                if !body(index, t, nil) { return }
                index += 1
                continue
            }
            for lead in instance.leadCandidates(account: a, tier: t) {
                if !body(index, t, lead) { return }
                index += 1
            }
        }
    }

    /// Account `a`'s footprint pairs, their segments in the pricing table.
    func pairs(_ a: Int) -> [Pair] {
        (pricingTable.pairStart[a]..<pricingTable.pairStart[a + 1]).map { p in
            // The saturation scale, 0 when no effort can be placed (the pair has no segments).
            Pair(region: pricingTable.pairClass[p],
                 saturation: pricingTable.segmentStart[p] < pricingTable.segmentStart[p + 1] ? pricingTable.pairSaturation[p] : 0,
                 table: pricingTable, index: p)
        }
    }

    /// The most footprint pairs of any account.
    var mostPairs: Int { pricingTable.mostPairs }

    /// This structure for `instance`, which differs from its own only in the bounds of limit
    /// rows (``AllocationInstance/withLimits(of:_:)``): the accounts' blocks stay, the
    /// right-hand sides are those of `instance`.
    func withBounds(of instance: AllocationInstance) -> LinkingStructure {
        var copy = self
        copy.instance = instance
        copy.formulation = Formulation(instance: instance)
        copy.rightHandSides = copy.formulation.rows.map { copy.formulation.bound(of: $0, programmeActive: programmeActive) }
        return copy
    }

    var rowCount: Int { formulation.rows.count }

    /// The rows any account may draw on: all but the own rows of named GAMs in shared pools
    /// (``LeadPools``), which only the accounts they lead by name draw on.
    var broadRowCount: Int {
        guard let pools = instance.leadPools else { return rowCount }
        return kinds.filter { kind in
            switch kind {
            case .gamCapacity(let g), .gamMaxAccounts(let g): return !pools.isShared(pools.pool[g])
            default: return true
            }
        }.count
    }

    /// Option `o` of account `a`'s nonzero coefficients in the linking rows, in row order.
    func sparseUsage(account a: Int, option o: Int) -> LazyMapSequence<Range<Int>, (row: Int, coefficient: Double)> {
        let table = pricingTable, option = table.optionStart[a] + o
        return (table.usageStart[option]..<table.usageStart[option + 1]).lazy.map { (table.usageRow[$0], table.usageCoefficient[$0]) }
    }

    /// Option `o` of account `a`'s least effort in its pair `e` (FTE).
    func minimumFTE(account a: Int, option o: Int, pair e: Int) -> Double {
        pricingTable.minimum[pricingTable.minimumStart[pricingTable.optionStart[a] + o] + e]
    }

    var accountCount: Int { margins.count }

}

extension ProgramBuilder {
    /// Fixes `fte` of effort on flat pair `p` (of class `region`) of an account with `margin`,
    /// its revenue filled into the pair's `segments` in order straight from the pricing table
    /// (as ``fixEffort(account:pair:fte:)`` does from the formulation, without making them).
    mutating func fixEffort(_ segments: PricingTable.Segments, pair p: Int, region: Int, margin: Double, cost: Double, fte: Double) {
        guard fte > 0 else { return }
        fixEffort(margin: margin, region: region, cost: cost, fte: fte, revenue: segments.revenue(pair: p, fte: fte))
    }
}
