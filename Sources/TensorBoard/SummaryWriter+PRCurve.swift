import TFProtos

extension SummaryWriter {
    /// Adds a precision–recall curve for TensorBoard's PR Curves dashboard (plugin
    /// `pr_curves`; the value is a `[6, thresholds]` float32 tensor, rows true positives,
    /// false positives, true negatives, false negatives, precision, recall; the metadata's
    /// `PrCurvePluginData` holds the threshold count).
    ///
    ///     try writer.add(prCurve: PRCurve(labels: labels, predictions: scores), tag: "pr", step: 1)
    ///
    /// - Throws: `SummaryWriterError.invalidArgument` for an empty tag or wall time that is not finite.
    public func add(prCurve curve: PRCurve, tag: String, step: Int, wallTime: Double? = nil) throws {
        var pluginData = Tensorboard_PrCurvePluginData()
        pluginData.numThresholds = UInt32(curve.thresholdCount)
        var value = Tensorflow_Summary.Value()
        value.tag = tag
        value.metadata = PluginMetadata.make(plugin: "pr_curves", content: try pluginData.serializedBytes())
        value.tensor = TensorProtos.floats(curve.tensorValues, shape: [6, curve.thresholdCount])
        var summary = Tensorflow_Summary()
        summary.value = [value]
        try add(summary: summary, step: step, wallTime: wallTime)
    }

    /// Adds the precision–recall curve of `predictions` against `labels` (tensorboardX's
    /// `add_pr_curve`); see `PRCurve.init(labels:predictions:weights:thresholdCount:)`.
    /// - Throws: as that initializer, and as `add(prCurve:tag:step:)`.
    public func add(
        prCurveLabels labels: [Bool], predictions: [Float], weights: [Float]? = nil,
        thresholdCount: Int = PRCurve.defaultThresholdCount, tag: String, step: Int, wallTime: Double? = nil
    ) throws {
        let curve = try PRCurve(labels: labels, predictions: predictions, weights: weights, thresholdCount: thresholdCount)
        try add(prCurve: curve, tag: tag, step: step, wallTime: wallTime)
    }
}
