/// Unary elementwise float32 ops and the gradient helpers TensorFlow pairs with them:
/// `Relu`/`ReluGrad`, `Neg`, `Square`, `Exp`, `Log`, `Sigmoid`/`SigmoidGrad`,
/// `Tanh`/`TanhGrad`.
import Foundation

protocol UnaryFloatOp: OpDefinition {
    static func apply(_ x: Float) -> Float
}

extension UnaryFloatOp {
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
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

/// A binary helper op whose inputs have the same shape: `f(first, second)` elementwise.
protocol ElementwisePairOp: OpDefinition {
    static func apply(_ x: Float, _ y: Float) -> Float
}

extension ElementwisePairOp {
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (a, b, out) = (inputs[0], inputs[1], outputs[0])
        guard a.count == b.count else {
            throw SessionError.shapeMismatch(op.name, "inputs \(a.shape) and \(b.shape) differ")
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

enum ReluOp: UnaryFloatOp {
    static let type = "Relu"
    @inline(__always) static func apply(_ x: Float) -> Float { x > 0 ? x : 0 }
    static func gradients(_ op: Operation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        return [op.graph.elementwisePair(ReluGradOp.self, grad, op.output, name: "ReluGrad")]
    }
}

/// `ReluGrad(gradients, features)`: gradients where features > 0, else 0.
enum ReluGradOp: ElementwisePairOp {
    static let type = "ReluGrad"
    @inline(__always) static func apply(_ gradient: Float, _ feature: Float) -> Float { feature > 0 ? gradient : 0 }
}

enum NegOp: UnaryFloatOp {
    static let type = "Neg"
    @inline(__always) static func apply(_ x: Float) -> Float { -x }
    static func gradients(_ op: Operation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        return [try op.graph.negate(grad)]
    }
}

enum SquareOp: UnaryFloatOp {
    static let type = "Square"
    @inline(__always) static func apply(_ x: Float) -> Float { x * x }
    static func gradients(_ op: Operation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        let graph = op.graph
        return [try graph.mul(grad, try graph.mul(graph.constant(2, name: "Const"), op.inputs[0]))]
    }
}

enum ExpOp: UnaryFloatOp {
    static let type = "Exp"
    @inline(__always) static func apply(_ x: Float) -> Float { Foundation.exp(x) }
    static func gradients(_ op: Operation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        return [try op.graph.mul(grad, op.output)]
    }
}

enum LogOp: UnaryFloatOp {
    static let type = "Log"
    @inline(__always) static func apply(_ x: Float) -> Float { Foundation.log(x) }
    static func gradients(_ op: Operation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        return [try op.graph.div(grad, op.inputs[0])]
    }
}

enum SigmoidOp: UnaryFloatOp {
    static let type = "Sigmoid"
    @inline(__always) static func apply(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }
    static func gradients(_ op: Operation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        return [op.graph.elementwisePair(SigmoidGradOp.self, op.output, grad, name: "SigmoidGrad")]
    }
}

/// `SigmoidGrad(y, dy) = dy * y * (1 - y)`.
enum SigmoidGradOp: ElementwisePairOp {
    static let type = "SigmoidGrad"
    @inline(__always) static func apply(_ y: Float, _ dy: Float) -> Float { dy * y * (1 - y) }
}

enum TanhOp: UnaryFloatOp {
    static let type = "Tanh"
    @inline(__always) static func apply(_ x: Float) -> Float { Foundation.tanh(x) }
    static func gradients(_ op: Operation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        return [op.graph.elementwisePair(TanhGradOp.self, op.output, grad, name: "TanhGrad")]
    }
}

/// `TanhGrad(y, dy) = dy * (1 - y^2)`.
enum TanhGradOp: ElementwisePairOp {
    static let type = "TanhGrad"
    @inline(__always) static func apply(_ y: Float, _ dy: Float) -> Float { dy * (1 - y * y) }
}

extension Graph {
    private func unary(_ definition: any UnaryFloatOp.Type, _ x: Output, name: String) throws -> Output {
        guard x.dtype == .float32 else {
            throw GraphError.invalidArgument("\(definition.type) needs a float32 input, got \(x.dtype)")
        }
        return addOperation(
            definition, name: name, inputs: [x], attributes: ["T": .type(.float32)],
            outputTypes: [.float32], outputShapes: [x.shape]
        ).output
    }

    func elementwisePair(_ definition: any ElementwisePairOp.Type, _ a: Output, _ b: Output, name: String) -> Output {
        addOperation(
            definition, name: name, inputs: [a, b], attributes: ["T": .type(.float32)],
            outputTypes: [.float32], outputShapes: [a.shape]
        ).output
    }

    /// `max(x, 0)` elementwise.
    public func relu(_ x: some OutputConvertible, name: String = "Relu") throws -> Output {
        try unary(ReluOp.self, x.output, name: name)
    }
    /// `-x` elementwise.
    public func negate(_ x: some OutputConvertible, name: String = "Neg") throws -> Output {
        try unary(NegOp.self, x.output, name: name)
    }
    /// `x * x` elementwise.
    public func square(_ x: some OutputConvertible, name: String = "Square") throws -> Output {
        try unary(SquareOp.self, x.output, name: name)
    }
    /// `e^x` elementwise.
    public func exp(_ x: some OutputConvertible, name: String = "Exp") throws -> Output {
        try unary(ExpOp.self, x.output, name: name)
    }
    /// Natural logarithm elementwise.
    public func log(_ x: some OutputConvertible, name: String = "Log") throws -> Output {
        try unary(LogOp.self, x.output, name: name)
    }
    /// `1 / (1 + e^-x)` elementwise.
    public func sigmoid(_ x: some OutputConvertible, name: String = "Sigmoid") throws -> Output {
        try unary(SigmoidOp.self, x.output, name: name)
    }
    /// Hyperbolic tangent elementwise.
    public func tanh(_ x: some OutputConvertible, name: String = "Tanh") throws -> Output {
        try unary(TanhOp.self, x.output, name: name)
    }
}
