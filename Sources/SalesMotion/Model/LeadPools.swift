// SPDX-License-Identifier: GPL-3.0-or-later

/// The GAM team pooled, for the decomposition of a dataset with a named team (portfolios.md).
///
/// At first the GAMs of one region are one pool: one capacity row with their total FTE (and
/// one account-limit row, when every one of them has a limit). An account may be led by its
/// current GAM by name — continuity earned, the load on the pool's rows (and on the person's own
/// rows, when the person has them) — or by "some GAM" of a pool, the load on the pool's rows
/// only; a pinned GAM always has rows of their own. Every plan of the exact model is a plan of
/// the pooled one with the same value, so the pooled optimum and its bounds bound the exact ones.
///
/// A pooled plan becomes a plan of the exact model in a last step (``LeadPacking``): an account
/// led by name beyond what its GAM can carry is led by some GAM of the pool instead (its
/// continuity lost), and the accounts led by some GAM are packed onto the pool's persons. When
/// the packing fails, or the continuity lost opens the gap, the pools are refined
/// (``Refinement``) and the search runs again: a region's pool splits by capacity and account
/// limit, then into persons; an overloaded GAM gets rows of their own. With every GAM alone the
/// model is the exact one.
struct LeadPools: Sendable, Hashable {
    /// How far the pools have been split.
    struct Refinement: Sendable, Hashable {
        /// Regions whose GAMs pool by capacity and account limit rather than as one.
        var regionsByClass: Set<Int> = []
        /// GAMs alone: their rows are their pool's.
        var apart: Set<Int> = []
        /// GAMs in a shared pool with rows of their own (their accounts led by name overflowed).
        var ownRows: Set<Int> = []

        var isEmpty: Bool { regionsByClass.isEmpty && apart.isEmpty && ownRows.isEmpty }

        func union(_ other: Refinement) -> Refinement {
            Refinement(regionsByClass: regionsByClass.union(other.regionsByClass), apart: apart.union(other.apart),
                       ownRows: ownRows.union(other.ownRows))
        }
    }

    /// The pool of each GAM.
    let pool: [Int]
    /// The GAMs of each pool, in team order.
    let members: [[Int]]
    /// Whether a GAM of a shared pool has rows of their own (pinned, or in ``Refinement/ownRows``).
    let ownRows: [Bool]

    init(_ dataset: Dataset, pinnedGAM: [Int?], refinement: Refinement) {
        struct Key: Hashable { var region: Int; var capacity: Double?; var maxAccounts: Int?; var alone: Int? }
        var index: [Key: Int] = [:]
        var pool: [Int] = [], members: [[Int]] = []
        for (g, gam) in dataset.gams.enumerated() {
            let byClass = refinement.regionsByClass.contains(gam.homeRegion)
            let key = refinement.apart.contains(g) ? Key(region: gam.homeRegion, alone: g)
                : Key(region: gam.homeRegion, capacity: byClass ? gam.capacityFTE : nil, maxAccounts: byClass ? gam.maxAccounts : nil)
            if let c = index[key] {
                pool.append(c)
                members[c].append(g)
            } else {
                index[key] = members.count
                pool.append(members.count)
                members.append([g])
            }
        }
        var ownRows = [Bool](repeating: false, count: dataset.gams.count)
        for gam in Array(refinement.ownRows) + pinnedGAM.compactMap({ $0 }) where members[pool[gam]].count > 1 {
            ownRows[gam] = true
        }
        self.pool = pool
        self.members = members
        self.ownRows = ownRows
    }

    /// Whether pool `c` holds several GAMs (else its one person's rows are its own).
    func isShared(_ c: Int) -> Bool { members[c].count > 1 }

    /// Whether any pool holds several GAMs (else the pooled model is the exact one).
    var poolsAny: Bool { members.contains { $0.count > 1 } }

    /// The pool's total capacity.
    func capacity(of c: Int, in dataset: Dataset) -> Double {
        members[c].reduce(0) { $0 + dataset.gams[$1].capacityFTE }
    }

    /// The pool's total account limit; nil when one of its GAMs has none.
    func maxAccounts(of c: Int, in dataset: Dataset) -> Int? {
        members[c].reduce(0 as Int?) { total, g in total.flatMap { total in dataset.gams[g].maxAccounts.map { total + $0 } } }
    }

    /// The refinement that splits pool `c` one step: a region's pool by class (when its GAMs
    /// differ), a class into persons.
    func splitting(_ c: Int, in dataset: Dataset, _ current: Refinement) -> Refinement {
        let gams = members[c].map { dataset.gams[$0] }
        let region = gams[0].homeRegion
        let classes = Set(gams.map { "\($0.capacityFTE)/\($0.maxAccounts ?? -1)" })
        var next = Refinement()
        if !current.regionsByClass.contains(region) && classes.count > 1 {
            next.regionsByClass = [region]
        } else {
            next.apart = Set(members[c])
        }
        return next
    }
}

/// Who leads an account in a global tier: a named GAM, or "some GAM" of a shared pool.
struct Lead: Hashable, Sendable {
    /// The person, when named.
    var gam: Int?
    /// The pool the load goes to (pooled model only).
    var pool: Int?
}

extension AllocationInstance {
    /// This instance with its GAMs pooled (``LeadPools``) as far as `refinement` has split
    /// them; the instance itself when it names no GAMs or no two GAMs pool.
    func pooledLeads(_ refinement: LeadPools.Refinement = .init()) -> AllocationInstance {
        guard dataset.hasNamedGAMs else { return self }
        let pools = LeadPools(dataset, pinnedGAM: pinnedGAM, refinement: refinement)
        guard pools.poolsAny else { return self }
        var copy = self
        copy.leadPools = pools
        return copy
    }

    /// Who may lead account `a` in tier `t`: nil alone unless the tier is global and the dataset
    /// names its GAMs; then the pinned GAM, or every GAM — pooled: its current GAM by name and
    /// some GAM of each shared pool, and the one GAM of each other pool.
    func leadCandidates(account a: Int, tier t: Int) -> [Lead?] {
        guard model.tiers[t].isGlobal, !dataset.gams.isEmpty else { return [nil] }
        guard let pools = leadPools else {
            if let pinned = pinnedGAM[a] { return [Lead(gam: pinned)] }
            return dataset.gams.indices.map { Lead(gam: $0) }
        }
        if let pinned = pinnedGAM[a] { return [Lead(gam: pinned, pool: pools.pool[pinned])] }
        let current = dataset.accounts[a].currentGAM
        var leads: [Lead?] = []
        for c in pools.members.indices {
            guard pools.isShared(c) else {
                leads.append(Lead(gam: pools.members[c][0], pool: c))
                continue
            }
            if let current, pools.pool[current] == c { leads.append(Lead(gam: current, pool: c)) }
            leads.append(Lead(gam: nil, pool: c))
        }
        return leads
    }
}
