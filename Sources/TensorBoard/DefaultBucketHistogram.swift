import TFProtos

/// Histograms with TensorFlow's default bucket edges, as its `HistogramSummary` op writes
/// them: edges at 0 and at ±1e-12 · 1.1^k up to 1e20, then ±Double.greatestFiniteMagnitude;
/// a value `v` counts in the first bucket whose right edge is greater than `v`; runs of
/// empty buckets are written as one (whose edge is the run's last); `min`, `max` and `num`
/// are exact, `sum` and `sum_squares` are summed in double (in four interleaved partial
/// sums, so their last bits may differ from TensorFlow's in-order sums).
///
/// Finding a bucket costs two table lookups and integer arithmetic: a table maps the top
/// 16 bits of a float's magnitude (exponent and 8 mantissa bits, a cell narrower than the
/// 10% between edges, so holding at most one edge) to the number of edges below the cell,
/// and the one edge that may lie in the cell is compared as float32 bit patterns.
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

    /// For each cell (the top 16 bits of a float's magnitude), the number of positive edges
    /// below the cell's smallest value (an index into `edgeThresholds`).
    private static let edgesBelowCell: [UInt16] = {
        let edges = positiveEdges
        var table = [UInt16](repeating: 0, count: 1 << 16)
        var below = 0
        for cell in 0..<(1 << 16) {
            let start = Double(Float(bitPattern: UInt32(cell) << 15))
            while below < edges.count && edges[below] < start { below += 1 }
            table[cell] = UInt16(below)
        }
        return table
    }()

    /// For each positive edge (and a sentinel after the last), the bit patterns of the
    /// smallest float32 at or above it (high half) and of the smallest above it (low half):
    /// a float's magnitude is compared with an edge as an integer, without a branch.
    private static let edgeThresholds: [UInt64] = {
        positiveEdges.map { edge -> UInt64 in
            var atOrAbove = Float(edge)
            if Double(atOrAbove) < edge { atOrAbove = atOrAbove.nextUp }
            let above = Double(atOrAbove) == edge ? atOrAbove.nextUp : atOrAbove
            return UInt64(atOrAbove.bitPattern) << 32 | UInt64(above.bitPattern)
        } + [UInt64(Float.infinity.bitPattern) << 32 | UInt64(Float.infinity.bitPattern)]
    }()

    /// What counting found: the statistics, or the first non-finite value.
    private struct Pass {
        var minimum = Double.greatestFiniteMagnitude
        var maximum = -Double.greatestFiniteMagnitude
        var sum = 0.0
        var sumOfSquares = 0.0
        var nonFinite: Float?
    }

    /// The index in `bucketLimits` of `value`'s bucket, or -1 for NaN and infinities.
    @inline(__always)
    private static func bucket(of value: Float, _ table: UnsafeBufferPointer<UInt16>, _ thresholds: UnsafeBufferPointer<UInt64>) -> Int {
        let bits = value.bitPattern
        let magnitudeBits = bits & 0x7FFF_FFFF
        let nonFinite = Int((0x7F7F_FFFF &- magnitudeBits) >> 31)  // 1 for NaN and infinities
        let n = thresholds.count &- 1
        let below = Int(table[Int(magnitudeBits >> 15)])
        let threshold = thresholds[below]
        // Arithmetic, not comparisons, so that no branch depends on the data (signs and
        // sides of an edge are unpredictable): each flag is 0 or 1.
        let magnitude = Int(magnitudeBits)
        let above = 1 &+ ((magnitude &- Int(threshold >> 32)) >> 63)  // magnitude >= edge
        let beyond = 1 &+ ((magnitude &- Int(threshold & 0xFFFF_FFFF)) >> 63)  // magnitude > edge
        let isZero = Int((magnitudeBits &- 1) >> 31)  // 1 for +0 and -0
        let negative = Int(bits >> 31)
        // v >= 0: edges <= v are -max, the n negative ones, 0 and the positive ones <= v;
        // v < 0: -max and the negative edges -e with e >= |v| (and 0 for -0).
        let positiveIndex = n &+ 2 &+ below &+ above
        let negativeIndex = 1 &+ n &- below &- beyond &+ isZero
        return (positiveIndex &+ negative &* (negativeIndex &- positiveIndex)) | -nonFinite
    }

    /// Counts each value in its bucket, then sums the statistics; stops at a non-finite value.
    /// The statistics are summed in four interleaved lanes, so that the additions of
    /// neighbouring values do not wait for each other (TensorFlow adds in order, so `sum` and
    /// `sum_squares` may differ from its in the last bits).
    private static func count(
        _ values: UnsafeBufferPointer<Float>, table: UnsafeBufferPointer<UInt16>, thresholds: UnsafeBufferPointer<UInt64>,
        into counts: UnsafeMutableBufferPointer<Double>
    ) -> Pass {
        let bucketCount = counts.count
        // Four integer count arrays, value i counting in array i % 4: a run of values in one
        // bucket then increments four counters in turn instead of waiting on one.
        var laneCounts = [Int](repeating: 0, count: 4 * bucketCount)
        let nonFinite = laneCounts.withUnsafeMutableBufferPointer { lanes -> Float? in
            let (lane1, lane2, lane3) = (bucketCount, 2 * bucketCount, 3 * bucketCount)
            let quads = values.count / 4
            for quad in 0..<quads {
                let base = quad &* 4
                let a = bucket(of: values[base], table, thresholds)
                let b = bucket(of: values[base &+ 1], table, thresholds)
                let c = bucket(of: values[base &+ 2], table, thresholds)
                let d = bucket(of: values[base &+ 3], table, thresholds)
                if (a | b | c | d) < 0 { return values[base..<(base + 4)].first { !$0.isFinite } }
                lanes[a] &+= 1
                lanes[lane1 &+ b] &+= 1
                lanes[lane2 &+ c] &+= 1
                lanes[lane3 &+ d] &+= 1
            }
            for index in (quads * 4)..<values.count {
                let a = bucket(of: values[index], table, thresholds)
                if a < 0 { return values[index] }
                lanes[a] &+= 1
            }
            return nil
        }
        if let nonFinite { return Pass(nonFinite: nonFinite) }
        for index in 0..<bucketCount {
            counts[index] = Double(
                laneCounts[index] + laneCounts[bucketCount + index] + laneCounts[2 * bucketCount + index]
                    + laneCounts[3 * bucketCount + index])
        }
        var (low0, low1, low2, low3) = (Float.infinity, Float.infinity, Float.infinity, Float.infinity)
        var (high0, high1, high2, high3) = (-Float.infinity, -Float.infinity, -Float.infinity, -Float.infinity)
        var (sum0, sum1, sum2, sum3) = (0.0, 0.0, 0.0, 0.0)
        var (square0, square1, square2, square3) = (0.0, 0.0, 0.0, 0.0)
        let quads = values.count / 4
        for quad in 0..<quads {
            let (a, b, c, d) = (values[quad * 4], values[quad * 4 + 1], values[quad * 4 + 2], values[quad * 4 + 3])
            low0 = a < low0 ? a : low0
            low1 = b < low1 ? b : low1
            low2 = c < low2 ? c : low2
            low3 = d < low3 ? d : low3
            high0 = a > high0 ? a : high0
            high1 = b > high1 ? b : high1
            high2 = c > high2 ? c : high2
            high3 = d > high3 ? d : high3
            let (x0, x1, x2, x3) = (Double(a), Double(b), Double(c), Double(d))
            sum0 += x0
            sum1 += x1
            sum2 += x2
            sum3 += x3
            square0 += x0 * x0
            square1 += x1 * x1
            square2 += x2 * x2
            square3 += x3 * x3
        }
        for index in (quads * 4)..<values.count {
            let value = values[index]
            low0 = value < low0 ? value : low0
            high0 = value > high0 ? value : high0
            sum0 += Double(value)
            square0 += Double(value) * Double(value)
        }
        let low = Swift.min(Swift.min(low0, low1), Swift.min(low2, low3))
        let high = Swift.max(Swift.max(high0, high1), Swift.max(high2, high3))
        return Pass(
            minimum: values.isEmpty ? Double.greatestFiniteMagnitude : Double(low),
            maximum: values.isEmpty ? -Double.greatestFiniteMagnitude : Double(high),
            sum: (sum0 + sum1) + (sum2 + sum3), sumOfSquares: (square0 + square1) + (square2 + square3))
    }

    /// The histogram of `values` as TensorFlow's `HistogramSummary` writes it.
    /// - Throws: `NonFiniteValue` for a NaN or infinite value (TensorFlow's op fails too).
    public static func proto(of values: UnsafeBufferPointer<Float>) throws(NonFiniteValue) -> Tensorflow_HistogramProto {
        let limits = bucketLimits
        var counts = [Double](repeating: 0, count: limits.count)
        let pass = edgesBelowCell.withUnsafeBufferPointer { table in
            edgeThresholds.withUnsafeBufferPointer { thresholds in
                counts.withUnsafeMutableBufferPointer { counts in
                    count(values, table: table, thresholds: thresholds, into: counts)
                }
            }
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
