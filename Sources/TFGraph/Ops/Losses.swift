import Foundation

/// `SparseSoftmaxCrossEntropyWithLogits` (loss and its backprop in one pass, as TensorFlow
/// computes them) and `Softmax`.
package enum SparseSoftmaxCrossEntropyOp: OpDefinition {
    package static let type = "SparseSoftmaxCrossEntropyWithLogits"

    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        let (logits, labels) = (inputShapes[0], inputShapes[1])
        guard logits.count == 2, labels == [logits[0]] else {
            throw ShapeError("logits \(logits) and labels \(labels) do not match ([batch, classes] and [batch])")
        }
        return [[logits[0]], logits]
    }

    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil, nil] }
        let graph = op.graph
        let column = try graph.reshape(grad, to: [-1, 1], name: "ExpandDims")
        return [try graph.mul(column, op.output(unchecked: 1)), nil]
    }
}

package enum SoftmaxOp: OpDefinition {
    package static let type = "Softmax"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        let graph = op.graph
        let softmax = op.firstOutput
        let dot = try graph.reduceSum(try graph.mul(grad, softmax), axes: [-1], keepDims: true)
        return [try graph.mul(try graph.sub(grad, dot), softmax)]
    }
}

extension Graph {
    /// Per-example cross entropy of `logits` ([batch, classes] float32) against integer
    /// class `labels` ([batch]); the tutorial's loss. Labels must lie in `0..<classes`
    /// (checked when run).
    public func sparseSoftmaxCrossEntropyWithLogits(
        labels: some OutputConvertible, logits: some OutputConvertible, name: String = "SparseSoftmaxCrossEntropyWithLogits"
    ) throws -> Output {
        let (labels, logits) = (labels.output, logits.output)
        guard logits.dtype == .float32, logits.shape.rank == 2, labels.shape.rank == 1,
            labels.dtype == .int32 || labels.dtype == .int64
        else {
            throw GraphError.invalidArgument(
                "sparseSoftmaxCrossEntropyWithLogits needs float32 logits [batch, classes] and int labels [batch], got \(logits) and \(labels)")
        }
        let batch = logits.shape.dimensions[0] ?? labels.shape.dimensions[0]
        let operation = try addOperation(
            SparseSoftmaxCrossEntropyOp.self, name: name, inputs: [logits, labels],
            attributes: ["T": .type(.float32), "Tlabels": .type(labels.dtype)],
            outputTypes: [.float32, .float32], outputShapes: [TensorShape([batch]), logits.shape])
        return operation.firstOutput
    }

    /// Softmax over the last axis.
    public func softmax(_ logits: some OutputConvertible, name: String = "Softmax") throws -> Output {
        let logits = logits.output
        guard logits.dtype == .float32, logits.shape.rank >= 1 else {
            throw GraphError.invalidArgument("softmax needs a float32 tensor of rank >= 1, got \(logits)")
        }
        return try addOperation(
            SoftmaxOp.self, name: name, inputs: [logits], attributes: ["T": .type(.float32)],
            outputTypes: [.float32], outputShapes: [logits.shape]
        ).firstOutput
    }
}
