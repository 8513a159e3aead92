import TFGraph
import COpenBLAS

/// Kernels of the optimizers' variable updates.

enum ApplyAdamKernel: VariableUpdateKernel {
    static let opType = ApplyAdamOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (variable, m, v) = (inputs[0], inputs[1], inputs[2])
        let (beta1Power, beta2Power, rate, beta1, beta2, epsilon, gradient) =
            (inputs[3], inputs[4], inputs[5], inputs[6], inputs[7], inputs[8], inputs[9])
        let count = variable.count
        return {
            let b1 = beta1.floats[0]
            let b2 = beta2.floats[0]
            let eps = epsilon.floats[0]
            let step = rate.floats[0] * (1 - beta2Power.floats[0]).squareRoot() / (1 - beta1Power.floats[0])
            let (x, mm, vv, g) = (variable.floats, m.floats, v.floats, gradient.floats)
            for i in 0..<count {
                mm[i] += (g[i] - mm[i]) * (1 - b1)
                vv[i] += (g[i] * g[i] - vv[i]) * (1 - b2)
                x[i] -= step * mm[i] / (vv[i].squareRoot() + eps)
            }
        }
    }
}
enum ApplyMomentumKernel: VariableUpdateKernel {
    static let opType = ApplyMomentumOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (variable, accumulator, rate, gradient, momentum) = (inputs[0], inputs[1], inputs[2], inputs[3], inputs[4])
        let nesterov = op.attributes["use_nesterov"]?.bool ?? false
        let count = variable.count
        return {
            let (v, a, g) = (variable.floats, accumulator.floats, gradient.floats)
            let (lr, m) = (rate.floats[0], momentum.floats[0])
            for i in 0..<count {
                a[i] = a[i] * m + g[i]
                v[i] -= nesterov ? lr * (g[i] + m * a[i]) : lr * a[i]
            }
        }
    }
}
enum ApplyGradientDescentKernel: VariableUpdateKernel {
    static let opType = ApplyGradientDescentOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (variable, alpha, delta) = (inputs[0], inputs[1], inputs[2])
        guard variable.count == delta.count else {
            throw SessionError.shapeMismatch(op: op.name, reason: "gradient \(delta.shape) does not match variable \(variable.shape)")
        }
        guard let count = Int32(exactly: variable.count) else {
            throw SessionError.shapeMismatch(
                op: op.name, reason: "variable \(variable.shape) has more than 2^31-1 elements, the most BLAS updates at once")
        }
        return { c_tfblas_saxpy(count, -alpha.floats[0], delta.floats, variable.floats) }
    }
}
