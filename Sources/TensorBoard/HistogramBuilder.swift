/// Element types the histogram loops are specialised for: each converts to `Double`
/// (exactly, except 64-bit integers beyond 2^53, which round).
protocol HistogramSample {
    var histogramValue: Double { get }
}

extension Float: HistogramSample { @inline(__always) var histogramValue: Double { Double(self) } }
extension Double: HistogramSample { @inline(__always) var histogramValue: Double { self } }
extension Int: HistogramSample { @inline(__always) var histogramValue: Double { Double(self) } }
extension Int8: HistogramSample { @inline(__always) var histogramValue: Double { Double(self) } }
extension Int16: HistogramSample { @inline(__always) var histogramValue: Double { Double(self) } }
extension Int32: HistogramSample { @inline(__always) var histogramValue: Double { Double(self) } }
extension Int64: HistogramSample { @inline(__always) var histogramValue: Double { Double(self) } }
extension UInt: HistogramSample { @inline(__always) var histogramValue: Double { Double(self) } }
extension UInt8: HistogramSample { @inline(__always) var histogramValue: Double { Double(self) } }
extension UInt16: HistogramSample { @inline(__always) var histogramValue: Double { Double(self) } }
extension UInt32: HistogramSample { @inline(__always) var histogramValue: Double { Double(self) } }
extension UInt64: HistogramSample { @inline(__always) var histogramValue: Double { Double(self) } }

/// Builds `Histogram`s from values in two passes: statistics (count, NaNs, extremes, sum,
/// sum of squares), then one bucket per value, found in O(1) from its offset to the
/// minimum and checked against the exact edge table.
///
/// Memory access: the loops read values through an `UnsafeBufferPointer`'s subscript (the
/// caller's contiguous storage, borrowed for the call; no pointer arithmetic, no writes),
/// so one compiled loop per element type serves arrays, slices and buffers. This is the
/// only unsafe-pointer use of the histogram code.
enum HistogramBuilder {
    /// Histograms never have more buckets than this (TensorBoard shows about 30); a larger
    /// `bucketCount` is treated as this many.
    static let maximumBucketCount = 1 << 20

    /// Accumulators run in this many independent lanes so that additions and bucket
    /// increments do not wait for each other.
    private static let lanes = 4

    static func build<T: HistogramSample>(_ values: UnsafeBufferPointer<T>, bucketCount: Int) -> Histogram {
        let summary = summarize(values)
        var histogram = Histogram(buckets: [])
        histogram.statistics = summary.statistics
        let bucketCount = min(bucketCount, maximumBucketCount)
        guard bucketCount > 0, summary.statistics.count > 0,
            let extremes = summary.finiteExtremes ?? finiteExtremes(values)
        else { return histogram }
        let (low, high) = extremes
        if low == high {
            let count = Double(summary.statistics.count)
            histogram.buckets = [Histogram.Bucket(leftEdge: low - 0.5, rightEdge: high + 0.5, count: count)]
            return histogram
        }
        let layout = BucketLayout(low: low, high: high, bucketCount: bucketCount)
        // Without NaN and infinities every value lies in [low, high], and with a provably
        // close estimate no search is needed: the loop compiled for that (`fast`) skips the
        // clamps and the check.
        let fast = summary.finiteExtremes != nil && summary.statistics.nanCount == 0 && !layout.needsCheck
        var counts: [Int]
        if fast, let floats = values as? UnsafeBufferPointer<Float>,
            let vectorCounts = countFloatsInVectors(floats, layout, low: low, high: high)
        {
            counts = vectorCounts
        } else {
            counts = fast ? countPerBucket(values, layout, fast: true) : countPerBucket(values, layout, fast: false)
        }
        // NaN values land in bucket 0 (see `BucketLayout.bucket(of:)`); take them out.
        counts[0] -= summary.statistics.nanCount
        histogram.buckets = (0..<bucketCount).map { index in
            Histogram.Bucket(
                leftEdge: layout.edges[index], rightEdge: layout.edges[index + 1], count: Double(counts[index]))
        }
        return histogram
    }

    /// Pass one's result; `finiteExtremes` is nil when an infinity (or nothing) was seen,
    /// then a second look finds the finite ones.
    struct Summary {
        var statistics: Histogram.Statistics
        var finiteExtremes: (Double, Double)?
    }

