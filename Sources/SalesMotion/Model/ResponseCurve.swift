// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// The local response `f(u) = 1 − e^(−u)`, evaluated exactly at the breakpoints and
/// interpolated linearly between them; `u` is effort in saturation units.
///
/// Because `f` is concave, the segment slopes decrease, so a maximising LP fills the segments
/// in order and the piecewise-linear curve needs no binary variables.
public struct ResponseCurve: Sendable, Hashable {
    /// `0 = b_0 < b_1 < … < b_K`, with the leading 0.
    public let points: [Double]
    /// `f(b_k)` for every point.
    public let values: [Double]

    /// `breakpoints` are `b_1 … b_K` (increasing, > 0), as in the model file.
    public init(breakpoints: [Double]) {
        points = [0] + breakpoints
        values = points.map { 1 - exp(-$0) }
    }

    /// `K`, the number of linear segments.
    public var segmentCount: Int { points.count - 1 }
    /// `b_K`, the most effort (in saturation units) that can earn anything.
    public var maximumEffort: Double { points.last! }

    /// Width of segment `k` (0-based) in saturation units: `b_{k+1} − b_k`.
    public func width(ofSegment k: Int) -> Double { points[k + 1] - points[k] }

    /// Gain per saturation unit on segment `k` (0-based).
    public func slope(ofSegment k: Int) -> Double { (values[k + 1] - values[k]) / width(ofSegment: k) }

    /// `F(u)`: the interpolated share of local potential won at effort `u` saturation units
    /// (clamped to `0…b_K`).
    public func value(at u: Double) -> Double {
        guard u > 0 else { return 0 }
        guard u < maximumEffort else { return values.last! }
        var k = 0
        while points[k + 1] < u { k += 1 }
        return values[k] + slope(ofSegment: k) * (u - points[k])
    }
}
