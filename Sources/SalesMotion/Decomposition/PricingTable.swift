// SPDX-License-Identifier: GPL-3.0-or-later

/// The accounts' blocks in flat arrays, for pricing's inner loop: each account's options and
/// footprint pairs as ranges of shared arrays (`optionStart[a]..<optionStart[a + 1]`, …), each
/// option's nonzero row coefficients in row order, each pair's segments in order. Built once per
/// linking structure; a structure that takes new bounds (``LinkingStructure/withBounds(of:)``)
/// shares it.
final class PricingTable: Sendable {
    let optionStart: [Int]
    let optionValue: [Double]
    let usageStart: [Int]
    let usageRow: [Int]
    let usageCoefficient: [Double]
    /// Per option, where its minimum FTE per pair start in `minimum`.
    let minimumStart: [Int]
    let minimum: [Double]
    let pairStart: [Int]
    /// Each pair's effort class (``EffortClasses``; in a single year, its region).
    let pairClass: [Int]
    /// Where each pair's segments start, in a numbering of all segments (`segmentStart[p]..<
    /// segmentStart[p + 1]`). A segment's width and gain are its curve's scaled by its pair
    /// (``segmentWidth(_:pair:)``): at a million accounts, stored per segment they were 350 MB.
    let segmentStart: [Int]
    /// Each pair's saturation scale `s` and gain scale (local potential / s), and where its
    /// response curve's segments start in `curveWidth` and `curveSlope` (the distinct curves,
    /// back to back).
    let pairSaturation: [Double]
    let pairGainScale: [Double]
    let pairCurve: [Int32]
    let curveWidth: [Double]
    let curveSlope: [Double]
    /// The most footprint pairs of any account.
    let mostPairs: Int
    /// One more than the largest row an option uses, and than the largest class of a pair (0
    /// when none): pricing checks its rows and classes against them.
    let rowLimit: Int
    let classLimit: Int

    fileprivate init(_ builder: inout Builder) {
        // The builder's arrays grew by doubling, up to twice what they hold: each is copied
        // exactly (unless it was reserved to its size) and let go before the next, so that at
        // a million accounts no two copies of the large ones are alive together.
        func exact<T>(_ array: inout [T]) -> [T] {
            defer { array = [] }
            guard array.capacity - array.count > array.count / 64 else { return array }
            var copy: [T] = []
            copy.reserveCapacity(array.count)
            copy.append(contentsOf: array)
            return copy
        }
        optionStart = exact(&builder.optionStart)
        optionValue = exact(&builder.optionValue)
        usageStart = exact(&builder.usageStart)
        usageRow = exact(&builder.usageRow)
        usageCoefficient = exact(&builder.usageCoefficient)
        minimumStart = exact(&builder.minimumStart)
        minimum = exact(&builder.minimum)
        if let shared = builder.pairsOf {
            // The same pairs as another table's: its arrays, not copies.
            (pairStart, pairClass, segmentStart, mostPairs) = (shared.pairStart, shared.pairClass, shared.segmentStart, shared.mostPairs)
            (pairSaturation, pairGainScale, pairCurve) = (shared.pairSaturation, shared.pairGainScale, shared.pairCurve)
            (curveWidth, curveSlope) = (shared.curveWidth, shared.curveSlope)
        } else {
            pairStart = exact(&builder.pairStart)
            pairClass = exact(&builder.pairClass)
            segmentStart = exact(&builder.segmentStart)
            pairSaturation = exact(&builder.pairSaturation)
            pairGainScale = exact(&builder.pairGainScale)
            pairCurve = exact(&builder.pairCurve)
            (curveWidth, curveSlope) = (builder.curveWidth, builder.curveSlope)
            mostPairs = builder.mostPairs
        }
        rowLimit = (usageRow.max() ?? -1) + 1
        classLimit = (pairClass.max() ?? -1) + 1
        // Pricing reads the arrays without bounds checks, at indices from the accounts', options'
        // and pairs' ranges, and a pair's curve segments at `pairCurve[p] + k`: made account by
        // account, each of them in step. Checked once here, in one pass.
        let pairs = pairClass.count, accounts = pairStart.count - 1
        precondition(pairStart.last == pairs && segmentStart.count == pairs + 1 && pairSaturation.count == pairs
                     && pairGainScale.count == pairs && pairCurve.count == pairs && curveSlope.count == curveWidth.count
                     && (0..<pairs).allSatisfy {
                         segmentStart[$0] <= segmentStart[$0 + 1] && pairCurve[$0] >= 0
                             && Int(pairCurve[$0]) + segmentStart[$0 + 1] - segmentStart[$0] <= curveWidth.count
                     },
                     "pricing table's pair arrays out of step")
        precondition(accounts >= 0 && optionStart.count == accounts + 1 && optionStart.first == 0 && pairStart.first == 0
                     && segmentStart.first == 0 && optionStart.last == optionValue.count && usageStart.count == optionValue.count + 1
                     && minimumStart.count == optionValue.count && usageStart.first == 0 && usageStart.last == usageRow.count
                     && usageCoefficient.count == usageRow.count && usageRow.allSatisfy { $0 >= 0 }
                     && (0..<optionValue.count).allSatisfy { usageStart[$0] <= usageStart[$0 + 1] }
                     && (0..<accounts).allSatisfy { a in
                         let width = pairStart[a + 1] - pairStart[a]
                         return optionStart[a] < optionStart[a + 1] && pairStart[a] <= pairStart[a + 1] && width <= mostPairs
                             && (optionStart[a]..<optionStart[a + 1]).allSatisfy {
                                 minimumStart[$0] >= 0 && minimumStart[$0] + width <= minimum.count
                             }
                     },
                     "pricing table's option arrays out of step")
    }

