import Foundation
import Testing
@testable import TensorBoard
import TestSupport

/// `Histogram(values:)` against a straightforward reference: one value at a time, its
/// bucket found by scanning the edge table, sums added left to right.
struct HistogramTests {
    /// What the histogram of `values` must be, computed the slow, obvious way.
    static func reference(_ values: [Double], bucketCount: Int) -> Histogram {
        let counted = values.filter { !$0.isNaN }
        var statistics = Histogram.Statistics(
            count: counted.count, nanCount: values.count - counted.count, minimum: counted.min(),
            maximum: counted.max(), sum: 0, sumOfSquares: 0)
        for value in counted {
            statistics.sum += value
            statistics.sumOfSquares += value * value
        }
        var histogram = Histogram(buckets: [])
        histogram.statistics = statistics
        let finite = counted.filter(\.isFinite)
        guard bucketCount > 0, !counted.isEmpty, let low = finite.min(), let high = finite.max() else { return histogram }
        if low == high {
            histogram.buckets = [.init(leftEdge: low - 0.5, rightEdge: high + 0.5, count: Double(counted.count))]
            return histogram
        }
        var edges: [Double] = []
        if (high - low).isFinite {
            let width = (high - low) / Double(bucketCount)
            edges = (0..<bucketCount).map { min(low + Double($0) * width, high) }
        } else {
            let halfWidth = (high / 2 - low / 2) / Double(bucketCount)
            edges = (0..<bucketCount).map { min((low / 2 + Double($0) * halfWidth) * 2, high) }
        }
        edges.append(high)
        var counts = [Double](repeating: 0, count: bucketCount)
        for value in counted {
            // The last bucket whose left edge is <= value; below every edge means bucket 0.
            let bucket = (0..<bucketCount).last { edges[$0] <= value } ?? 0
            counts[bucket] += 1
        }
        histogram.buckets = (0..<bucketCount).map { .init(leftEdge: edges[$0], rightEdge: edges[$0 + 1], count: counts[$0]) }
        return histogram
    }

    /// Buckets and counts exactly; sums within the rounding either order of addition can
    /// make: recursive summation of n terms errs by at most (n - 1) u sum|x_i| (u = 2^-53),
    /// so two orders differ by at most 2 n u sum|x_i|.
    static func expectMatches(_ ours: Histogram, _ values: [Double], bucketCount: Int, _ context: String) {
        let expected = reference(values, bucketCount: bucketCount)
        #expect(ours.buckets == expected.buckets, "\(context)")
        guard let statistics = ours.statistics, let want = expected.statistics else {
            Issue.record("\(context): no statistics")
            return
        }
        #expect(statistics.count == want.count && statistics.nanCount == want.nanCount, "\(context)")
        #expect(statistics.minimum == want.minimum && statistics.maximum == want.maximum, "\(context)")
        let counted = values.filter { !$0.isNaN }
        let n = Double(counted.count)
        let u = Double.ulpOfOne / 2
        let sumBound = 2 * n * u * counted.reduce(0) { $0 + abs($1) }
        let squaresBound = 2 * n * u * counted.reduce(0) { $0 + $1 * $1 }
        if want.sum.isFinite {
            #expect(abs(statistics.sum - want.sum) <= sumBound, "\(context): sum \(statistics.sum) vs \(want.sum)")
        } else {
            #expect(statistics.sum.isNaN == want.sum.isNaN && (want.sum.isNaN || statistics.sum == want.sum), "\(context)")
        }
        if want.sumOfSquares.isFinite {
            #expect(abs(statistics.sumOfSquares - want.sumOfSquares) <= squaresBound, "\(context): squares")
        } else {
            #expect(statistics.sumOfSquares == want.sumOfSquares, "\(context): squares")
        }
    }

