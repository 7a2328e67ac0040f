// SPDX-License-Identifier: GPL-3.0-or-later

/// Interchangeable GAMs pooled, for the decomposition of a dataset with a named team
/// (portfolios.md).
///
/// GAMs with the same home region, capacity and account limit differ only in whom they lead
/// today (or are pinned to lead). The pooled model keeps one capacity row (and one account-limit
/// row) per pool, with the pool's total, and a row of their own only for the GAMs that lead some
/// account by name: an account may be led by its current (or pinned) GAM — continuity earned,
/// the load on that person's rows and the pool's — or by "some GAM of a pool", the load on the
/// pool's rows only. Every plan of the exact model is a plan of the pooled one with the same
/// value, so the pooled optimum and its bounds bound the exact ones; a pooled plan is a plan of the
/// exact model once the accounts led by "some GAM" of each pool fit on its persons
/// (``LeadPacking``), and then it is worth at least as much. A pool whose accounts do not fit
/// is split into its persons and the search runs again.
///
/// Without pooling (a singleton pool) the person's rows are the pool's: every choice names
/// the person, as in the exact model.
struct LeadPools: Sendable, Hashable {
    /// The pool of each GAM.
    let pool: [Int]
    /// The GAMs of each pool, in team order.
    let members: [[Int]]
    /// Whether a GAM of a pool of several leads an account by name (current GAM or pin): it
    /// keeps rows of its own.
    let named: [Bool]

    /// The pools of `dataset`'s team; the GAMs in `apart` stay alone.
    init(_ dataset: Dataset, pinnedGAM: [Int?], apart: Set<Int>) {
        struct Key: Hashable { var region: Int; var capacity: Double; var maxAccounts: Int? }
        var index: [Key: Int] = [:]
        var pool: [Int] = [], members: [[Int]] = []
        for (g, gam) in dataset.gams.enumerated() {
            if apart.contains(g) {
                pool.append(members.count)
                members.append([g])
                continue
            }
            let key = Key(region: gam.homeRegion, capacity: gam.capacityFTE, maxAccounts: gam.maxAccounts)
            if let c = index[key] {
                pool.append(c)
                members[c].append(g)
            } else {
                index[key] = members.count
                pool.append(members.count)
                members.append([g])
            }
        }
        var named = [Bool](repeating: false, count: dataset.gams.count)
        for gam in dataset.accounts.compactMap(\.currentGAM) + pinnedGAM.compactMap({ $0 }) where members[pool[gam]].count > 1 {
            named[gam] = true
        }
        self.pool = pool
        self.members = members
        self.named = named
    }

    /// Whether pool `c` holds several GAMs (else its one person's rows are its own).
    func isShared(_ c: Int) -> Bool { members[c].count > 1 }

    /// Whether any pool holds several GAMs (else the pooled model is the exact one).
    var poolsAny: Bool { members.contains { $0.count > 1 } }

    /// The pool's total capacity, and its total account limit (nil when its GAMs have none).
    func capacity(of c: Int, in dataset: Dataset) -> Double {
        members[c].reduce(0) { $0 + dataset.gams[$1].capacityFTE }
    }

    func maxAccounts(of c: Int, in dataset: Dataset) -> Int? {
        dataset.gams[members[c][0]].maxAccounts.map { $0 * members[c].count }
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
    /// This instance with interchangeable GAMs pooled (``LeadPools``), the GAMs in `apart` kept
    /// alone; the instance itself when it names no GAMs or no two GAMs pool.
    func pooledLeads(apart: Set<Int> = []) -> AllocationInstance {
        guard dataset.hasNamedGAMs else { return self }
        let pools = LeadPools(dataset, pinnedGAM: pinnedGAM, apart: apart)
        guard pools.poolsAny else { return self }
        var copy = self
        copy.leadPools = pools
        return copy
    }

    /// Who may lead account `a` in tier `t`: nil alone unless the tier is global and the dataset
    /// names its GAMs; then the pinned GAM, or every GAM — pooled: its current GAM by name and
    /// some GAM of each shared pool, or the one GAM of each other pool.
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
