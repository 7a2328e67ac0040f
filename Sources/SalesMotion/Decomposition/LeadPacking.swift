// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import LinearProgramming

/// Names the persons behind a pooled plan (``LeadPools``). First, a GAM without rows of their
/// own whose accounts led by name exceed what they can carry keeps the most of them that fit
/// (the smallest first); the others are led by some GAM of the pool instead, their continuity
/// lost. Then, in each shared pool, the accounts led by "some GAM" are packed onto its GAMs,
/// within what each has left (capacity and account limit): best-fit decreasing (an account's
/// current GAM preferred when it fits: continuity earned on top), and when that leaves an
/// account over, a small MIP decides exactly whether they fit. A pool whose accounts cannot be
/// packed is reported: its total was a relaxation (three accounts of 0.75 FTE do not fit on
/// two people of 1.2 FTE), and the search must run again with the pool split.
struct LeadPacking {
    let instance: AllocationInstance
    let backend: any SolverBackend
    var timeLimit: Double = 10
    var stop: StopSignal?

    enum Outcome {
        /// Every account has its person. `continuity` is the value gained (accounts that
        /// landed on their current GAM) less the value lost (accounts led by name that their
        /// GAM could not carry, the GAMs in `overloaded`) against the pooled plan.
        case named(PlanDecisions, continuity: Double, overloaded: Set<Int>)
        /// The pools whose accounts do not fit on their persons.
        case unpacked(pools: [Int])
    }

    /// The decisions with every lead named, or the pools that could not be packed.
    func name(_ decisions: PlanDecisions) throws -> Outcome {
        guard let pools = instance.leadPools, !decisions.pools.isEmpty else { return .named(decisions, continuity: 0, overloaded: []) }
        let dataset = instance.dataset, tiers = instance.model.tiers
        let continuityValue = instance.model.portfolio.continuityValue
        var named = decisions
        var continuity = 0.0
        func size(_ a: Int) -> Double { tiers[decisions.tiers[a]].gamFTE }
        // Accounts led by name, per GAM; those a GAM without rows of their own cannot carry
        // are led by some GAM of the pool instead.
        var byName = [[Int]](repeating: [], count: dataset.gams.count)
        for (a, gam) in decisions.leads.enumerated() {
            if let gam { byName[gam].append(a) }
        }
        var overloaded = Set<Int>()
        for (g, accounts) in byName.enumerated() where pools.isShared(pools.pool[g]) && !pools.ownRows[g] {
            var capacityLeft = dataset.gams[g].capacityFTE, accountsLeft = dataset.gams[g].maxAccounts ?? Int.max
            var kept: [Int] = []
            for a in accounts.sorted(by: { size($0) < size($1) || (size($0) == size($1) && $0 < $1) }) {
                if accountsLeft > 0 && size(a) <= capacityLeft + Self.tolerance {
                    capacityLeft -= size(a)
                    accountsLeft -= 1
                    kept.append(a)
                } else {
                    overloaded.insert(g)
                    named.leads[a] = nil
                    named.pools[a] = pools.pool[g]
                    if dataset.accounts[a].currentGAM == g { continuity -= continuityValue }
                }
            }
            byName[g] = kept
        }
        // What each GAM has left after the accounts it leads by name.
        var capacityLeft = dataset.gams.map(\.capacityFTE)
        var accountsLeft = dataset.gams.map { $0.maxAccounts ?? Int.max }
        for (g, accounts) in byName.enumerated() {
            for a in accounts {
                capacityLeft[g] -= size(a)
                accountsLeft[g] -= 1
            }
        }
        var waiting = [[Int]](repeating: [], count: pools.members.count)
        for (a, pool) in named.pools.enumerated() {
            if let pool { waiting[pool].append(a) }
        }
        var failed: [Int] = []
        for (c, accounts) in waiting.enumerated() where !accounts.isEmpty {
            let sizes = accounts.map(size)
            let current = accounts.map { dataset.accounts[$0].currentGAM }
            let members = pools.members[c]
            let bins = members.map { (capacity: capacityLeft[$0], accounts: accountsLeft[$0]) }
            guard let placed = try Self.bestFit(sizes: sizes, current: current, members: members, bins: bins)
                ?? exactPacking(sizes: sizes, current: current, members: members, bins: bins)
            else {
                failed.append(c)
                continue
            }
            for (i, a) in accounts.enumerated() {
                named.leads[a] = placed[i]
                named.pools[a] = nil
                if placed[i] == dataset.accounts[a].currentGAM { continuity += continuityValue }
            }
        }
        if !failed.isEmpty { return .unpacked(pools: failed) }
        named.pools = []
        return .named(named, continuity: continuity, overloaded: overloaded)
    }

    /// The most (account, GAM) pairs an exact packing takes as binaries.
    static let largestExactPacking = 200_000

    /// A GAM's capacity is met when the load is within this of it (the program's tolerance).
    static let tolerance = 1e-9

    /// Best-fit decreasing: the largest accounts first, each on its current GAM when it fits,
    /// else on the GAM it leaves the least room on (the first such in team order); nil when an
    /// account is left over.
    static func bestFit(sizes: [Double], current: [Int?], members: [Int],
                        bins: [(capacity: Double, accounts: Int)]) -> [Int]? {
        var left = bins
        var placed = [Int](repeating: -1, count: sizes.count)
        let order = sizes.indices.sorted { sizes[$0] > sizes[$1] || (sizes[$0] == sizes[$1] && $0 < $1) }
        for i in order {
            func fits(_ b: Int) -> Bool { left[b].accounts > 0 && sizes[i] <= left[b].capacity + tolerance }
            var chosen = current[i].flatMap { members.firstIndex(of: $0) }.flatMap { fits($0) ? $0 : nil }
            if chosen == nil {
                for b in left.indices where fits(b) && (chosen == nil || left[b].capacity < left[chosen!].capacity) { chosen = b }
            }
            guard let b = chosen else { return nil }
            left[b].capacity -= sizes[i]
            left[b].accounts -= 1
            placed[i] = members[b]
        }
        return placed
    }

    /// The packing as a MIP (each account on one GAM, every GAM within what it has left), the
    /// current GAMs valued; nil when it has no solution (or none is found in the time).
    func exactPacking(sizes: [Double], current: [Int?], members: [Int],
                      bins: [(capacity: Double, accounts: Int)]) throws -> [Int]? {
        // A pool too large to pack exactly is split instead (its persons then get rows).
        guard sizes.count * members.count <= Self.largestExactPacking else { return nil }
        var program = LinearProgram(sense: .maximize)
        let x = sizes.indices.map { i in
            members.map { g in program.addBinaryVariable(name: "x[\(i),\(g)]", objective: current[i] == g ? 1 : 0) }
        }
        for i in sizes.indices { program.addConstraint(terms: x[i].map { ($0, 1) }, lower: 1, upper: 1) }
        for b in members.indices {
            program.addConstraint(terms: sizes.indices.map { (x[$0][b], sizes[$0]) }, upper: max(0, bins[b].capacity + Self.tolerance))
            if bins[b].accounts < sizes.count {
                program.addConstraint(terms: sizes.indices.map { (x[$0][b], 1) }, upper: Double(max(0, bins[b].accounts)))
            }
        }
        let result = try backend.makeSession(program).solve(options: SolveOptions(relativeGap: 1, timeLimit: timeLimit, stop: stop))
        guard result.termination.hasSolution else { return nil }
        return sizes.indices.map { i in members[x[i].indices.max { result.variableValues[x[i][$0].rawValue] < result.variableValues[x[i][$1].rawValue] }!] }
    }
}
