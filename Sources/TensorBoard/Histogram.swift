import TFProtos

/// A histogram as TensorBoard's histogram plugin stores it: buckets of
/// `(leftEdge, rightEdge, count)`, plus the statistics of the values it was built from.
///
/// Built from values, it has `bucketCount` equal-width buckets from the smallest to the
/// largest finite value, as TensorFlow 2's `tf.summary.histogram` makes them (written as
/// the `[k, 3]` DT_DOUBLE tensor of the `histograms` plugin). How unusual values are
/// treated (TensorFlow 1's `HistogramSummary` op rejects NaN and infinities with an
/// `InvalidArgument` error; TensorFlow 2's arithmetic turns them into NaN edges; here
/// nothing is rejected and nothing crashes):
///
/// | input | buckets | `statistics` |
/// |---|---|---|
/// | NaN | skipped | counted in `nanCount` only |
/// | -infinity / +infinity | counted in the first / last bucket | in `count`, `minimum`/`maximum`, `sum`, `sumOfSquares` (IEEE: `sum` is NaN if both occur) |
/// | a value on an inner edge | the bucket to its right (`[left, right)`); the largest value is in the last bucket | – |
/// | one distinct finite value `v` | one bucket `[v - 0.5, v + 0.5]` | – |
/// | no values, only NaN, or only infinities; `bucketCount <= 0` | none (an empty `[0, 3]` tensor, which TensorBoard loads as an empty histogram) | `count` and `nanCount` as above |
/// | finite values whose range overflows (`-1e308, 1e308`) or is subnormal (`0, 5e-324`) | edges computed without overflow or division by zero | – |
public struct Histogram: Sendable, Equatable {
    /// One bucket: values in `[leftEdge, rightEdge)` (the last bucket also holds its right edge).
    public struct Bucket: Sendable, Equatable {
        public var leftEdge: Double
        public var rightEdge: Double
        public var count: Double

        public init(leftEdge: Double, rightEdge: Double, count: Double) {
            self.leftEdge = leftEdge
            self.rightEdge = rightEdge
            self.count = count
        }
    }

    /// Summary statistics of the values a histogram was built from (the `min`, `max`,
    /// `num`, `sum` and `sum_squares` of TensorFlow 1's `HistogramProto`), accumulated in
    /// `Double`. NaN values are left out of all of them and counted in `nanCount`.
    public struct Statistics: Sendable, Equatable {
        /// Values counted: every value except NaN (finite and infinite).
        public var count: Int
        /// NaN values, which no bucket and no other statistic includes.
        public var nanCount: Int
        /// The smallest counted value (`-infinity` if one was given); nil when `count` is 0.
        public var minimum: Double?
        /// The largest counted value; nil when `count` is 0.
        public var maximum: Double?
        /// The sum of the counted values (0 when there are none).
        public var sum: Double
        /// The sum of their squares.
        public var sumOfSquares: Double

        public init(count: Int, nanCount: Int, minimum: Double?, maximum: Double?, sum: Double, sumOfSquares: Double) {
            self.count = count
            self.nanCount = nanCount
            self.minimum = minimum
            self.maximum = maximum
            self.sum = sum
            self.sumOfSquares = sumOfSquares
        }
    }

    public var buckets: [Bucket]
    /// The statistics of the values; nil for a histogram made from explicit buckets.
    public var statistics: Statistics?

    /// A histogram from explicit buckets.
    public init(buckets: [Bucket]) {
        self.buckets = buckets
        self.statistics = nil
    }

    /// Buckets float32 values (see the type's documentation for the bucket rules).
    /// - Complexity: O(values.count), two passes; `BENCHMARKS.md` row `writer-histogram`.
    public init(values: [Float], bucketCount: Int = 30) {
        self = values.withUnsafeBufferPointer { HistogramBuilder.build($0, bucketCount: bucketCount) }
    }

    /// Buckets float64 values.
    /// - Complexity: O(values.count), two passes.
    public init(values: [Double], bucketCount: Int = 30) {
        self = values.withUnsafeBufferPointer { HistogramBuilder.build($0, bucketCount: bucketCount) }
    }

    /// Buckets integers (converted to `Double`, so values beyond 2^53 are rounded).
    /// - Complexity: O(values.count), two passes.
    public init(values: [Int], bucketCount: Int = 30) {
        self = values.withUnsafeBufferPointer { HistogramBuilder.build($0, bucketCount: bucketCount) }
    }

    /// Buckets any floating-point values. Contiguous `Float` and `Double` storage (arrays,
    /// slices, buffer pointers) takes the fast path; other element types are converted to
    /// `Double` first.
    /// - Complexity: O(values.count).
    public init<Values: Sequence>(values: Values, bucketCount: Int = 30) where Values.Element: BinaryFloatingPoint {
        let fast = values.withContiguousStorageIfAvailable { buffer -> Histogram? in
            if let floats = buffer as? UnsafeBufferPointer<Float> {
                return HistogramBuilder.build(floats, bucketCount: bucketCount)
            }
            if let doubles = buffer as? UnsafeBufferPointer<Double> {
                return HistogramBuilder.build(doubles, bucketCount: bucketCount)
            }
            return nil
        }
        if let histogram = fast ?? nil {
            self = histogram
        } else {
            self.init(values: values.map { Double($0) }, bucketCount: bucketCount)
        }
    }

