/// A precision–recall curve at evenly spaced thresholds, as TensorBoard's PR Curves
/// dashboard stores it: for threshold `i / (thresholdCount - 1)`, the true and false
/// positive and negative counts of the predictions at or above it, and precision and
/// recall.
///
/// From labels and predictions the counts are made as TensorBoard's `pr_curve.pb` and
/// tensorboardX's `add_pr_curve` make them: a prediction `p` falls in bucket
/// `floor(p * (thresholdCount - 1))` (in float32); `truePositives[i]` is the weight of the positive
/// examples in buckets `i` and above, `falsePositives[i]` that of the negative ones;
/// `trueNegatives[i] = falsePositives[0] - falsePositives[i]`, `falseNegatives[i] =
/// truePositives[0] - truePositives[i]`; `precision = tp / max(1e-7, tp + fp)`, `recall =
/// tp / max(1e-7, tp + fn)`. Counts are summed in `Double` and stored as float32.
public struct PRCurve: Sendable, Equatable {
    public let truePositives: [Float]
    public let falsePositives: [Float]
    public let trueNegatives: [Float]
    public let falseNegatives: [Float]
    public let precision: [Float]
    public let recall: [Float]

    /// Thresholds (columns), at least 2.
    public var thresholdCount: Int { truePositives.count }

    /// The default number of thresholds, tensorboardX's.
    public static let defaultThresholdCount = 127
    /// The most thresholds a curve may have: the dashboard serves each as a JSON point.
    public static let maximumThresholdCount = 1 << 20

    /// The curve of `predictions` against the true `labels`.
    /// - Parameters:
    ///   - labels: whether each example is positive.
    ///   - predictions: the probability of each being positive, in [0, 1]; as many as labels.
    ///   - weights: each example's weight (finite, at least 0); nil weighs all 1.
    ///   - thresholdCount: 2...`maximumThresholdCount` evenly spaced thresholds in [0, 1].
    /// - Throws: `SummaryWriterError.invalidArgument` for no examples, naming the first
    ///   prediction outside [0, 1] or NaN, the first bad weight, mismatched counts, or a bad
    ///   threshold count.
    public init(labels: [Bool], predictions: [Float], weights: [Float]? = nil, thresholdCount: Int = defaultThresholdCount) throws {
        try Self.checkThresholdCount(thresholdCount)
        guard !labels.isEmpty else {
            throw SummaryWriterError.invalidArgument("a PR curve needs at least one example (label and prediction)")
        }
        guard labels.count == predictions.count else {
            throw SummaryWriterError.invalidArgument(
                "a PR curve needs one prediction per label, got \(labels.count) labels and \(predictions.count) predictions")
        }
        if let weights, weights.count != labels.count {
            throw SummaryWriterError.invalidArgument(
                "a PR curve needs one weight per label, got \(labels.count) labels and \(weights.count) weights")
        }
        if let bad = predictions.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw SummaryWriterError.invalidArgument(
                "prediction \(bad) is \(predictions[bad]); predictions are probabilities in [0, 1] (apply a sigmoid "
                    + "or softmax first)")
        }
        if let weights, let bad = weights.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
            throw SummaryWriterError.invalidArgument(
                "weight \(bad) is \(weights[bad]); weights must be finite and at least 0")
        }
        var positiveBuckets = [Double](repeating: 0, count: thresholdCount)
        var negativeBuckets = [Double](repeating: 0, count: thresholdCount)
        for index in labels.indices {
            // In float32, as numpy computes it for float32 predictions.
            let bucket = min(Int((predictions[index] * Float(thresholdCount - 1)).rounded(.down)), thresholdCount - 1)
            let weight = Double(weights?[index] ?? 1)
            if labels[index] { positiveBuckets[bucket] += weight } else { negativeBuckets[bucket] += weight }
        }
        let tp = Self.sumsFromTheRight(positiveBuckets)
        let fp = Self.sumsFromTheRight(negativeBuckets)
        let tn = fp.map { fp[0] - $0 }
        let fn = tp.map { tp[0] - $0 }
        truePositives = tp.map(Float.init)
        falsePositives = fp.map(Float.init)
        trueNegatives = tn.map(Float.init)
        falseNegatives = fn.map(Float.init)
        precision = tp.indices.map { Float(tp[$0] / max(1e-7, tp[$0] + fp[$0])) }
        recall = tp.indices.map { Float(tp[$0] / max(1e-7, tp[$0] + fn[$0])) }
    }

    /// A curve from counts already computed (tensorboardX's `add_pr_curve_raw`): one value
    /// per threshold in each array.
    /// - Throws: `SummaryWriterError.invalidArgument` when the arrays differ in length, hold
    ///   fewer than 2 or more than `maximumThresholdCount` values, or a NaN or infinity
    ///   (naming the array and index).
    public init(
        truePositives: [Float], falsePositives: [Float], trueNegatives: [Float], falseNegatives: [Float],
        precision: [Float], recall: [Float]
    ) throws {
        let columns = [
            ("truePositives", truePositives), ("falsePositives", falsePositives), ("trueNegatives", trueNegatives),
            ("falseNegatives", falseNegatives), ("precision", precision), ("recall", recall),
        ]
        let lengths = Set(columns.map(\.1.count))
        guard lengths.count == 1 else {
            throw SummaryWriterError.invalidArgument(
                "a PR curve's six arrays need one value per threshold each, got lengths "
                    + columns.map { "\($0.0) \($0.1.count)" }.joined(separator: ", "))
        }
        try Self.checkThresholdCount(truePositives.count)
        for (name, values) in columns {
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw SummaryWriterError.invalidArgument(
                    "\(name)[\(bad)] is \(values[bad]); a PR curve's counts, precision and recall must be finite")
            }
        }
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
        self.precision = precision
        self.recall = recall
    }

    /// The `[6, thresholdCount]` row-major values of the plugin's tensor.
    var tensorValues: [Float] {
        truePositives + falsePositives + trueNegatives + falseNegatives + precision + recall
    }

    private static func checkThresholdCount(_ count: Int) throws {
        guard (2...maximumThresholdCount).contains(count) else {
            throw SummaryWriterError.invalidArgument(
                "a PR curve has \(count) thresholds; it needs 2...\(maximumThresholdCount) (default \(defaultThresholdCount))")
        }
    }

    /// `result[i] = values[i] + values[i + 1] + ... + values[last]`.
    private static func sumsFromTheRight(_ values: [Double]) -> [Double] {
        var sums = values
        for index in sums.indices.reversed().dropFirst() { sums[index] += sums[index + 1] }
        return sums
    }
}
