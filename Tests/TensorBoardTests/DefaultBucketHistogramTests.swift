import Dispatch
import Testing
import TFProtos
@testable import TensorBoard
import TestSupport

/// `DefaultBucketHistogram` (the `HistogramSummary` op's buckets) against the definition:
/// a value counts in the first bucket whose right edge is greater than it, found by binary
/// search over `bucketLimits` in double; runs of empty buckets merged as TensorFlow does.
struct DefaultBucketHistogramTests {
    static func reference(_ values: [Float]) -> (limits: [Double], counts: [Double]) {
        let limits = DefaultBucketHistogram.bucketLimits
        var counts = [Double](repeating: 0, count: limits.count)
        for value in values {
            let index = limits.firstIndex { $0 > Double(value) } ?? limits.count - 1
            counts[index] += 1
        }
        var merged: (limits: [Double], counts: [Double]) = ([], [])
        var index = 0
        while index < limits.count {
            var (edge, count) = (limits[index], counts[index])
            index += 1
            if count == 0 {
                while index < limits.count && counts[index] == 0 {
                    (edge, count) = (limits[index], counts[index])
                    index += 1
                }
            }
            merged.limits.append(edge)
            merged.counts.append(count)
        }
        return merged
    }

    static func expectMatchesReference(_ values: [Float], _ context: String) throws {
        let proto = try values.withUnsafeBufferPointer { try DefaultBucketHistogram.proto(of: $0) }
        let expected = reference(values)
        #expect(proto.bucketLimit == expected.limits && proto.bucket == expected.counts, "\(context)")
        #expect(proto.num == Double(values.count) && proto.min == Double(values.min() ?? 0) && proto.max == Double(values.max() ?? 0), "\(context)")
    }

    /// Every edge's float neighbours (the float nearest each edge, one below, one above), on
    /// both sides of zero, both zeros, subnormals and the largest floats: each lands where
    /// the definition says.
    @Test func valuesAtEveryEdgeLandInTheirBucket() throws {
        var values: [Float] = [0, -0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
                               -.leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        for limit in DefaultBucketHistogram.bucketLimits where abs(limit) < 1e30 {
            let nearest = Float(limit)
            values += [nearest, nearest.nextUp, nearest.nextDown]
        }
        // One value per run keeps each bucket's count 1, so a value in a neighbouring bucket
        // shows as a changed layout, not just a changed count.
        for chunk in stride(from: 0, to: values.count, by: 97) {
            try Self.expectMatchesReference(Array(values[chunk..<min(chunk + 97, values.count)]), "values from \(chunk)")
        }
        try Self.expectMatchesReference(values, "all edge neighbours")
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func randomBitPatternsMatchTheReference(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let values = (0..<20_000).compactMap { _ -> Float? in
            let value = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &random))
            return value.isFinite ? value : nil
        }
        try Self.expectMatchesReference(values, "random bits \(seed)")
    }

    /// Counted in two halves on two threads (as the summary op does for large tensors), the
    /// histogram is the one counted in one pass, and the reference's; a NaN in either half
    /// still throws, naming the first non-finite value.
    @Test func twoHalvesOnTwoThreadsGiveTheSameHistogram() throws {
        let twoThreads: DefaultBucketHistogram.HalvesRunner = { body in
            withoutActuallyEscaping(body) { body in
                // The halves write disjoint memory (the runner's contract), so sharing is safe.
                nonisolated(unsafe) let shared = body
                DispatchQueue.concurrentPerform(iterations: 2) { shared($0) }
            }
        }
        var random = SeededRandom(seed: 9)
        let count = DefaultBucketHistogram.halvesThreshold + 12_345
        let values = (0..<count).map { _ in Float.random(in: -3...3, using: &random) * Float.random(in: 0...1, using: &random) }
        let split = try values.withUnsafeBufferPointer { try DefaultBucketHistogram.proto(of: $0, halves: twoThreads) }
        let whole = try values.withUnsafeBufferPointer { try DefaultBucketHistogram.proto(of: $0) }
        let expected = Self.reference(values)
        #expect(split.bucketLimit == expected.limits && split.bucket == expected.counts)
        #expect(split.min == whole.min && split.max == whole.max && split.num == whole.num)
        #expect(abs(split.sum - whole.sum) <= 1e-9 * Double(count) && abs(split.sumSquares - whole.sumSquares) <= 1e-9 * Double(count))
        for position in [10, count - 10] {
            var withNaN = values
            withNaN[position] = .nan
            withNaN[count / 2 + 7] = .infinity
            let error = #expect(throws: DefaultBucketHistogram.NonFiniteValue.self) {
                try withNaN.withUnsafeBufferPointer { try DefaultBucketHistogram.proto(of: $0, halves: twoThreads) }
            }
            #expect(position == 10 ? error?.value.isNaN == true : error?.value == .infinity, "first non-finite value, NaN at \(position)")
        }
    }

    @Test func nonFiniteValuesThrowWhereverTheyAre() {
        for special in [Float.nan, .infinity, -.infinity] {
            for position in [0, 5, 8, 13] {
                var values = [Float](repeating: 0.5, count: 14)
                values[position] = special
                #expect(throws: DefaultBucketHistogram.NonFiniteValue.self) {
                    try values.withUnsafeBufferPointer { try DefaultBucketHistogram.proto(of: $0) }
                }
            }
        }
    }
}
