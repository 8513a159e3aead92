import TFProtos

/// Histograms with TensorFlow's default bucket edges, as its `HistogramSummary` op writes
/// them: edges at 0 and at ±1e-12 · 1.1^k up to 1e20, then ±Double.greatestFiniteMagnitude;
/// a value `v` counts in the first bucket whose right edge is greater than `v`; runs of
/// empty buckets are written as one (whose edge is the run's last); `min`, `max` and `num`
/// are exact, `sum` and `sum_squares` are summed in double (in eight interleaved partial
/// sums per half when counted in halves, so their last bits may differ from TensorFlow's
/// in-order sums).
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

    /// What counting a part of the values found: per-bucket counts (the last slot counts
    /// non-finite values) and the statistics of the finite ones.
    private struct Pass {
        var counts: [Int]
        var minimum = Double.greatestFiniteMagnitude
        var maximum = -Double.greatestFiniteMagnitude
        var sum = 0.0
        var sumOfSquares = 0.0
        var nonFiniteCount: Int { counts[counts.count - 1] }

        /// The pass over `a` followed by `b`.
        static func + (a: Pass, b: Pass) -> Pass {
            Pass(
                counts: zip(a.counts, b.counts).map { $0 &+ $1 }, minimum: Swift.min(a.minimum, b.minimum),
                maximum: Swift.max(a.maximum, b.maximum), sum: a.sum + b.sum, sumOfSquares: a.sumOfSquares + b.sumOfSquares)
        }
    }

    /// Values from which counting is split in two halves run at once (when the caller
    /// offers two threads): below it, the second thread's start costs more than it saves.
    static let halvesThreshold = 1 << 17

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

    /// Counts each value in its bucket, then (if all were finite) the statistics.
    private static func count(_ values: UnsafeBufferPointer<Float>, cells: UnsafeBufferPointer<UInt32>) -> Pass {
        let stride = bucketLimits.count + 1
        // Four count arrays, value i counting in array i % 4: a run of values in one bucket
        // then increments four counters in turn instead of waiting on one.
        var laneCounts = [Int](repeating: 0, count: 4 * stride)
        laneCounts.withUnsafeMutableBufferPointer { lanes in
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
        }
        var pass = Pass(counts: (0..<stride).map {
            laneCounts[$0] &+ laneCounts[stride + $0] &+ laneCounts[2 * stride + $0] &+ laneCounts[3 * stride + $0]
        })
        guard pass.nonFiniteCount == 0, !values.isEmpty else { return pass }
        let statistics = FloatStatistics(values)
        pass.minimum = Double(statistics.minimum)
        pass.maximum = Double(statistics.maximum)
        pass.sum = statistics.sum
        pass.sumOfSquares = statistics.sumOfSquares
        return pass
    }

    /// Runs `body(0)` and `body(1)` (which write disjoint memory), possibly at once on two
    /// threads, returning when both are done (`Session.runInHalves` is one).
    public typealias HalvesRunner = (_ body: (_ half: Int) -> Void) -> Void

    /// The histogram of `values` as TensorFlow's `HistogramSummary` writes it.
    /// - Throws: `NonFiniteValue` for a NaN or infinite value (TensorFlow's op fails too).
    /// With `halves`, more than `halvesThreshold` values are counted in two halves at once.
    public static func proto(of values: UnsafeBufferPointer<Float>, halves: HalvesRunner? = nil) throws(NonFiniteValue)
        -> Tensorflow_HistogramProto
    {
        let limits = bucketLimits
        let pass = cells.withUnsafeBufferPointer { cells -> Pass in
            guard let halves, values.count >= halvesThreshold else { return count(values, cells: cells) }
            let middle = values.count / 2
            // Both halves always run (`HalvesRunner`'s contract), each writing its own slot.
            var parts = [Pass](repeating: Pass(counts: []), count: 2)
            parts.withUnsafeMutableBufferPointer { parts in
                halves { half in
                    let range = half == 0 ? 0..<middle : middle..<values.count
                    parts[half] = count(UnsafeBufferPointer(rebasing: values[range]), cells: cells)
                }
            }
            return parts[0] + parts[1]
        }
        if pass.nonFiniteCount > 0, let nonFinite = values.first(where: { !$0.isFinite }) {
            throw NonFiniteValue(value: nonFinite)
        }
        let counts = pass.counts
        let (minimum, maximum, sum, sumOfSquares) = (pass.minimum, pass.maximum, pass.sum, pass.sumOfSquares)
        var proto = Tensorflow_HistogramProto()
        proto.min = minimum
        proto.max = maximum
        proto.num = Double(values.count)
        proto.sum = sum
        proto.sumSquares = sumOfSquares
        var index = 0
        while index < limits.count {
            var edge = limits[index]
            var count = counts[index]
            index += 1
            if count <= 0 {
                while index < limits.count && counts[index] <= 0 {
                    edge = limits[index]
                    count = counts[index]
                    index += 1
                }
            }
            proto.bucketLimit.append(edge)
            proto.bucket.append(Double(count))
        }
        return proto
    }
}
