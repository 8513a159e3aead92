import TFGraph
import Foundation

/// The kernel of `SoftmaxCrossEntropyWithLogits` (dense labels): per row, the loss
/// `-sum(labels * log_softmax(logits))` and the backprop `softmax(logits) - labels`.
enum SoftmaxCrossEntropyKernel: OpKernel {
    static let opType = SoftmaxCrossEntropyOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (logits, labels, loss, backprop) = (inputs[0], inputs[1], outputs[0], outputs[1])
        guard logits.shape == labels.shape, logits.shape.count == 2 else {
            throw SessionError.shapeMismatch(op: op.name, reason: "logits \(logits.shape) and labels \(labels.shape) differ")
        }
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        return {
            // Each row shifted by its maximum (kept in the loss until the loss is computed),
            // then the whole batch exponentiated at once.
            for row in 0..<batch {
                let x = logits.floats + row * classes
                let gradRow = backprop.floats + row * classes
                var maximum = -Float.infinity
                for j in 0..<classes where x[j] > maximum { maximum = x[j] }
                loss.floats[row] = maximum
                for j in 0..<classes { gradRow[j] = x[j] - maximum }
            }
            VectorExp.exponentiate(backprop.floats, count: batch * classes)
            for row in 0..<batch {
                let x = logits.floats + row * classes
                let p = labels.floats + row * classes
                let gradRow = backprop.floats + row * classes
                let maximum = loss.floats[row]
                var total: Float = 0
                for j in 0..<classes { total += gradRow[j] }
                let logTotal = Foundation.log(total)
                var rowLoss: Float = 0
                for j in 0..<classes {
                    // log_softmax = x - max - log(total)
                    rowLoss -= p[j] * (x[j] - maximum - logTotal)
                    gradRow[j] = gradRow[j] / total - p[j]
                }
                loss.floats[row] = rowLoss
            }
        }
    }
}
