import TFGraph
import Foundation

/// Kernels of `SparseSoftmaxCrossEntropyWithLogits` (loss and backprop in one pass) and
/// `Softmax`.

enum SparseSoftmaxCrossEntropyKernel: OpKernel {
    static let opType = SparseSoftmaxCrossEntropyOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (logits, labels, loss, backprop) = (inputs[0], inputs[1], outputs[0], outputs[1])
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        let name = op.name
        return {
            let x = logits.floats
            let l = loss.floats
            let b = backprop.floats
            // Each row shifted by its maximum, then the whole batch exponentiated at once.
            for row in 0..<batch {
                let label = labels.integer(at: row)
                guard label >= 0 && label < classes else { throw SessionError.labelOutOfRange(op: name, label: label, classes: classes) }
                let logitsRow = x + row * classes
                let gradRow = b + row * classes
                var maximum = logitsRow[0]
                for j in 1..<classes where logitsRow[j] > maximum { maximum = logitsRow[j] }
                l[row] = maximum
                for j in 0..<classes { gradRow[j] = logitsRow[j] - maximum }
            }
            VectorExp.exponentiate(b, count: batch * classes)
            for row in 0..<batch {
                let label = labels.integer(at: row)
                let gradRow = b + row * classes
                var total: Float = 0
                for j in 0..<classes { total += gradRow[j] }
                let inverse = 1 / total
                for j in 0..<classes { gradRow[j] *= inverse }
                l[row] = Foundation.log(total) + l[row] - x[row * classes + label]
                gradRow[label] -= 1
            }
        }
    }
}

enum SoftmaxKernel: OpKernel {
    static let opType = SoftmaxOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
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
                for j in 0..<classes { y[j] = x[j] - maximum }
            }
            VectorExp.exponentiate(output.floats, count: rows * classes)
            for row in 0..<rows {
                let y = output.floats + row * classes
                var total: Float = 0
                for j in 0..<classes { total += y[j] }
                for j in 0..<classes { y[j] /= total }
            }
        }
    }
}
