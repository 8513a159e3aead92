import TFGraph
import Foundation

/// Kernels of the unary elementwise float32 ops and the gradient helpers TensorFlow pairs
/// with them.

/// A unary elementwise float32 kernel: `apply` on every element.
protocol UnaryFloatKernel: OpKernel {
    static func apply(_ x: Float) -> Float
}

extension UnaryFloatKernel {
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let input = inputs[0]
        let output = outputs[0]
        let count = output.count
        return {
            let x = input.floats
            let y = output.floats
            for i in 0..<count { y[i] = apply(x[i]) }
        }
    }
}

/// A kernel of two equally shaped inputs: `apply(first, second)` elementwise.
protocol ElementwisePairKernel: OpKernel {
    static func apply(_ x: Float, _ y: Float) -> Float
}

extension ElementwisePairKernel {
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (a, b, out) = (inputs[0], inputs[1], outputs[0])
        guard a.count == b.count else {
            throw SessionError.shapeMismatch(op: op.name, reason: "inputs \(a.shape) and \(b.shape) differ")
        }
        let count = out.count
        return {
            let x = a.floats
            let y = b.floats
            let o = out.floats
            for i in 0..<count { o[i] = apply(x[i], y[i]) }
        }
    }
}

enum ReluKernel: UnaryFloatKernel {
    static let opType = ReluOp.type
    @inline(__always) static func apply(_ x: Float) -> Float { x > 0 ? x : 0 }
}

/// `ReluGrad(gradients, features)`: gradients where features > 0, else 0.
enum ReluGradKernel: ElementwisePairKernel {
    static let opType = ReluGradOp.type
    @inline(__always) static func apply(_ gradient: Float, _ feature: Float) -> Float { feature > 0 ? gradient : 0 }
}

enum NegKernel: UnaryFloatKernel {
    static let opType = NegOp.type
    @inline(__always) static func apply(_ x: Float) -> Float { -x }
}

enum SquareKernel: UnaryFloatKernel {
    static let opType = SquareOp.type
    @inline(__always) static func apply(_ x: Float) -> Float { x * x }
}

enum ExpKernel: UnaryFloatKernel {
    static let opType = ExpOp.type
    @inline(__always) static func apply(_ x: Float) -> Float { Foundation.exp(x) }
}

enum LogKernel: UnaryFloatKernel {
    static let opType = LogOp.type
    @inline(__always) static func apply(_ x: Float) -> Float { Foundation.log(x) }
}

enum SigmoidKernel: UnaryFloatKernel {
    static let opType = SigmoidOp.type
    @inline(__always) static func apply(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }
}

/// `SigmoidGrad(y, dy) = dy * y * (1 - y)`.
enum SigmoidGradKernel: ElementwisePairKernel {
    static let opType = SigmoidGradOp.type
    @inline(__always) static func apply(_ y: Float, _ dy: Float) -> Float { dy * y * (1 - y) }
}

enum TanhKernel: UnaryFloatKernel {
    static let opType = TanhOp.type
    @inline(__always) static func apply(_ x: Float) -> Float { Foundation.tanh(x) }
}

/// `TanhGrad(y, dy) = dy * (1 - y^2)`.
enum TanhGradKernel: ElementwisePairKernel {
    static let opType = TanhGradOp.type
    @inline(__always) static func apply(_ y: Float, _ dy: Float) -> Float { dy * (1 - y * y) }
}