    /// Buckets any integers (converted to `Double`). Contiguous `Int`, `Int32`, `Int64` and
    /// `UInt8` storage takes loops compiled for that type; the other standard fixed-width
    /// integers share one generic loop over their contiguous storage; anything else is
    /// converted to `[Double]` first.
    /// - Complexity: O(values.count).
    public init<Values: Sequence>(values: Values, bucketCount: Int = 30) where Values.Element: BinaryInteger {
        let fast = values.withContiguousStorageIfAvailable { buffer -> Histogram? in
            if let ints = buffer as? UnsafeBufferPointer<Int> { return HistogramBuilder.build(ints, bucketCount: bucketCount) }
            if let ints = buffer as? UnsafeBufferPointer<Int32> { return HistogramBuilder.build(ints, bucketCount: bucketCount) }
            if let ints = buffer as? UnsafeBufferPointer<Int64> { return HistogramBuilder.build(ints, bucketCount: bucketCount) }
            if let bytes = buffer as? UnsafeBufferPointer<UInt8> { return HistogramBuilder.build(bytes, bucketCount: bucketCount) }
            func generic<T: HistogramSample>(_: T.Type) -> Histogram? {
                (buffer as? UnsafeBufferPointer<T>).map { HistogramBuilder.build($0, bucketCount: bucketCount) }
            }
            return generic(Int8.self) ?? generic(Int16.self) ?? generic(UInt16.self) ?? generic(UInt32.self)
                ?? generic(UInt64.self) ?? generic(UInt.self)
        }
        if let histogram = fast ?? nil {
            self = histogram
        } else {
            self.init(values: values.map { Double($0) }, bucketCount: bucketCount)
        }
    }

    /// The `[k, 3]` DT_DOUBLE tensor the histogram plugin reads.
    var tensor: Tensorflow_TensorProto {
        var flat: [Double] = []
        flat.reserveCapacity(buckets.count * 3)
        for bucket in buckets {
            flat.append(bucket.leftEdge)
            flat.append(bucket.rightEdge)
            flat.append(bucket.count)
        }
        return TensorProtos.doubles(flat, shape: [buckets.count, 3])
    }
}

extension SummaryWriter {
    /// Adds a histogram of float32 values (see `Histogram`); returns it, so the caller can
    /// read its statistics, such as how many NaN values were skipped.
    /// - Complexity: O(values.count) on the caller's thread.
    @discardableResult
    public func add(
        histogram values: [Float], tag: String, step: Int, bucketCount: Int = 30, wallTime: Double? = nil
    ) throws -> Histogram {
        try add(histogram: Histogram(values: values, bucketCount: bucketCount), tag: tag, step: step, wallTime: wallTime)
    }

    /// Adds a histogram of float64 values; returns it.
    @discardableResult
    public func add(
        histogram values: [Double], tag: String, step: Int, bucketCount: Int = 30, wallTime: Double? = nil
    ) throws -> Histogram {
        try add(histogram: Histogram(values: values, bucketCount: bucketCount), tag: tag, step: step, wallTime: wallTime)
    }

    /// Adds a histogram of integers; returns it.
    @discardableResult
    public func add(
        histogram values: [Int], tag: String, step: Int, bucketCount: Int = 30, wallTime: Double? = nil
    ) throws -> Histogram {
        try add(histogram: Histogram(values: values, bucketCount: bucketCount), tag: tag, step: step, wallTime: wallTime)
    }

    /// Adds a histogram of any floating-point values; returns it.
    @discardableResult
    public func add<Values: Sequence>(
        histogram values: Values, tag: String, step: Int, bucketCount: Int = 30, wallTime: Double? = nil
    ) throws -> Histogram where Values.Element: BinaryFloatingPoint {
        try add(histogram: Histogram(values: values, bucketCount: bucketCount), tag: tag, step: step, wallTime: wallTime)
    }

    /// Adds a histogram of any integers; returns it.
    @discardableResult
    public func add<Values: Sequence>(
        histogram values: Values, tag: String, step: Int, bucketCount: Int = 30, wallTime: Double? = nil
    ) throws -> Histogram where Values.Element: BinaryInteger {
        try add(histogram: Histogram(values: values, bucketCount: bucketCount), tag: tag, step: step, wallTime: wallTime)
    }

    /// Adds a histogram from its buckets; returns it.
    @discardableResult
    public func add(histogram: Histogram, tag: String, step: Int, wallTime: Double? = nil) throws -> Histogram {
        var value = Tensorflow_Summary.Value()
        value.tag = tag
        value.metadata = PluginMetadata.make(plugin: "histograms")
        value.tensor = histogram.tensor
        var summary = Tensorflow_Summary()
        summary.value = [value]
        try add(summary: summary, step: step, wallTime: wallTime)
        return histogram
    }
}
