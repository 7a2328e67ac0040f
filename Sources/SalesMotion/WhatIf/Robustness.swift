// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import InputFiles
internal import OutputFiles

/// How sure is the plan (scenarios.md, "Robustness"): the soft inputs sampled around their
/// estimates, and in every sampled world the optimal plan and the committed plan — the base
/// plan's tiers (and leads) fixed as pins, local effort re-optimised.
public struct Robustness: Sendable {
    /// The inputs that are estimates, and how wrong they may be.
    public enum SoftColumn: String, CaseIterable, Sendable, Hashable {
        case growthPotential = "growth_potential"
        case centralShare = "central_share"
        case competition
        case fit
        case productivity

        /// The default spread `f`: the 90 % interval of a factor is `[1/(1+f), 1+f]`.
        public var defaultSpread: Double {
            switch self {
            case .growthPotential: return 0.3
            case .centralShare: return 0.2
            case .competition: return 0.2
            case .fit: return 0.1
            case .productivity: return 0.15
            }
        }

        /// A share, clipped to 0…1 after sampling.
        var isFraction: Bool { self == .centralShare || self == .competition || self == .fit }
    }

    public struct Settings: Sendable {
        public var samples = 200
        public var seed: UInt64 = 1
        public var spreads: [SoftColumn: Double] = Dictionary(uniqueKeysWithValues: SoftColumn.allCases.map { ($0, $0.defaultSpread) })
        public init() {}

        /// The most samples a run takes.
        public static let maximumSamples = 100_000
        /// The largest spread accepted (a factor's 90 % interval up to [1/11, 11]).
        public static let maximumSpread = 10.0

        /// Sets a spread from `--spread column=fraction`; an ``InputError`` at `--spread` for an
        /// unknown column or a fraction that is not a number in 0…10.
        public mutating func setSpread(_ text: String) throws {
            let location = SourceLocation(file: "--spread")
            let parts = text.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            let names = SoftColumn.allCases.map(\.rawValue)
            guard parts.count == 2 else {
                throw InputError([InputDiagnostic(location, "expected column=fraction, e.g. growth_potential=0.3; got '\(TerminalText.escaped(text))'")])
            }
            guard let column = SoftColumn(rawValue: parts[0]) else {
                throw InputError([InputDiagnostic(location, "'\(TerminalText.escaped(parts[0]))' is not a soft input\(suggestion(for: parts[0], in: names)); the soft inputs are \(names.joined(separator: ", "))")])
            }
            guard let value = Double(parts[1]), value.isFinite, value >= 0, value <= Self.maximumSpread else {
                throw InputError([InputDiagnostic(location, "\(parts[0]): expected a fraction from 0 to \(formatShort(Self.maximumSpread)) (0.3 = the 90 % interval [1/1.3, 1.3]); got '\(TerminalText.escaped(parts[1]))'")])
            }
            spreads[column] = value
        }
    }

    /// What one sampled world gave.
    public struct Sample: Sendable {
        public var index: Int
        /// The sampled world's optimum (nil when none was found or the world is invalid).
        public var status: String
        public var optimal: Double?
        /// The tier of each account in the sampled world's optimum.
        public var tiers: [Int]?
        /// The committed plan's net contribution in that world; nil when it breaks a limit.
        public var committed: Double?
        /// The limits the committed plan breaks in that world (named as in reports).
        public var brokenLimits: [String]
        /// An invalid sampled world: why.
        public var message: String?

        public var regret: Double? {
            guard let optimal, let committed else { return nil }
            return max(0, optimal - committed)
        }
    }

    /// The run's time limit passed before every sample was solved: nothing is a result.
    public struct OutOfTime: Error, CustomStringConvertible {
        public var sample: Int, samples: Int
        public var description: String {
            "the robustness run reached its time limit before sample \(sample) of \(samples); give it more time (--time-limit) or fewer samples (--samples)"
        }
    }

    public var settings: Settings
    public var base: AllocationInstance
    public var basePlan: StaffingPlan
    public var samples: [Sample]

    /// The factor's log-normal scale: `ln(1+f)` over the 95th percentile of the standard normal.
    static func sigma(_ spread: Double) -> Double { log1p(spread) / 1.6448536269514722 }