    /// The table's arrays as buffers, for pricing's inner loop (no bounds checks in an
    /// optimised build: its indices are the table's own ranges, checked when it was made).
    struct Pointers {
        let optionStart: UnsafeBufferPointer<Int>, optionValue: UnsafeBufferPointer<Double>
        let usageStart: UnsafeBufferPointer<Int>, usageRow: UnsafeBufferPointer<Int>
        let usageCoefficient: UnsafeBufferPointer<Double>, minimumStart: UnsafeBufferPointer<Int>
        let minimum: UnsafeBufferPointer<Double>, pairStart: UnsafeBufferPointer<Int>, pairClass: UnsafeBufferPointer<Int>
        let segmentStart: UnsafeBufferPointer<Int>, saturation: UnsafeBufferPointer<Double>
        let gainScale: UnsafeBufferPointer<Double>, curve: UnsafeBufferPointer<Int32>
        let curveWidth: UnsafeBufferPointer<Double>, curveSlope: UnsafeBufferPointer<Double>
        let mostPairs: Int, rowLimit: Int, classLimit: Int
    }

    /// Calls `body` with the table's arrays as buffers, valid during the call.
    func withPointers<R>(_ body: (Pointers) -> R) -> R {
        optionStart.withUnsafeBufferPointer { optionStart in
        optionValue.withUnsafeBufferPointer { optionValue in
        usageStart.withUnsafeBufferPointer { usageStart in
        usageRow.withUnsafeBufferPointer { usageRow in
        usageCoefficient.withUnsafeBufferPointer { usageCoefficient in
        minimumStart.withUnsafeBufferPointer { minimumStart in
        minimum.withUnsafeBufferPointer { minimum in
        pairStart.withUnsafeBufferPointer { pairStart in
        pairClass.withUnsafeBufferPointer { pairClass in
        segmentStart.withUnsafeBufferPointer { segmentStart in
        pairSaturation.withUnsafeBufferPointer { saturation in
        pairGainScale.withUnsafeBufferPointer { gainScale in
        pairCurve.withUnsafeBufferPointer { curve in
        curveWidth.withUnsafeBufferPointer { curveWidth in
        curveSlope.withUnsafeBufferPointer { curveSlope in
            body(Pointers(optionStart: optionStart, optionValue: optionValue, usageStart: usageStart, usageRow: usageRow,
                          usageCoefficient: usageCoefficient, minimumStart: minimumStart, minimum: minimum, pairStart: pairStart,
                          pairClass: pairClass, segmentStart: segmentStart, saturation: saturation, gainScale: gainScale,
                          curve: curve, curveWidth: curveWidth, curveSlope: curveSlope, mostPairs: mostPairs,
                          rowLimit: rowLimit, classLimit: classLimit))
        }}}}}}}}}}}}}}}
    }

    /// The segment arrays as one value: each segment's width and revenue per FTE. Taken once
    /// before a loop over many segments (no reference counting per segment).
    var segments: Segments {
        Segments(segmentStart: segmentStart, saturation: pairSaturation, gainScale: pairGainScale, curve: pairCurve,
                 curveWidth: curveWidth, curveSlope: curveSlope)
    }

    struct Segments {
        let segmentStart: [Int], saturation: [Double], gainScale: [Double], curve: [Int32]
        let curveWidth: [Double], curveSlope: [Double]