    /// Normal-ish samples (sum of three uniforms) scaled and shifted, with a few exact
    /// duplicates of the extremes.
    static func samples(_ count: Int, seed: UInt64, scale: Double, offset: Double) -> [Double] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            (Double.random(in: -1...1, using: &random) + Double.random(in: -1...1, using: &random)
                + Double.random(in: -1...1, using: &random)) * scale + offset
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func randomFloatsDoublesAndIntsMatchTheReference(seed: UInt64) {
        let count = 1 + Int(seed) * 2_357
        let bucketCount = [30, 1, 2, 7, 1000][Int(seed) % 5]
        let doubles = Self.samples(count, seed: seed, scale: pow(10, Double(seed) - 2), offset: Double(seed) - 3)
        let floats = doubles.map { Float($0) }
        let floatsAsDoubles = floats.map(Double.init)
        let ints = doubles.map { Int(($0 * 1000).rounded()) }
        let intsAsDoubles = ints.map(Double.init)

        Self.expectMatches(Histogram(values: doubles, bucketCount: bucketCount), doubles, bucketCount: bucketCount, "[Double] \(seed)")
        Self.expectMatches(Histogram(values: floats, bucketCount: bucketCount), floatsAsDoubles, bucketCount: bucketCount, "[Float] \(seed)")
        Self.expectMatches(Histogram(values: ints, bucketCount: bucketCount), intsAsDoubles, bucketCount: bucketCount, "[Int] \(seed)")
        // The generic entry points: contiguous slices, other integer widths, and a
        // sequence without contiguous storage (the converting fallback).
        Self.expectMatches(
            Histogram(values: floats[1...], bucketCount: bucketCount), Array(floatsAsDoubles[1...]),
            bucketCount: bucketCount, "ArraySlice<Float> \(seed)")
        Self.expectMatches(
            Histogram(values: ContiguousArray(doubles), bucketCount: bucketCount), doubles,
            bucketCount: bucketCount, "ContiguousArray<Double> \(seed)")
        Self.expectMatches(
            Histogram(values: ints.map { Int32(truncatingIfNeeded: $0) }, bucketCount: bucketCount),
            ints.map { Double(Int32(truncatingIfNeeded: $0)) }, bucketCount: bucketCount, "[Int32] \(seed)")
        Self.expectMatches(
            Histogram(values: ints.map { UInt8(truncatingIfNeeded: $0) }, bucketCount: bucketCount),
            ints.map { Double(UInt8(truncatingIfNeeded: $0)) }, bucketCount: bucketCount, "[UInt8] \(seed)")
        Self.expectMatches(
            Histogram(values: floats.lazy.map { Float16($0) }, bucketCount: bucketCount),
            floats.map { Double(Float16($0)) }, bucketCount: bucketCount, "lazy Float16 \(seed)")
        Self.expectMatches(
            Histogram(values: ints.lazy.map { Int64($0) }, bucketCount: bucketCount), intsAsDoubles,
            bucketCount: bucketCount, "lazy Int64 \(seed)")
    }

    /// The O(1) estimate is exact only up to rounding; ranges tiny next to their offset
    /// (where edges round together) and huge ones must still match the edge scan.
    @Test func randomRangesAndOffsetsMatchTheReference() {
        var random = SeededRandom(seed: 99)
        for trial in 0..<300 {
            let offset = Double.random(in: -1...1, using: &random) * pow(10, Double.random(in: -30...300, using: &random))
            let spread = pow(10, Double.random(in: -320...300, using: &random))
            let bucketCount = Int.random(in: 1...64, using: &random)
            var values = (0..<100).map { _ in offset + Double.random(in: -1...1, using: &random) * spread }
            values = values.filter(\.isFinite)
            // Every edge of the resulting layout is a value too.
            let edges = Histogram(values: values, bucketCount: bucketCount).buckets.map(\.leftEdge)
            values += edges.filter { $0 >= (values.min() ?? 0) && $0 <= (values.max() ?? 0) }
            Self.expectMatches(
                Histogram(values: values, bucketCount: bucketCount), values, bucketCount: bucketCount,
                "trial \(trial): offset \(offset) spread \(spread) x\(bucketCount)")
        }
    }