    /// The dataset of sample `index` (0-based): every account's soft values, and every region's
    /// productivity, times a factor of their own; shares clipped to 0…1. Each sample draws
    /// from its own stream (seed, index), in account order, then region order, every column
    /// drawn whatever its spread: the same seed gives the same worlds on any number of threads.
    public static func sampledDataset(_ dataset: Dataset, settings: Settings, index: Int) -> Dataset {
        var random = SplitMix64(seed: settings.seed, stream: UInt64(index))
        var sampled = dataset
        func factor(_ column: SoftColumn) -> Double {
            // Box–Muller from (0, 1) draws (the cosine of one pair).
            let u = random.openUnit(), v = random.openUnit()
            let z = (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
            return exp(sigma(settings.spreads[column] ?? 0) * z)
        }
        func apply(_ value: Double, _ column: SoftColumn) -> Double {
            let scaled = value * factor(column)
            return column.isFraction ? min(1, max(0, scaled)) : scaled
        }
        for a in sampled.accounts.indices {
            sampled.accounts[a].growthPotential = apply(sampled.accounts[a].growthPotential, .growthPotential)
            sampled.accounts[a].centralShare = apply(sampled.accounts[a].centralShare, .centralShare)
            sampled.accounts[a].competition = apply(sampled.accounts[a].competition, .competition)
            sampled.accounts[a].fit = apply(sampled.accounts[a].fit, .fit)
        }
        for r in sampled.regions.indices {
            sampled.regions[r].productivity = apply(sampled.regions[r].productivity, .productivity)
        }
        return sampled
    }

    /// The committed plan's pins: every account in its base tier, led by its base GAM.
    static func commitments(_ plan: StaffingPlan, _ instance: AllocationInstance) -> [TierPin] {
        plan.accounts.map { staffing in
            TierPin(account: instance.dataset.accounts[staffing.account].id, tier: instance.model.tiers[staffing.tier].id,
                    gam: staffing.leadGAM.map { instance.dataset.gams[$0].id },
                    source: SourceLocation(file: "committed plan"))
        }
    }

    /// Runs `settings.samples` sampled worlds of `instance` whose plan is `basePlan`, on
    /// `workers` threads; `progress` gets the number of samples done.
    public static func run(_ instance: AllocationInstance, basePlan: StaffingPlan, settings: Settings, workers: Int,
                           options: PlanningOptions, progress: (@Sendable (Int) -> Void)? = nil) throws -> Robustness {
        var committing = instance.model
        committing.pins = commitments(basePlan, instance)
        let model = instance.model, dataset = instance.dataset, committedModel = committing
        let samples = try ContiguousRuns.run(count: settings.samples, workers: workers, backend: options.backend,
                                             progress: progress) { (range, store: (Int, Sample) -> Void) in
            // A sample is not started with less time left than this worker's quickest one took: it
            // would end past the deadline, or with its solves cut short (100,000 accounts, 50
            // samples, an 8 s limit: 8.35 s without this). The quickest, so that one hard world
            // does not end a run that had time for easier ones.
            var quickest = 0.0
            for index in range {
                if options.stop?.isRequested == true { throw PlanningInterrupted() }
                if options.isPastDeadline || options.deadline.map({ $0.timeIntervalSinceNow < quickest }) == true {
                    throw OutOfTime(sample: index + 1, samples: settings.samples)
                }
                let start = Date()
                store(index, try Self.sample(index, of: settings.samples,
                                             dataset: sampledDataset(dataset, settings: settings, index: index),
                                             model: model, committedModel: committedModel, options: options))
                let took = Date().timeIntervalSince(start)
                quickest = quickest == 0 ? took : min(quickest, took)
            }
        }
        return Robustness(settings: settings, base: instance, basePlan: basePlan, samples: samples)
    }

    /// One sampled world (`index` of `samples`): its optimum and the committed plan in it. Past
    /// the deadline between its solves it stops (``OutOfTime``): each solve builds its program
    /// before it looks at the clock (0.5 s at 100,000 accounts).
    static func sample(_ index: Int, of samples: Int, dataset: Dataset, model: AllocationModel, committedModel: AllocationModel,
                       options: PlanningOptions) throws -> Sample {
        let world: AllocationInstance, committedWorld: AllocationInstance
        do {
            world = try AllocationInstance(dataset: dataset, model: model)
            committedWorld = try AllocationInstance(dataset: dataset, model: committedModel)
        } catch let error as InputError {
            return Sample(index: index, status: "invalid", brokenLimits: [], message: error.description)
        }
        let optimum = try AllocationPlanner.solve(world, options: options)
        if options.isPastDeadline { throw OutOfTime(sample: index + 1, samples: samples) }
        let committed = try AllocationPlanner.solve(committedWorld, options: options)
        var broken: [String] = []
        if committed.status == .infeasible {
            let diagnosis = try InfeasibilityDiagnosis.diagnose(committedWorld, options: options)
            broken = diagnosis.relaxations.map(\.name)
        }
        var sample = Sample(index: index, status: optimum.status.rawValue, optimal: optimum.plan?.netContribution,
                            tiers: optimum.plan?.accounts.map(\.tier), committed: committed.plan?.netContribution,
                            brokenLimits: broken)
        // The committed plan is a plan of this world: when the search (within its gap) found a
        // lesser one, the committed plan is the better optimum.
        if let plan = committed.plan, plan.netContribution > (sample.optimal ?? -.infinity) {
            sample.optimal = plan.netContribution
            sample.tiers = plan.accounts.map(\.tier)
            if optimum.plan == nil { sample.status = committed.status.rawValue }
        }
        return sample
    }

    // MARK: - Figures

    /// Per account, the share of samples with an optimum in which each tier is optimal.
    public var tierShares: [[Double]] {
        let solved = samples.compactMap(\.tiers)
        let tiers = base.model.tiers.count
        return base.dataset.accounts.indices.map { a in
            var counts = [Int](repeating: 0, count: tiers)
            for plan in solved { counts[plan[a]] += 1 }
            return counts.map { solved.isEmpty ? 0 : Double($0) / Double(solved.count) }
        }
    }

    /// The share of samples at which an account's base tier must be optimal to call it robust.
    public static let robustShare = 0.8

    /// Whether each account's base tier is optimal in at least 80 % of the samples.
    public var robust: [Bool] {
        let shares = tierShares
        return basePlan.accounts.map { shares[$0.account][$0.tier] >= Self.robustShare - 1e-12 }
    }

    /// P10, P50, P90 of `values` (linear between order statistics); nil without values.
    public static func percentiles(_ values: [Double]) -> (p10: Double, p50: Double, p90: Double)? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        func at(_ p: Double) -> Double {
            let h = p * Double(sorted.count - 1), low = Int(h.rounded(.down))
            guard low + 1 < sorted.count else { return sorted[low] }
            return sorted[low] + (h - Double(low)) * (sorted[low + 1] - sorted[low])
        }
        return (at(0.1), at(0.5), at(0.9))
    }
}