        /// Segment `s` of pair `p`: its width in FTE, `curve width × s`, and its revenue per FTE,
        /// `curve slope × (potential / s)` (``Formulation/segments(of:)``, to the last digit;
        /// pricing's inner loop computes them alike).
        func width(_ s: Int, pair p: Int) -> Double { curveWidth[Int(curve[p]) + s - segmentStart[p]] * saturation[p] }
        func revenuePerFTE(_ s: Int, pair p: Int) -> Double {
            curveSlope[Int(curve[p]) + s - segmentStart[p]] * gainScale[p]
        }

        /// The revenue of `fte` filled into pair `p`'s segments in order.
        func revenue(pair p: Int, fte: Double) -> Double {
            var left = fte, revenue = 0.0
            for k in segmentStart[p]..<segmentStart[p + 1] where left > 0 {
                let amount = min(left, width(k, pair: p))
                revenue += revenuePerFTE(k, pair: p) * amount
                left -= amount
            }
            return revenue
        }
    }

    /// An empty table (a structure's placeholder until its own is built).
    convenience init() {
        var empty = Builder()
        self.init(&empty)
    }

    /// Fills a table account by account: each account's options, then its pairs.
    struct Builder {
        fileprivate var optionStart = [0], optionValue: [Double] = [], usageStart = [0], usageRow: [Int] = []
        fileprivate var usageCoefficient: [Double] = [], minimumStart: [Int] = [], minimum: [Double] = []
        fileprivate var pairStart = [0], pairClass: [Int] = [], segmentStart = [0], mostPairs = 0
        fileprivate var pairSaturation: [Double] = [], pairGainScale: [Double] = [], pairCurve: [Int32] = []
        fileprivate var curveWidth: [Double] = [], curveSlope: [Double] = [], curves: [ResponseCurve: Int32] = [:]
        /// A table whose accounts have the same footprint pairs: the new table shares its pair
        /// and segment arrays, and ``endAccount(pairs:)`` need not be given them.
        fileprivate var pairsOf: PricingTable?

        /// The sizes of the pair arrays, when known (`accounts` and `pairs` in all), are
        /// reserved: those arrays then need no copy.
        init(sharingPairsOf table: PricingTable? = nil, accounts: Int = 0, pairs: Int = 0) {
            pairsOf = table
            guard table == nil else { return }
            pairStart.reserveCapacity(accounts + 1)
            pairClass.reserveCapacity(pairs)
            segmentStart.reserveCapacity(pairs + 1)
            pairSaturation.reserveCapacity(pairs)
            pairGainScale.reserveCapacity(pairs)
            pairCurve.reserveCapacity(pairs)
        }

        /// One option of the current account: its value, its nonzero row coefficients in row
        /// order, its minimum FTE per pair.
        mutating func addOption(value: Double, usage: [(row: Int, coefficient: Double)], minimum: [Double]) {
            optionValue.append(value)
            for (row, coefficient) in usage where coefficient != 0 {
                usageRow.append(row)
                usageCoefficient.append(coefficient)
            }
            usageStart.append(usageRow.count)
            minimumStart.append(self.minimum.count)
            self.minimum += minimum
        }

        /// Closes the current account with its footprint pairs: each pair's class, response curve,
        /// saturation scale and local potential (no segments when the scale is not above 0, as
        /// in ``Formulation/segments(of:)``).
        mutating func endAccount(pairs: [(region: Int, curve: ResponseCurve, saturation: Double, potential: Double)]) {
            optionStart.append(optionValue.count)
            if pairsOf != nil { return }
            for pair in pairs {
                pairClass.append(pair.region)
                let offset = curves[pair.curve] ?? {
                    let offset = Int32(curveWidth.count)
                    curveWidth += (0..<pair.curve.segmentCount).map { pair.curve.width(ofSegment: $0) }
                    curveSlope += (0..<pair.curve.segmentCount).map { pair.curve.slope(ofSegment: $0) }
                    curves[pair.curve] = offset
                    return offset
                }()
                pairCurve.append(offset)
                pairSaturation.append(pair.saturation)
                pairGainScale.append(pair.saturation > 0 ? pair.potential / pair.saturation : 0)
                segmentStart.append(segmentStart.last! + (pair.saturation > 0 ? pair.curve.segmentCount : 0))
            }
            pairStart.append(pairClass.count)
            mostPairs = max(mostPairs, pairs.count)
        }

        /// The table; the builder is left empty.
        mutating func finish() -> PricingTable { PricingTable(&self) }
    }
}
