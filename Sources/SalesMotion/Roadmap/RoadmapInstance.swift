// SPDX-License-Identifier: GPL-3.0-or-later

internal import OutputFiles
internal import InputFiles

/// A roadmap's inputs checked against each other (roadmap.md): today's instance, the years, and
/// every year's instance — that year's revenues, growth potentials, capacities and limits, with
/// the open tiers of today.
public struct RoadmapInstance: Sendable {
    /// Today's instance: the dataset, the model with year 1's values, eligibility, pins.
    public let base: AllocationInstance
    public let settings: RoadmapSettings
    /// `Y`.
    public let years: Int
    /// Year `k`'s instance at index `k − 1`, with no current tiers: the roadmap decides changes
    /// between years itself.
    public let yearInstances: [AllocationInstance]

    /// Checks the roadmap's inputs against the dataset: `[roadmap]` with its years, regions of
    /// `[roadmap.local_capacity_fte]`, saturation scales that grow beyond what the model accepts.
    public init(_ base: AllocationInstance, modelFile: String = "model.toml") throws {
        self.base = base
        var problems = DiagnosticCollector()
        if base.dataset.hasNamedGAMs {
            throw InputError([InputDiagnostic(SourceLocation(file: base.dataset.gams[0].source.file),
                                              "roadmap: named GAMs (gams.csv) are not planned over years in this version; plan the years without gams.csv, then name the leads of year 1 with solve")])
        }
        guard let settings = base.model.roadmap, let years = settings.years else {
            throw InputError([InputDiagnostic(SourceLocation(file: modelFile),
                                              "roadmap: the model file has no [roadmap] with years = Y; add one (see docs/model.md, \"The roadmap\")")])
        }
        self.settings = settings
        self.years = years
        let regionIds = base.dataset.regions.map(\.id)
        var capacities: [Int: [Double]] = [:]
        for entry in settings.localCapacity {
            guard let r = regionIds.firstIndex(of: entry.region) else {
                problems.report(entry.source, "roadmap.local_capacity_fte.\(entry.region): unknown region '\(entry.region)'\(suggestion(for: entry.region, in: regionIds)); regions are \(regionIds.joined(separator: ", "))")
                continue
            }
            capacities[r] = entry.values
        }
        var instances: [AllocationInstance] = []
        for k in 1...years {
            let growth = settings.growthFactor(year: k)
            var dataset = base.dataset
            for a in dataset.accounts.indices {
                dataset.accounts[a].revenue *= growth
                dataset.accounts[a].growthPotential *= growth
                dataset.accounts[a].currentTier = nil
            }
            for (r, values) in capacities { dataset.regions[r].localCapacityFTE = values.count == 1 ? values[0] : values[k - 1] }
            let instance = base.forYear(dataset, base.model.year(k))
            if k == years {
                for (a, pairs) in instance.pairs.enumerated() where pairs.contains(where: { !($0.saturation <= AllocationInstance.largestSaturation) }) {
                    let account = dataset.accounts[a]
                    problems.report(SourceLocation(file: account.source.file, line: account.source.line),
                                    "account '\(account.id)': with market_growth \(formatShort(settings.marketGrowth)) its saturation scale in year \(k) is beyond \(formatShort(AllocationInstance.largestSaturation)) FTE")
                }
            }
            instances.append(instance)
        }
        try problems.throwIfAny()
        yearInstances = instances
    }

    /// Year `k` alone, as `solve` would plan it: year 1 against today's tiers, later years
    /// with no current tiers (for explaining an infeasible roadmap year by year).
    func standaloneInstance(year k: Int) -> AllocationInstance {
        let instance = yearInstances[k - 1]
        guard k == 1 else { return instance }
        var dataset = instance.dataset
        for a in dataset.accounts.indices { dataset.accounts[a].currentTier = base.dataset.accounts[a].currentTier }
        return instance.forYear(dataset, instance.model)
    }

    /// The instance that reports year `k` of a roadmap whose tiers are `tiers[k − 1]` (an index
    /// per account): every account pinned to its tier, its current tier the year before's
    /// (today's in year 1, none when it has none), the year's change cost and limits.
    func reportingInstance(year k: Int, tiers: [[Int]]) throws -> AllocationInstance {
        var dataset = yearInstances[k - 1].dataset
        var model = yearInstances[k - 1].model
        let tierIds = model.tiers.map(\.id)
        for a in dataset.accounts.indices {
            dataset.accounts[a].currentTier = k == 1 ? base.dataset.accounts[a].currentTier : tierIds[tiers[k - 2][a]]
        }
        model.pins = dataset.accounts.indices.map { TierPin(account: dataset.accounts[$0].id, tier: tierIds[tiers[k - 1][$0]]) }
        return try AllocationInstance(dataset: dataset, model: model)
    }
}
