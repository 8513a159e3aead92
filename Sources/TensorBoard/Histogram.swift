import TFProtos

/// A histogram as TensorBoard's histogram plugin stores it: buckets of
/// `(leftEdge, rightEdge, count)`.
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

    public var buckets: [Bucket]

    /// A histogram from explicit buckets.
    public init(buckets: [Bucket]) {
        self.buckets = buckets
    }

    /// Buckets `values` into `bucketCount` equal-width buckets from the minimum to the
    /// maximum, as TensorFlow 2's `tf.summary.histogram` does. Non-finite values are
    /// skipped. All-equal values give one bucket `[v - 0.5, v + 0.5]`; no values, none.
    ///
    /// - Complexity: O(values.count).
    public init<Values: Collection>(values: Values, bucketCount: Int = 30) where Values.Element: BinaryFloatingPoint {
        let finite = values.lazy.map { Double($0) }.filter { $0.isFinite }
        guard let low = finite.min(), let high = finite.max(), bucketCount > 0 else {
            buckets = []
            return
        }
        if low == high {
            buckets = [Bucket(leftEdge: low - 0.5, rightEdge: high + 0.5, count: Double(finite.count))]
            return
        }
        let width = (high - low) / Double(bucketCount)
        var counts = [Double](repeating: 0, count: bucketCount)
        for value in finite {
            let index = min(Int((value - low) / width), bucketCount - 1)
            counts[index] += 1
        }
        buckets = counts.indices.map { index in
            let left = low + Double(index) * width
            let right = index == bucketCount - 1 ? high : low + Double(index + 1) * width
            return Bucket(leftEdge: left, rightEdge: right, count: counts[index])
        }
    }

    /// The `[k, 3]` DT_DOUBLE tensor the histogram plugin reads.
    var tensor: Tensorflow_TensorProto {
        TensorProtos.doubles(
            buckets.flatMap { [$0.leftEdge, $0.rightEdge, $0.count] }, shape: [buckets.count, 3])
    }
}

extension SummaryWriter {
    /// Adds a histogram of `values` (see `Histogram(values:bucketCount:)`).
    public func add<Values: Collection>(
        histogram values: Values, tag: String, step: Int, bucketCount: Int = 30, wallTime: Double? = nil
    ) throws where Values.Element: BinaryFloatingPoint {
        try add(histogram: Histogram(values: values, bucketCount: bucketCount), tag: tag, step: step, wallTime: wallTime)
    }

    /// Adds a histogram from its buckets.
    public func add(histogram: Histogram, tag: String, step: Int, wallTime: Double? = nil) throws {
        var value = Tensorflow_Summary.Value()
        value.tag = tag
        value.metadata = PluginMetadata.make(plugin: "histograms")
        value.tensor = histogram.tensor
        var summary = Tensorflow_Summary()
        summary.value = [value]
        try add(summary: summary, step: step, wallTime: wallTime)
    }
}
