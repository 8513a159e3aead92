import TFProtos

/// Histograms with TensorFlow's default bucket edges, as its `HistogramSummary` op writes
/// them: edges at 0 and at ±1e-12 · 1.1^k up to 1e20, then ±Double.greatestFiniteMagnitude;
/// a value `v` counts in the first bucket whose right edge is greater than `v`; runs of
/// empty buckets are written as one (whose edge is the run's last); `min`, `max` and `num`
/// are exact, `sum` and `sum_squares` are summed in double (in eight interleaved partial
/// sums, so their last bits may differ from TensorFlow's in-order sums).
///
/// Finding a bucket costs one table lookup and a comparison. A float's bits are first made
/// an order-preserving key (negative values' bits flipped, positive values' sign bit set, so
/// keys compare as the floats do, -0 just below +0); the key's top 16 bits (sign, exponent
/// and 7 mantissa bits: a cell less than 1% wide, narrower than the 10% between edges, so
/// holding at most one edge) index a table giving the bucket of the cell's values below its
/// edge and where in the cell that edge lies. NaN and infinities fall in cells of their own
/// that count in an extra slot, checked once at the end.
public enum DefaultBucketHistogram {
    /// A value TensorFlow's histogram rejects.
    public struct NonFiniteValue: Error, Equatable, CustomStringConvertible {
        public let value: Float
        public var description: String {
            "a histogram of \(value) values: TensorFlow's histograms take finite values only (replace NaN and infinities first)"
        }
    }

    /// The positive edges, 1e-12 ... < 1e20 (each the previous times 1.1, as TensorFlow
    /// computes them in double).
    static let positiveEdges: [Double] = {
        var edges: [Double] = []
        var edge = 1.0e-12
        while edge < 1.0e20 {
            edges.append(edge)
            edge *= 1.1
        }
        return edges
    }()

    /// Every right edge in order: -max, the negative edges, 0, the positive edges, max.
    public static let bucketLimits: [Double] =
        [-Double.greatestFiniteMagnitude] + positiveEdges.reversed().map { -$0 } + [0] + positiveEdges
        + [Double.greatestFiniteMagnitude]

    /// The order-preserving key of a float's bits: unsigned comparison of keys is the
    /// floats' order (with -0 below +0; NaNs above +infinity or below -infinity).
    @inline(__always)
    static func key(ofBits bits: UInt32) -> UInt32 {
        bits ^ (UInt32(bitPattern: Int32(bitPattern: bits) >> 31) | 0x8000_0000)
    }

    /// One entry per cell of 65 536 keys: bits 0-11 the index in `bucketLimits` of the
    /// cell's values below its edge (or `bucketLimits.count`, the non-finite slot), bits
    /// 12-28 the low 16 bits of the first key at or above the edge (0x10000: no edge in the
    /// cell); values at or above it count in the next bucket.
    static let cells: [UInt32] = {
        let limits = bucketLimits
        precondition(limits.count < 1 << 12, "bucket indices fit 12 bits")
        var table = [UInt32](repeating: 0, count: 1 << 16)
        // The bucket of a finite value v: the first limit greater than v.
        func bucket(of value: Float) -> Int {
            let v = Double(value)
            var (low, high) = (0, limits.count - 1)  // limits.last (max) > every finite float
            while low < high {
                let middle = (low + high) / 2
                if limits[middle] > v { high = middle } else { low = middle + 1 }
            }
            return low
        }
        func float(ofKey key: UInt32) -> Float {
            Float(bitPattern: key & 0x8000_0000 != 0 ? key ^ 0x8000_0000 : ~key)
        }
        for cell in 0..<(1 << 16) {
            let first = float(ofKey: UInt32(cell) << 16)
            let last = float(ofKey: UInt32(cell) << 16 | 0xFFFF)
            guard first.isFinite && last.isFinite else {
                table[cell] = UInt32(limits.count) | 0x10000 << 12
                continue
            }
            let below = bucket(of: first)
            var threshold: UInt32 = 0x10000
            if bucket(of: last) != below {
                // Binary search for the first key of the cell in the next bucket.
                var (low, high) = (UInt32(0), UInt32(0xFFFF))
                while low < high {
                    let middle = (low + high) / 2
                    if bucket(of: float(ofKey: UInt32(cell) << 16 | middle)) != below { high = middle } else { low = middle + 1 }
                }
                precondition(bucket(of: last) == below + 1, "a cell holds at most one edge")
                threshold = low
            }
            table[cell] = UInt32(below) | threshold << 12
        }
        return table
    }()