    @Test func valuesOnEdgesGoToTheBucketOnTheirRight() {
        // Integer edges 0, 1, ..., 30: value i opens bucket i; 30 (the maximum) closes the last.
        let onEdges = (0...30).map(Double.init)
        let histogram = Histogram(values: onEdges, bucketCount: 30)
        #expect(histogram.buckets.map(\.count) == Array(repeating: 1, count: 29) + [2])
        #expect(histogram.buckets.map(\.leftEdge) == (0..<30).map(Double.init))
        // Edges that are not round numbers: feed the computed edges back in, and their
        // neighbours one ulp either side.
        for (low, high, count) in [(0.1, 0.7, 30), (-3.3, 1e-3, 7), (1.0, 1.0 + 1e-9, 13)] {
            let edges = Histogram(values: [low, high], bucketCount: count).buckets.map(\.leftEdge) + [high]
            let probes = edges.flatMap { [$0.nextDown, $0, $0.nextUp] }.filter { $0 >= low && $0 <= high }
            let values = [low, high] + probes
            Self.expectMatches(Histogram(values: values, bucketCount: count), values, bucketCount: count, "edges \(low)...\(high)")
            let histogram = Histogram(values: values, bucketCount: count)
            for (index, bucket) in histogram.buckets.enumerated() where index > 0 {
                // Each edge value itself is counted in the bucket it opens.
                #expect(bucket.count >= 1, "edge \(index) of \(low)...\(high)")
            }
        }
    }

    @Test func infinitiesGoToTheOutermostBucketsAndIntoTheStatistics() {
        let histogram = Histogram(values: [-Double.infinity, 0, 1, .infinity, .infinity], bucketCount: 2)
        #expect(histogram.buckets == [.init(leftEdge: 0, rightEdge: 0.5, count: 2), .init(leftEdge: 0.5, rightEdge: 1, count: 3)])
        #expect(histogram.statistics?.count == 5)
        #expect(histogram.statistics?.minimum == -.infinity && histogram.statistics?.maximum == .infinity)
        #expect(histogram.statistics?.sum.isNaN == true)  // -inf + inf, as IEEE arithmetic has it
        #expect(histogram.statistics?.sumOfSquares == .infinity)
        let floats: [Float] = [.infinity, 2, 3]
        #expect(Histogram(values: floats, bucketCount: 3).buckets.map(\.count) == [1, 0, 2])
        // One finite value and infinities: its one bucket holds them all.
        #expect(Histogram(values: [4.0, -.infinity], bucketCount: 30).buckets == [.init(leftEdge: 3.5, rightEdge: 4.5, count: 2)])
        // Only infinities: no finite range, so no buckets; the statistics still count them.
        let onlyInfinite = Histogram(values: [Double.infinity, -.infinity], bucketCount: 30)
        #expect(onlyInfinite.buckets.isEmpty && onlyInfinite.statistics?.count == 2)
    }

    @Test func nanIsCountedAndSkipped() {
        let values: [Double] = [.nan, 1, 2, -.nan, 3, .signalingNaN]
        let histogram = Histogram(values: values, bucketCount: 3)
        #expect(histogram.buckets.map(\.count) == [1, 1, 1])
        #expect(histogram.statistics == .init(count: 3, nanCount: 3, minimum: 1, maximum: 3, sum: 6, sumOfSquares: 14))
        let floats: [Float] = [.nan, .nan, 5]
        #expect(Histogram(values: floats).statistics?.nanCount == 2)
        let onlyNaN = Histogram(values: [Double.nan, .nan])
        #expect(onlyNaN.buckets.isEmpty)
        #expect(onlyNaN.statistics == .init(count: 0, nanCount: 2, minimum: nil, maximum: nil, sum: 0, sumOfSquares: 0))
        Self.expectMatches(histogram, values, bucketCount: 3, "NaN")
    }

