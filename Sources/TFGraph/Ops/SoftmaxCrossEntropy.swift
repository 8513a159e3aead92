/// `SoftmaxCrossEntropyWithLogits`: cross entropy of logits against a probability
/// distribution per row (dense labels, e.g. one-hot), loss and backprop in one pass as
/// TensorFlow computes them.
package enum SoftmaxCrossEntropyOp: OpDefinition {
    package static let type = "SoftmaxCrossEntropyWithLogits"

    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        let (logits, labels) = (inputShapes[0], inputShapes[1])
        guard logits.count == 2, labels == logits else {
            throw ShapeError("logits \(logits) and labels \(labels) must both be [batch, classes]")
        }
        return [[logits[0]], logits]
    }

    /// Logits: `grad * (softmax - labels)` (the backprop output); labels:
    /// `grad * -log(softmax(logits))`, as TensorFlow's rule.
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil, nil] }
        let graph = op.graph
        let column = try graph.reshape(grad, to: [-1, 1], name: "ExpandDims")
        let logitsGradient = try graph.mul(column, op.output(unchecked: 1))
        let negativeLogSoftmax = try graph.negate(try graph.log(try graph.softmax(op.inputs[0])))
        return [logitsGradient, try graph.mul(column, negativeLogSoftmax)]
    }
}

extension Graph {
    /// Per-example cross entropy of `logits` ([batch, classes] float32) against `labels`,
    /// a probability distribution over the classes for each example ([batch, classes]
    /// float32, e.g. one-hot): `-sum(labels * log(softmax(logits)))` per row.
    public func softmaxCrossEntropyWithLogits(
        labels: some OutputConvertible, logits: some OutputConvertible, name: String = "SoftmaxCrossEntropyWithLogits"
    ) throws -> Output {
        let (labels, logits) = (labels.output, logits.output)
        guard logits.dtype == .float32, labels.dtype == .float32, logits.shape.rank == 2, labels.shape.rank == 2 else {
            throw GraphError.invalidArgument(
                "softmaxCrossEntropyWithLogits needs float32 logits and labels, both [batch, classes], got \(logits) and \(labels)")
        }
        let batch = logits.shape.dimensions[0] ?? labels.shape.dimensions[0]
        return try addOperation(
            SoftmaxCrossEntropyOp.self, name: name, inputs: [logits, labels], attributes: ["T": .type(.float32)],
            outputTypes: [.float32, .float32], outputShapes: [TensorShape([batch]), TensorShape([batch, logits.shape.dimensions[1]])]
        ).firstOutput
    }
}
