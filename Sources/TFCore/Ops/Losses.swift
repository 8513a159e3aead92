import Foundation

/// `SparseSoftmaxCrossEntropyWithLogits` (loss and its backprop in one pass, as TensorFlow
/// computes them) and `Softmax`.
enum SparseSoftmaxCrossEntropyOp: OpDefinition {
    static let type = "SparseSoftmaxCrossEntropyWithLogits"

    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] {
        let (logits, labels) = (inputShapes[0], inputShapes[1])
        guard logits.count == 2, labels == [logits[0]] else {
            throw SessionError.shapeMismatch(op.name, "logits \(logits) and labels \(labels) do not match ([batch, classes] and [batch])")
        }
        return [[logits[0]], logits]
    }

    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (logits, labels, loss, backprop) = (inputs[0], inputs[1], outputs[0], outputs[1])
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        let name = op.name
        return {
            let x = logits.floats
            let l = loss.floats
            let b = backprop.floats
            for row in 0..<batch {
                let label = labels.integer(at: row)
                guard label >= 0 && label < classes else { throw SessionError.labelOutOfRange(name, label, classes) }
                let logitsRow = x + row * classes
                let gradRow = b + row * classes
                var maximum = logitsRow[0]
                for j in 1..<classes where logitsRow[j] > maximum { maximum = logitsRow[j] }
                var total: Float = 0
                for j in 0..<classes {
                    let e = Foundation.exp(logitsRow[j] - maximum)
                    gradRow[j] = e
                    total += e
                }
                let inverse = 1 / total
                for j in 0..<classes { gradRow[j] *= inverse }
                l[row] = Foundation.log(total) + maximum - logitsRow[label]
                gradRow[label] -= 1
            }
        }
    }

    static func gradients(_ op: Operation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil, nil] }
        let graph = op.graph
        let column = try graph.reshape(grad, to: [-1, 1], name: "ExpandDims")
        return [try graph.mul(column, op.output(1)), nil]
    }
}

enum SoftmaxOp: OpDefinition {
    static let type = "Softmax"
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (input, output) = (inputs[0], outputs[0])
        let classes = input.shape.last ?? 1
        let rows = classes == 0 ? 0 : input.count / classes
        return {
            for row in 0..<rows {
                let x = input.floats + row * classes
                let y = output.floats + row * classes
                var maximum = -Float.infinity
                for j in 0..<classes where x[j] > maximum { maximum = x[j] }
                var total: Float = 0
                for j in 0..<classes {
                    y[j] = Foundation.exp(x[j] - maximum)
                    total += y[j]
                }
                for j in 0..<classes { y[j] /= total }
            }
        }
    }
    static func gradients(_ op: Operation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        let graph = op.graph
        let softmax = op.output
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
        let operation = addOperation(
            SparseSoftmaxCrossEntropyOp.self, name: name, inputs: [logits, labels],
            attributes: ["T": .type(.float32), "Tlabels": .type(labels.dtype)],
            outputTypes: [.float32, .float32], outputShapes: [TensorShape([batch]), logits.shape])
        return operation.output
    }

    /// Softmax over the last axis.
    public func softmax(_ logits: some OutputConvertible, name: String = "Softmax") throws -> Output {
        let logits = logits.output
        guard logits.dtype == .float32, logits.shape.rank >= 1 else {
            throw GraphError.invalidArgument("softmax needs a float32 tensor of rank >= 1, got \(logits)")
        }
        return addOperation(
            SoftmaxOp.self, name: name, inputs: [logits], attributes: ["T": .type(.float32)],
            outputTypes: [.float32], outputShapes: [logits.shape]
        ).output
    }
}