    /// Count, extremes, sum and sum of squares in `lanes` lanes. NaN fails every comparison,
    /// so it never becomes an extreme; if the sums come out NaN, `summarizeSkippingNaN`
    /// redoes them (NaN is rare, and the fast loop stays free of NaN tests).
    /// Float values (the common case: weights and activations) take `FloatStatistics`,
    /// eight at a time, with the same results up to the sums' last bits.
    @inline(__always)
    static func summarize<T: HistogramSample>(_ values: UnsafeBufferPointer<T>) -> Summary {
        if let floats = values as? UnsafeBufferPointer<Float> { return summarize(FloatStatistics(floats), total: floats.count) }
        var low = (Double.infinity, Double.infinity, Double.infinity, Double.infinity)
        var high = (-Double.infinity, -Double.infinity, -Double.infinity, -Double.infinity)
        var sum = (0.0, 0.0, 0.0, 0.0)
        var squares = (0.0, 0.0, 0.0, 0.0)
        var index = 0
        while index + lanes <= values.count {
            let a = values[index].histogramValue, b = values[index + 1].histogramValue
            let c = values[index + 2].histogramValue, d = values[index + 3].histogramValue
            low = (a < low.0 ? a : low.0, b < low.1 ? b : low.1, c < low.2 ? c : low.2, d < low.3 ? d : low.3)
            high = (a > high.0 ? a : high.0, b > high.1 ? b : high.1, c > high.2 ? c : high.2, d > high.3 ? d : high.3)
            sum = (sum.0 + a, sum.1 + b, sum.2 + c, sum.3 + d)
            squares = (squares.0 + a * a, squares.1 + b * b, squares.2 + c * c, squares.3 + d * d)
            index += lanes
        }
        while index < values.count {
            let a = values[index].histogramValue
            low.0 = a < low.0 ? a : low.0
            high.0 = a > high.0 ? a : high.0
            sum.0 += a
            squares.0 += a * a
            index += 1
        }
        let minimum = min(min(low.0, low.1), min(low.2, low.3))
        let maximum = max(max(high.0, high.1), max(high.2, high.3))
        var totalSum = (sum.0 + sum.1) + (sum.2 + sum.3)
        var totalSquares = (squares.0 + squares.1) + (squares.2 + squares.3)
        var nanCount = 0
        if totalSum.isNaN || totalSquares.isNaN {
            (totalSum, totalSquares, nanCount) = summarizeSkippingNaN(values)
        }
        let count = values.count - nanCount
        let statistics = Histogram.Statistics(
            count: count, nanCount: nanCount, minimum: count > 0 ? minimum : nil, maximum: count > 0 ? maximum : nil,
            sum: totalSum, sumOfSquares: totalSquares)
        let finite = minimum.isFinite && maximum.isFinite ? (minimum, maximum) : nil
        return Summary(statistics: statistics, finiteExtremes: finite)
    }

    static func summarize(_ floats: FloatStatistics, total: Int) -> Summary {
        let count = total - floats.nanCount
        let (minimum, maximum) = (Double(floats.minimum), Double(floats.maximum))
        let statistics = Histogram.Statistics(
            count: count, nanCount: floats.nanCount, minimum: count > 0 ? minimum : nil, maximum: count > 0 ? maximum : nil,
            sum: floats.sum, sumOfSquares: floats.sumOfSquares)
        let finite = minimum.isFinite && maximum.isFinite ? (minimum, maximum) : nil
        return Summary(statistics: statistics, finiteExtremes: finite)
    }

    /// Sum, sum of squares and NaN count, adding NaN as 0 (the same lanes as `summarize`,
    /// so the sums are those the values without their NaNs would give).
    static func summarizeSkippingNaN<T: HistogramSample>(_ values: UnsafeBufferPointer<T>)
        -> (sum: Double, squares: Double, nanCount: Int)
    {
        var sum = (0.0, 0.0, 0.0, 0.0)
        var squares = (0.0, 0.0, 0.0, 0.0)
        var nanCount = 0
        var index = 0
        func clean(_ x: Double) -> Double {
            if x.isNaN { nanCount += 1; return 0 }
            return x
        }
        while index + lanes <= values.count {
            let a = clean(values[index].histogramValue), b = clean(values[index + 1].histogramValue)
            let c = clean(values[index + 2].histogramValue), d = clean(values[index + 3].histogramValue)
            sum = (sum.0 + a, sum.1 + b, sum.2 + c, sum.3 + d)
            squares = (squares.0 + a * a, squares.1 + b * b, squares.2 + c * c, squares.3 + d * d)
            index += lanes
        }
        while index < values.count {
            let a = clean(values[index].histogramValue)
            sum.0 += a
            squares.0 += a * a
            index += 1
        }
        return ((sum.0 + sum.1) + (sum.2 + sum.3), (squares.0 + squares.1) + (squares.2 + squares.3), nanCount)
    }

