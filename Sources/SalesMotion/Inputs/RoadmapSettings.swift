// SPDX-License-Identifier: GPL-3.0-or-later

public import InputFiles
internal import OutputFiles

/// The multi-year plan's settings: the model file's `[roadmap]` section (roadmap.md).
public struct RoadmapSettings: Sendable, Hashable {
    /// The most years a roadmap plans (each year repeats the whole single-year model).
    public static let maximumYears = 30

    /// `Y`; nil when the section does not give it (an input error for `roadmap`).
    public var years: Int?
    /// `r`: year `k` counts `(1 + r)^-(k-1)`.
    public var discountRate: Double = 0
    /// `g`: revenue and growth potential grow by this each year.
    public var marketGrowth: Double = 0
    /// Tier changes of one account over the horizon, when limited.
    public var maxChangesPerAccount: Int?
    /// `[roadmap.local_capacity_fte]`: a region's capacity year by year, in the file's order.
    public var localCapacity: [RegionCapacity] = []

    /// One entry of `[roadmap.local_capacity_fte]`.
    public struct RegionCapacity: Sendable, Hashable {
        /// The region id as written.
        public var region: String
        /// One value per year, or one value for every year.
        public var values: [Double]
        public var source: SourceLocation

        public init(region: String, values: [Double], source: SourceLocation) {
            (self.region, self.values, self.source) = (region, values, source)
        }
    }

    public init(years: Int? = nil, discountRate: Double = 0, marketGrowth: Double = 0,
                maxChangesPerAccount: Int? = nil, localCapacity: [RegionCapacity] = []) {
        self.years = years
        self.discountRate = discountRate
        self.marketGrowth = marketGrowth
        self.maxChangesPerAccount = maxChangesPerAccount
        self.localCapacity = localCapacity
    }

    /// Year `k`'s weight in the objective, `(1 + r)^-(k-1)` (years count from 1).
    public func discountFactor(year k: Int) -> Double {
        pow1p(discountRate, -(k - 1))
    }

    /// Year `k`'s growth factor for revenue and growth potential, `(1 + g)^(k-1)`.
    public func growthFactor(year k: Int) -> Double {
        pow1p(marketGrowth, k - 1)
    }

    /// `(1 + x)^n` by repeated multiplication: the same bytes on every machine.
    private func pow1p(_ x: Double, _ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(n) { result *= 1 + x }
        return n < 0 ? 1 / result : result
    }
}

extension AllocationModel {
    /// `[roadmap]`, created with `initial` when the model has none (for key setters).
    subscript(roadmap initial: RoadmapSettings) -> RoadmapSettings {
        get { roadmap ?? initial }
        set { roadmap = newValue }
    }

    /// The keys that may be given year by year (an array of `Y` values): every `[limits]` key
    /// and `transition.max_changes`.
    static func takesYearValues(_ key: KeySchema.Key) -> Bool {
        key.section == "limits" || key.path == "transition.max_changes"
    }

    /// The keys the model file gives year by year, in the schema's order.
    public var yearByYearKeys: [String] {
        KeySchema.keys.filter { yearValues[$0.path] != nil || ($0.kind == .band && yearBands != nil) }.map(\.path)
    }

    /// The model of year `k` (from 1): every year-by-year key at that year's value. Year 1 is
    /// the model itself (its single-year fields hold year 1's values).
    public func year(_ k: Int) -> AllocationModel {
        var model = self
        for (path, values) in yearValues {
            guard let key = KeySchema.keys.first(where: { $0.path == path }), values.indices.contains(k - 1) else { continue }
            key.set(&model, 0, values[k - 1])
        }
        if let bands = yearBands, bands.indices.contains(k - 1) { model.limits.globalShare = bands[k - 1] }
        return model
    }

    /// What a single-year command tells the user about a model written for a roadmap; nil when
    /// the model has no year-by-year values and no `[roadmap]`.
    public var singleYearNotice: String? {
        let keys = yearByYearKeys
        if !keys.isEmpty {
            return "\(keys.joined(separator: ", ")) \(keys.count == 1 ? "is" : "are") given year by year: this command plans year 1 with "
                + "\(keys.count == 1 ? "its" : "their") first value\(roadmap != nil ? " and ignores [roadmap]" : ""); `salesmotion roadmap` plans the years"
        }
        if roadmap != nil { return "this command plans one year and ignores [roadmap]; `salesmotion roadmap` plans the years" }
        return nil
    }

    /// The rules of `[roadmap]` and of year-by-year values that involve the model alone.
    func validateRoadmap(_ report: (String, String) -> Void) {
        if let roadmap {
            if roadmap.years == nil { report("roadmap.years", "required key is missing (the number of years to plan, ≥ 1)") }
            for entry in roadmap.localCapacity {
                for value in entry.values where !(value >= 0) {
                    report("roadmap.local_capacity_fte.\(entry.region)", "capacities must be ≥ 0, found \(formatShort(value))")
                }
            }
        }
        let years = roadmap?.years
        func checkLength(_ path: String, _ count: Int) {
            if count == 0 { report(path, "an empty array; give one value per year, or one number for every year") }
            guard let years, (1...RoadmapSettings.maximumYears).contains(years), count != years else { return }
            report(path, "\(Words.count(count, "value")) for \(Words.count(years, "year")) ([roadmap] years = \(years)); give one value per year, or one number for every year")
        }
        for key in KeySchema.keys {
            guard let values = yearValues[key.path] else { continue }
            checkLength(key.path, values.count)
            for value in values.dropFirst() { if let problem = key.problem(value) { report(key.path, problem) } }
        }
        if let bands = yearBands {
            checkLength("limits.global_share", bands.count)
            for (year, band) in bands.enumerated().dropFirst() where band.lowerBound < 0 || band.upperBound > 1 {
                report("limits.global_share", "year \(year + 1): both ends must be fractions from 0 to 1, found [\(formatShort(band.lowerBound)), \(formatShort(band.upperBound))]")
            }
        }
        for entry in roadmap?.localCapacity ?? [] where entry.values.count != 1 {
            checkLength("roadmap.local_capacity_fte.\(entry.region)", entry.values.count)
        }
    }
}