    /// Float arrays take the eight-at-a-time statistics: NaN and infinities anywhere in a
    /// long array (in the vector loop and in its tail) give the reference's histogram.
    @Test(arguments: [0, 1, 7, 8, 9, 1001])
    func nanAndInfinitiesInLongFloatArraysMatchTheReference(count: Int) {
        var floats = Self.samples(count, seed: UInt64(count) + 11, scale: 3, offset: 1).map { Float($0) }
        for (position, special) in [(0, Float.nan), (count / 2, .infinity), (count - 1, -.infinity), (count / 3, -.nan)]
        where position >= 0 && position < count {
            floats[position] = special
        }
        let histogram = Histogram(values: floats, bucketCount: 30)
        Self.expectMatches(histogram, floats.map { Double($0) }, bucketCount: 30, "\(count) floats")
    }

    @Test func extremeRangesNeverCrashAndKeepFiniteEdges() {
        let tiny = Double.leastNonzeroMagnitude  // 5e-324
        let cases: [[Double]] = [
            [-1e308, 0, 1e308],
            [-.greatestFiniteMagnitude, .greatestFiniteMagnitude],
            [-.greatestFiniteMagnitude, 1, 2, .greatestFiniteMagnitude, .infinity],
            [0, tiny],
            [tiny, 2 * tiny, 3 * tiny, 4 * tiny],
            [-tiny, 0, tiny],
            [.leastNormalMagnitude, .leastNormalMagnitude.nextUp, 0],
            [1e16, 1e16 + 2, 1e16 + 2, 1e16 + 4],  // widths far below one ulp: equal edges
            [1e300, 1e300.nextUp],
        ]
        for values in cases {
            for bucketCount in [1, 2, 30, 1000] {
                let histogram = Histogram(values: values, bucketCount: bucketCount)
                #expect(histogram.buckets.allSatisfy { $0.leftEdge.isFinite && $0.rightEdge.isFinite }, "\(values)")
                #expect(histogram.buckets.reduce(0) { $0 + $1.count } == Double(values.count), "\(values)")
                Self.expectMatches(histogram, values, bucketCount: bucketCount, "\(values) x\(bucketCount)")
            }
        }
        let huge = Histogram(values: [-1e308, 0, 1e308], bucketCount: 30)
        #expect(huge.buckets.first?.count == 1 && huge.buckets.last?.count == 1)
        #expect(huge.buckets.first { $0.leftEdge <= 0 && 0 < $0.rightEdge }?.count == 1)
        let floats: [Float] = [-.greatestFiniteMagnitude, 0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        #expect(Histogram(values: floats).buckets.reduce(0) { $0 + $1.count } == 4)
    }

    @Test func emptyInputAndBucketCounts() {
        let empty = Histogram(values: [Float]())
        #expect(empty.buckets.isEmpty)
        #expect(empty.statistics == .init(count: 0, nanCount: 0, minimum: nil, maximum: nil, sum: 0, sumOfSquares: 0))
        #expect(Histogram(values: [1.0, 2.0], bucketCount: 0).buckets.isEmpty)
        #expect(Histogram(values: [1.0, 2.0], bucketCount: -5).buckets.isEmpty)
        #expect(Histogram(values: [1.0, 2.0], bucketCount: .max).buckets.count == HistogramBuilder.maximumBucketCount)
        #expect(Histogram(values: [Int]()).buckets.isEmpty)
    }

    @Test func addReturnsTheHistogramAndWritesItsBuckets() throws {
        let writer = try makeWriter()
        let added = try writer.add(histogram: [Float.nan, 1, 2, 3], tag: "w", step: 1, bucketCount: 3)
        #expect(added.statistics?.nanCount == 1)
        try writer.add(histogram: [1, 2, 3], tag: "ints", step: 1, bucketCount: 3)
        try writer.add(histogram: [UInt8](), tag: "empty", step: 1)
        try writer.close()
        let values = try summaryEvents(of: writer).map { $0.decoded.summary.value[0] }
        #expect(added.buckets.map(\.count) == [1, 1, 1])
        #expect(values[0].tensor.doubleVal == added.buckets.flatMap { [$0.leftEdge, $0.rightEdge, $0.count] })
        #expect(values[1].tensor.doubleVal == values[0].tensor.doubleVal)
        #expect(values[2].tensor.tensorShape.dim.map(\.size) == [0, 3] && values[2].tensor.doubleVal.isEmpty)
    }
}