    /// The smallest and largest finite value, nil if there is none.
    static func finiteExtremes<T: HistogramSample>(_ values: UnsafeBufferPointer<T>) -> (Double, Double)? {
        var low = Double.infinity
        var high = -Double.infinity
        for index in values.indices {
            let x = values[index].histogramValue
            if x.isFinite {
                low = Swift.min(low, x)
                high = Swift.max(high, x)
            }
        }
        return low <= high ? (low, high) : nil
    }

    /// How many values fall in each bucket (NaN counted in bucket 0), in `lanes` separate
    /// count arrays so that runs of values in one bucket do not serialize on one counter.
    /// The one place with pointer code: the counters and edge tables are written and read
    /// through buffer pointers (indices always in `0...bucketCount`, see
    /// `BucketLayout.bucket`), so the loop carries no bounds or overflow checks.
    @inline(__always)
    static func countPerBucket<T: HistogramSample>(
        _ values: UnsafeBufferPointer<T>, _ layout: BucketLayout, fast: Bool
    ) -> [Int] {
        // One more counter than buckets: the estimate may land on `bucketCount` for `high`.
        let stride = layout.bucketCount + 1
        var counts = [Int](repeating: 0, count: stride * lanes)
        counts.withUnsafeMutableBufferPointer { counts in
            layout.lowerEdges.withUnsafeBufferPointer { lower in
                layout.upperEdges.withUnsafeBufferPointer { upper in
                    guard let base = counts.baseAddress else { return }
                    var index = 0
                    while index + lanes <= values.count {
                        let a = layout.bucket(of: values[index].histogramValue, lower: lower, upper: upper, fast: fast)
                        let b = layout.bucket(of: values[index + 1].histogramValue, lower: lower, upper: upper, fast: fast)
                        let c = layout.bucket(of: values[index + 2].histogramValue, lower: lower, upper: upper, fast: fast)
                        let d = layout.bucket(of: values[index + 3].histogramValue, lower: lower, upper: upper, fast: fast)
                        base[a] &+= 1
                        base[stride &+ b] &+= 1
                        base[2 &* stride &+ c] &+= 1
                        base[3 &* stride &+ d] &+= 1
                        index += lanes
                    }
                    while index < values.count {
                        base[layout.bucket(of: values[index].histogramValue, lower: lower, upper: upper, fast: fast)] &+= 1
                        index += 1
                    }
                }
            }
        }
        var total = (0..<stride).map { bucket in
            counts[bucket] + counts[stride + bucket] + counts[2 * stride + bucket] + counts[3 * stride + bucket]
        }
        // The extra counter holds values equal to `high`, which belong to the last bucket.
        total[stride - 2] += total[stride - 1]
        total.removeLast()
        return total
    }
}

/// Equal-width bucket edges from `low` to `high` (finite, `low < high`) and the O(1) map
/// from a value to its bucket.
///
/// Edge `i` is `low + i * width` with `width = (high - low) / bucketCount` (TensorFlow 2's
/// `linspace`), the last edge is exactly `high`. When `high - low` overflows, the same is
/// computed on halved values. Bucket `i` holds `edges[i] <= x < edges[i + 1]`; the first
/// also everything below (`-infinity`, and NaN, which the builder takes out again), the
/// last everything from its left edge up (`high`, `+infinity`).
struct BucketLayout {
    let bucketCount: Int
    /// `bucketCount + 1` non-decreasing edges.
    let edges: [Double]
    /// Bucket `i`'s left edge, `-infinity` for bucket 0; then `high` for the extra counter
    /// `bucketCount` (values equal to `high`, later added to the last bucket).
    let lowerEdges: [Double]
    /// Bucket `i`'s right edge, NaN for the last bucket and the extra counter (no value is
    /// `>=` NaN, so neither steps up).
    let upperEdges: [Double]
    /// `bucketCount / (high - low)`, or 0 when that is not a finite positive number (a
    /// subnormal or overflowing range): then every value takes the binary search.
    private let factor: Double
    /// `low` plus half a bucket (see `bucket(of:)`).
    private let centeredLow: Double
    private let lastIndex: Int
    /// False when the estimate is provably within one bucket of the answer (the edges' and
    /// the estimate's rounding errors, in bucket units, stay below 1/2), so one step up or
    /// down is exact and needs no check; true for the degenerate cases above.
    let needsCheck: Bool
    /// A bound, in bucket units, on how far each edge and each double estimate lie from
    /// their exact values; meaningful only when `needsCheck` is false.
    let edgeError: Double