    /// What counting found: the statistics, or the first non-finite value.
    private struct Pass {
        var minimum = Double.greatestFiniteMagnitude
        var maximum = -Double.greatestFiniteMagnitude
        var sum = 0.0
        var sumOfSquares = 0.0
        var nonFinite: Float?
    }

    /// The index in `bucketLimits` of `value`'s bucket, or `bucketLimits.count` for NaN and
    /// infinities.
    @inline(__always)
    private static func bucket(of value: Float, _ cells: UnsafeBufferPointer<UInt32>) -> Int {
        let key = key(ofBits: value.bitPattern)
        let entry = cells[Int(key >> 16)]
        // 1 when the key is at or above the cell's edge: arithmetic, not a branch, as which
        // side of an edge a value falls is unpredictable.
        let above = 1 &+ ((Int(key & 0xFFFF) &- Int(entry >> 12)) >> 63)
        return Int(entry & 0xFFF) &+ above
    }

    /// Counts each value in its bucket, then sums the statistics; stops at a non-finite value.
    private static func count(
        _ values: UnsafeBufferPointer<Float>, cells: UnsafeBufferPointer<UInt32>, into counts: UnsafeMutableBufferPointer<Double>
    ) -> Pass {
        let bucketCount = counts.count
        // Four count arrays, value i counting in array i % 4: a run of values in one bucket
        // then increments four counters in turn instead of waiting on one. Each array has a
        // last slot for non-finite values.
        let stride = bucketCount + 1
        var laneCounts = [Int](repeating: 0, count: 4 * stride)
        let nonFiniteCount = laneCounts.withUnsafeMutableBufferPointer { lanes -> Int in
            let (lane1, lane2, lane3) = (stride, 2 * stride, 3 * stride)
            let quads = values.count / 4
            for quad in 0..<quads {
                let base = quad &* 4
                lanes[bucket(of: values[base], cells)] &+= 1
                lanes[lane1 &+ bucket(of: values[base &+ 1], cells)] &+= 1
                lanes[lane2 &+ bucket(of: values[base &+ 2], cells)] &+= 1
                lanes[lane3 &+ bucket(of: values[base &+ 3], cells)] &+= 1
            }
            for index in (quads * 4)..<values.count {
                lanes[bucket(of: values[index], cells)] &+= 1
            }
            return lanes[bucketCount] + lanes[lane1 + bucketCount] + lanes[lane2 + bucketCount] + lanes[lane3 + bucketCount]
        }
        if nonFiniteCount > 0 { return Pass(nonFinite: values.first { !$0.isFinite }) }
        for index in 0..<bucketCount {
            counts[index] = Double(
                laneCounts[index] + laneCounts[stride + index] + laneCounts[2 * stride + index] + laneCounts[3 * stride + index])
        }
        return statistics(of: values)
    }

    /// Extremes, sum and sum of squares (of finite values).
    private static func statistics(of values: UnsafeBufferPointer<Float>) -> Pass {
        guard !values.isEmpty else { return Pass() }
        let statistics = FloatStatistics(values)
        return Pass(
            minimum: Double(statistics.minimum), maximum: Double(statistics.maximum), sum: statistics.sum,
            sumOfSquares: statistics.sumOfSquares)
    }

    /// The histogram of `values` as TensorFlow's `HistogramSummary` writes it.
    /// - Throws: `NonFiniteValue` for a NaN or infinite value (TensorFlow's op fails too).
    public static func proto(of values: UnsafeBufferPointer<Float>) throws(NonFiniteValue) -> Tensorflow_HistogramProto {
        let limits = bucketLimits
        var counts = [Double](repeating: 0, count: limits.count)
        let pass = cells.withUnsafeBufferPointer { cells in
            counts.withUnsafeMutableBufferPointer { counts in count(values, cells: cells, into: counts) }
        }
        if let nonFinite = pass.nonFinite { throw NonFiniteValue(value: nonFinite) }
        let (minimum, maximum, sum, sumOfSquares) = (pass.minimum, pass.maximum, pass.sum, pass.sumOfSquares)
        var proto = Tensorflow_HistogramProto()
        proto.min = minimum
        proto.max = maximum
        proto.num = Double(values.count)
        proto.sum = sum
        proto.sumSquares = sumOfSquares
        var index = 0
        while index < counts.count {
            var edge = limits[index]
            var count = counts[index]
            index += 1
            if count <= 0 {
                while index < counts.count && counts[index] <= 0 {
                    edge = limits[index]
                    count = counts[index]
                    index += 1
                }
            }
            proto.bucketLimit.append(edge)
            proto.bucket.append(count)
        }
        return proto
    }
}
