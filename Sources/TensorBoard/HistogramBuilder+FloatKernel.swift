import CHistogram

extension HistogramBuilder {
    /// How close (in bucket units) to an edge the float estimate of a value may come before
    /// the vector kernel settles the value against the exact double edges.
    static let settlingMargin: Float = 0x1p-8

    /// The largest bucket count the vector kernel takes (its error bound and counter lanes
    /// are sized for it); larger counts take `countPerBucket`.
    static let vectorKernelMaximumBuckets = 1024

    /// How many float values fall in each bucket, counted eight at a time by
    /// `c_histogram_count_floats`, or nil where that kernel does not apply (no AVX2, too many
    /// buckets, a range whose float estimate cannot be bounded): then `countPerBucket` counts.
    ///
    /// The caller promises what `countPerBucket(fast: true)` needs: every value finite and in
    /// `[low, high]`, no NaN, and `layout` built from that `low` and `high` (both values of
    /// the array, so exact floats).
    ///
    /// Exactness: the kernel trusts `floor((x - low) * factor)`, computed in float, only
    /// when the product lies at least `settlingMargin` from an integer; nearer ones are
    /// settled against the exact edges. That is exact when the product's rounding error
    /// (four roundings: `x - low`, the factor's division and its conversion to float, the
    /// product; together below 2^-22 of it, so `(bucketCount + 1) * 2^-22` bucket units)
    /// plus each edge's own rounding (as `BucketLayout` bounds it) stays below the margin;
    /// this function checks that bound, with a factor of two to spare, before calling.
    static func countFloatsInVectors(
        _ values: UnsafeBufferPointer<Float>, _ layout: BucketLayout, low: Double, high: Double
    ) -> [Int]? {
        let bucketCount = layout.bucketCount
        guard c_histogram_is_available() != 0, !layout.needsCheck, bucketCount <= vectorKernelMaximumBuckets,
            let base = values.baseAddress
        else { return nil }
        let range = high - low
        let factor = Float(Double(bucketCount) / range)
        // `x - low` must stay finite in float, and the factor a normal float (full precision).
        guard range <= Double(Float.greatestFiniteMagnitude) / 2, factor.isNormal else { return nil }
        let estimateError = Double(bucketCount + 1) * 0x1p-22
        guard estimateError + layout.edgeError < Double(settlingMargin) / 2 else { return nil }

        let stride = bucketCount + 1
        let lanes = Int(c_histogram_lanes)
        var laneCounts = [UInt64](repeating: 0, count: lanes * stride)
        let counted = laneCounts.withUnsafeMutableBufferPointer { counts in
            layout.lowerEdges.withUnsafeBufferPointer { lower in
                layout.upperEdges.withUnsafeBufferPointer { upper in
                    c_histogram_count_floats(
                        base, values.count, Float(low), factor, settlingMargin, lower.baseAddress, upper.baseAddress,
                        Int32(bucketCount), counts.baseAddress)
                }
            }
        }
        guard counted != 0 else { return nil }
        var total = (0..<stride).map { bucket in
            (0..<lanes).reduce(0) { $0 &+ Int(truncatingIfNeeded: laneCounts[$1 * stride + bucket]) }
        }
        // The extra counter holds values equal to `high`, which belong to the last bucket.
        total[stride - 2] += total[stride - 1]
        total.removeLast()
        return total
    }
}