    init(low: Double, high: Double, bucketCount: Int) {
        self.bucketCount = bucketCount
        lastIndex = bucketCount - 1
        let range = high - low
        var edges = [Double](repeating: high, count: bucketCount + 1)
        if range.isFinite {
            let width = range / Double(bucketCount)
            for index in 0..<bucketCount { edges[index] = min(low + Double(index) * width, high) }
        } else {
            let halfWidth = (high * 0.5 - low * 0.5) / Double(bucketCount)
            for index in 0..<bucketCount { edges[index] = min((low * 0.5 + Double(index) * halfWidth) * 2, high) }
        }
        self.edges = edges
        lowerEdges = [-Double.infinity] + edges[1..<bucketCount] + [high]
        upperEdges = Array(edges[1..<bucketCount]) + [Double.nan, Double.nan]
        let factor = Double(bucketCount) / range
        self.factor = factor.isFinite && factor > 0 ? factor : 0
        centeredLow = self.factor > 0 ? low + 0.5 / self.factor : low
        // Each edge and each estimate is off by a few ulps of the largest magnitude, plus
        // ulps of the bucket index; 4 and 2^-50 bound those few with room to spare.
        let magnitude = max(abs(low), abs(high))
        edgeError = magnitude.ulp * self.factor * 4 + Double(bucketCount) * 0x1p-50
        needsCheck = self.factor == 0 || !(edgeError < 0.5)
    }

    /// The counter of `x` (`lower`/`upper` are `lowerEdges`/`upperEdges`): estimated from
    /// `(x - low) * factor`, moved by at most one to agree with the exact edges, and
    /// (`needsCheck` only) searched for when rounding made several edges equal (tiny widths
    /// next to large values) or the range is subnormal or overflows. Always in
    /// `0...bucketCount`: the estimate is, and counter 0 never steps down (its lower edge is
    /// -infinity) while the last two never step up (their upper edge is NaN). `fast`
    /// promises `low <= x <= high` and `!needsCheck`; it only saves work, the result stays
    /// in range without it.
    @inline(__always)
    func bucket(of x: Double, lower: UnsafeBufferPointer<Double>, upper: UnsafeBufferPointer<Double>, fast: Bool) -> Int {
        // `(x - low) * factor - 1/2`, so that rounding to nearest below gives the floor,
        // the right bucket for all but values within rounding of an edge: the steps below
        // are then rarely taken and their branches predictable.
        var estimate = (x - centeredLow) * factor
        if !fast {
            // NaN and negative estimates become 0, large ones the last bucket.
            estimate = estimate >= 0 ? estimate : 0
            estimate = estimate <= Double(lastIndex) ? estimate : Double(lastIndex)
        }
        // Adding 1.5 * 2^52 leaves 2^51 + the nearest integer in the low mantissa bits, for
        // any estimate of magnitude below 2^51 (no trapping conversion); the integer is then
        // held to 0...bucketCount whatever happened.
        let rounded = Int(truncatingIfNeeded: (estimate + 0x1.8p52).bitPattern & 0xF_FFFF_FFFF_FFFF) &- (1 << 51)
        var index = min(max(rounded, 0), bucketCount)
        if x < lower[index] {
            index &-= 1
        } else if x >= upper[index] {
            index &+= 1
        }
        if !fast && needsCheck && (x < lower[index] || x >= upper[index]) { index = search(x) }
        return index
    }

    /// The largest bucket whose left edge is at most `x` (bucket 0 if none).
    func search(_ x: Double) -> Int {
        var lowerBound = 0
        var upperBound = lastIndex
        while lowerBound < upperBound {
            let middle = (lowerBound + upperBound + 1) / 2
            if edges[middle] <= x { lowerBound = middle } else { upperBound = middle - 1 }
        }
        return lowerBound
    }
}
