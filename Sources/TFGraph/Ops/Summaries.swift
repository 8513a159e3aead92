
/// Summary ops: each evaluates to a serialized `Summary` protobuf (a string scalar) that
/// `SummaryWriter.add(serializedSummary:step:)` writes. `MergeSummary` concatenates them
/// (concatenated Summary messages are one Summary holding every value).

package enum ScalarSummaryOp: OpDefinition {
    package static let type = "ScalarSummary"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] { [[]] }
}

package enum HistogramSummaryOp: OpDefinition {
    package static let type = "HistogramSummary"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] { [[]] }
}

package enum MergeSummaryOp: OpDefinition {
    package static let type = "MergeSummary"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] { [[]] }
}

extension Graph {
    /// A summary op in a name scope of its own; its tag is that scope's unique name
    /// (TensorFlow 1's rule: `accuracy_1` when `accuracy` is taken, `layer1/Wx_plus_b/pre_activations`
    /// inside scopes), so TensorBoard shows the tags TensorFlow would write.
    func summary(
        _ definition: any OpDefinition.Type, tag: String, _ values: Output, name: String?,
        tagInput: String = "tags", attributes: [String: AttrValue] = [:]
    ) throws -> Output {
        try checkOwnership(of: values, for: name ?? tag)
        let output = try withNameScope(name ?? tag) {
            let uniqueTag = String(currentScope.dropLast())
            let tags = constant(Tensor(unchecked: .string([Array(uniqueTag.utf8)]), shape: []), name: tagInput)
            return try addOperation(
                definition, name: currentScope, inputs: [tags, values],
                attributes: attributes.merging(["T": .type(values.dtype)]) { mine, _ in mine },
                outputTypes: [.string], outputShapes: [.scalar]
            ).firstOutput
        }
        addToCollection(.summaries, output)
        return output
    }

    /// A scalar summary (TensorFlow 1's `tf.summary.scalar`): evaluates to a serialized
    /// Summary with `simple_value`, and joins the summaries collection. The tag is the
    /// summary's unique scope name (see `summary`).
    @discardableResult
    public func scalarSummary(_ tag: String, _ value: some OutputConvertible, name: String? = nil) throws -> Output {
        let value = value.output
        guard value.shape.rank == 0 else {
            throw GraphError.invalidArgument("scalarSummary \(tag): the value must be a scalar, got shape \(value.shape)")
        }
        return try summary(ScalarSummaryOp.self, tag: tag, value, name: name)
    }

    /// A histogram summary of a float32 tensor's values (TensorFlow 1's
    /// `tf.summary.histogram`), with TensorFlow's default bucket edges. Running it throws
    /// when a value is NaN or infinite, as TensorFlow's does.
    @discardableResult
    public func histogramSummary(_ tag: String, _ values: some OutputConvertible, name: String? = nil) throws -> Output {
        let values = values.output
        guard values.dtype == .float32 else {
            throw GraphError.invalidArgument("histogramSummary \(tag): needs float32 values, got \(values.dtype)")
        }
        return try summary(HistogramSummaryOp.self, tag: tag, values, name: name)
    }

    /// Every summary in the summaries collection merged into one (`tf.summary.merge_all`);
    /// nil when there are none.
    /// - Throws: `GraphError.foreignInput` when the collection holds a tensor of another
    ///   graph (`addToCollection(.summaries, ...)`).
    public func mergeAllSummaries(name: String = "Merge/MergeSummary") throws -> Output? {
        let summaries = collection(.summaries)
        guard !summaries.isEmpty else { return nil }
        return try addOperation(
            MergeSummaryOp.self, name: name, inputs: summaries, attributes: ["N": .int(summaries.count)],
            outputTypes: [.string], outputShapes: [.scalar]
        ).firstOutput
    }
}
