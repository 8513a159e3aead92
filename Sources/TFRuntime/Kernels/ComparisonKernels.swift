import TFGraph
/// Kernels of the evaluation ops: `InTopKV2`, `ArgMax`, `Equal`.

enum InTopKKernel: OpKernel {
    static let opType = InTopKOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (predictions, targets, kInput, output) = (inputs[0], inputs[1], inputs[2], outputs[0])
        let (batch, classes) = (predictions.shape[0], predictions.shape[1])
        let name = op.name
        return {
            let k = kInput.integer(at: 0)
            for row in 0..<batch {
                let target = targets.integer(at: row)
                guard target >= 0 && target < classes else { throw SessionError.labelOutOfRange(op: name, label: target, classes: classes) }
                let p = predictions.floats + row * classes
                let value = p[target]
                guard value.isFinite else {
                    output.bools[row] = false
                    continue
                }
                var greater = 0
                for j in 0..<classes where p[j] > value { greater += 1 }
                output.bools[row] = greater < k
            }
        }
    }
}

enum ArgMaxKernel: OpKernel {
    static let opType = ArgMaxOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (input, output) = (inputs[0], outputs[0])
        let (rows, columns) = (input.shape[0], input.shape[1])
        return {
            for row in 0..<rows {
                let x = input.floats + row * columns
                var best = 0
                for j in 1..<max(columns, 1) where x[j] > x[best] { best = j }
                output.int64s[row] = Int64(best)
            }
        }
    }
}

enum EqualKernel: OpKernel {
    static let opType = EqualOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (a, b, output) = (inputs[0], inputs[1], outputs[0])
        let count = output.count
        if a.dtype == .float32 {
            return { for i in 0..<count { output.bools[i] = a.floats[i] == b.floats[i] } }
        }
        return { for i in 0..<count { output.bools[i] = a.integer(at: i) == b.integer(at: i) } }
    }
}
