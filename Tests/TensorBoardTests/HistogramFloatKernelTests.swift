import Foundation
import Testing
@testable import TensorBoard
import TestSupport

/// The float loops in C (`CHistogram`) against the Swift loops every CPU runs, and against
/// the definition of a bucket (a binary search of the exact edges).
struct HistogramFloatKernelTests {
    /// Whether this machine's CPU has AVX2, read from the kernel's CPU flags (not from the
    /// code under test).
    static var cpuHasAVX2: Bool {
        #if os(Linux) && arch(x86_64)
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return false }
        return flags.split(separator: " ").contains("avx2")
        #else
        return false
        #endif
    }

    /// Counts by the definition: the last bucket whose left edge is at most the value.
    static func definitionCounts(_ values: [Float], _ layout: BucketLayout) -> [Int] {
        var counts = [Int](repeating: 0, count: layout.bucketCount)
        for value in values { counts[layout.search(Double(value))] += 1 }
        return counts
    }

    /// A layout's floats on and around its edges (each edge rounded to float, and that
    /// float's neighbours), inside `[low, high]`.
    static func edgeProbes(_ layout: BucketLayout, low: Float, high: Float) -> [Float] {
        layout.edges.flatMap { edge -> [Float] in
            let nearest = Float(edge)
            return [nearest.nextDown.nextDown, nearest.nextDown, nearest, nearest.nextUp, nearest.nextUp.nextUp]
        }.filter { $0 >= low && $0 <= high }
    }

    @Test func theVectorLoopsRunWhereTheCPUHasAVX2() {
        let values = (0..<1000).map { Float($0) * 0.01 - 3 }
        let layout = BucketLayout(low: -3, high: Double(values[999]), bucketCount: 30)
        let counts = values.withUnsafeBufferPointer {
            HistogramBuilder.countFloatsInVectors($0, layout, low: -3, high: Double(values[999]))
        }
        #expect((counts != nil) == Self.cpuHasAVX2)
    }

    /// Random layouts (bucket counts 1...1024, ranges from 2^-20 to 2^100 wide, offsets far
    /// from zero) with every edge's float neighbours and random floats between; lengths
    /// with every remainder modulo 8.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func vectorCountsEqualTheDefinition(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var checked = 0
        for trial in 0..<60 {
            let bucketCount = trial % 3 == 0 ? 30 : Int.random(in: 1...HistogramBuilder.vectorKernelMaximumBuckets, using: &random)
            let scale = Float(pow(2, Double.random(in: -20...100, using: &random)))
            let offset = Float.random(in: -4...4, using: &random) * scale * Float([0, 1, 1000][trial % 3])
            let low = offset - scale * Float.random(in: 0.5...1, using: &random)
            let high = offset + scale * Float.random(in: 0.5...1, using: &random)
            guard low < high, low.isFinite, high.isFinite else { continue }
            let layout = BucketLayout(low: Double(low), high: Double(high), bucketCount: bucketCount)
            guard !layout.needsCheck else { continue }
            var values = [low, high] + Self.edgeProbes(layout, low: low, high: high)
            values += (0..<(500 + trial)).map { _ in Float.random(in: low...high, using: &random) }
            values.shuffle(using: &random)
            let vector = values.withUnsafeBufferPointer {
                HistogramBuilder.countFloatsInVectors($0, layout, low: Double(low), high: Double(high))
            }
            let portable = values.withUnsafeBufferPointer { HistogramBuilder.countPerBucket($0, layout, fast: true) }
            let definition = Self.definitionCounts(values, layout)
            #expect(portable == definition, "trial \(trial): \(low)...\(high) x\(bucketCount)")
            if let vector {
                #expect(vector == definition, "trial \(trial): \(low)...\(high) x\(bucketCount)")
                checked += 1
            }
        }
        #expect(checked > 0 || !Self.cpuHasAVX2)
    }

    /// Statistics from C and from Swift's SIMD loop agree: counts and extremes exactly, sums
    /// within the rounding two orders of addition can make; NaN and infinities included.
    @Test(arguments: [0, 1, 7, 8, 9, 63, 1000, 4099])
    func vectorStatisticsEqualThePortableOnes(count: Int) {
        var random = SeededRandom(seed: UInt64(count) + 17)
        var values = (0..<count).map { _ in Float.random(in: -1e3...1e3, using: &random) }
        for index in values.indices where Int.random(in: 0..<50, using: &random) == 0 {
            values[index] = [Float.nan, -Float.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude][index % 6]
        }
        let (vector, portable) = values.withUnsafeBufferPointer { (FloatStatistics($0), FloatStatistics(portable: $0)) }
        #expect(vector.nanCount == portable.nanCount)
        #expect(vector.nanCount == values.filter(\.isNaN).count)
        #expect(vector.minimum == portable.minimum && vector.maximum == portable.maximum)
        let counted = values.filter { !$0.isNaN }.map(Double.init)
        // Two orders of recursive summation differ by at most 2 n u sum|term| (u = 2^-53).
        let n = Double(counted.count)
        let sumBound = n * Double.ulpOfOne * counted.reduce(0) { $0 + abs($1) }
        let squaresBound = n * Double.ulpOfOne * counted.reduce(0) { $0 + $1 * $1 }
        if counted.allSatisfy(\.isFinite) {
            #expect(abs(vector.sum - portable.sum) <= sumBound)
            #expect(abs(vector.sumOfSquares - portable.sumOfSquares) <= squaresBound)
        } else {
            #expect(vector.sum.isNaN == portable.sum.isNaN && (vector.sum.isNaN || vector.sum == portable.sum))
        }
    }
}
