// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation

/// SplitMix64 (Steele, Lea, Flood 2014): a small, fast, seedable random number generator whose
/// draws are the same bytes for the same seed on every machine. Generated datasets
/// (`SyntheticData`) and robustness samples (`SalesMotion`) draw from it; it lives here because
/// both depend on this module.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// Stream `stream` of `seed`: one independent stream per sample, whatever order (or thread)
    /// the samples are drawn in.
    public init(seed: UInt64, stream: UInt64) {
        state = seed ^ (stream &+ 1) &* 0xD1B5_4A32_D192_ED03
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Uniform in (0, 1): 53 random bits, never 0 or 1.
    public mutating func openUnit() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }

    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// Standard normal (Box–Muller, the cosine of one pair, from [0, 1) draws).
    public mutating func normal() -> Double {
        let u = max(unit(), 1e-300), v = unit()
        return sqrt(-2 * log(u)) * cos(2 * Double.pi * v)
    }
}
