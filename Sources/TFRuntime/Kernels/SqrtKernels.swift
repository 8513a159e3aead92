import TFGraph
import Foundation

/// Kernels of `Sqrt` and its gradient helper `SqrtGrad`.

enum SqrtKernel: UnaryFloatKernel {
    static let opType = SqrtOp.type
    @inline(__always) static func apply(_ x: Float) -> Float { x.squareRoot() }
}

/// `SqrtGrad(y, dy) = dy * 0.5 / y`.
enum SqrtGradKernel: ElementwisePairKernel {
    static let opType = SqrtGradOp.type
    @inline(__always) static func apply(_ y: Float, _ dy: Float) -> Float { dy * 0.5 / y }
}
