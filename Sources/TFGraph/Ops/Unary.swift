/// Unary elementwise float32 ops and the gradient helpers TensorFlow pairs with them:
/// `Relu`/`ReluGrad`, `Neg`, `Square`, `Exp`, `Log`, `Sigmoid`/`SigmoidGrad`,
/// `Tanh`/`TanhGrad`.

/// A unary elementwise float32 op.
package protocol UnaryFloatOp: OpDefinition {}

/// A binary helper op whose inputs have the same shape (`ReluGrad`, ...).
package protocol ElementwisePairOp: OpDefinition {}

package enum ReluOp: UnaryFloatOp {
    package static let type = "Relu"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        return [try op.graph.elementwisePair(ReluGradOp.self, grad, op.firstOutput, name: "ReluGrad")]
    }
}

/// `ReluGrad(gradients, features)`: gradients where features > 0, else 0.
package enum ReluGradOp: ElementwisePairOp {
    package static let type = "ReluGrad"
}

package enum NegOp: UnaryFloatOp {
    package static let type = "Neg"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        return [try op.graph.negate(grad)]
    }
}

package enum SquareOp: UnaryFloatOp {
    package static let type = "Square"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        let graph = op.graph
        return [try graph.mul(grad, try graph.mul(graph.constant(2, name: "Const"), op.inputs[0]))]
    }
}

package enum ExpOp: UnaryFloatOp {
    package static let type = "Exp"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        return [try op.graph.mul(grad, op.firstOutput)]
    }
}

package enum LogOp: UnaryFloatOp {
    package static let type = "Log"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        return [try op.graph.div(grad, op.inputs[0])]
    }
}

package enum SigmoidOp: UnaryFloatOp {
    package static let type = "Sigmoid"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        return [try op.graph.elementwisePair(SigmoidGradOp.self, op.firstOutput, grad, name: "SigmoidGrad")]
    }
}

/// `SigmoidGrad(y, dy) = dy * y * (1 - y)`.
package enum SigmoidGradOp: ElementwisePairOp {
    package static let type = "SigmoidGrad"
}

package enum TanhOp: UnaryFloatOp {
    package static let type = "Tanh"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        return [try op.graph.elementwisePair(TanhGradOp.self, op.firstOutput, grad, name: "TanhGrad")]
    }
}

/// `TanhGrad(y, dy) = dy * (1 - y^2)`.
package enum TanhGradOp: ElementwisePairOp {
    package static let type = "TanhGrad"
}

extension Graph {
    func unary(_ definition: any UnaryFloatOp.Type, _ x: Output, name: String) throws -> Output {
        guard x.dtype == .float32 else {
            throw GraphError.invalidArgument("\(definition.type) needs a float32 input, got \(x.dtype)")
        }
        return try addOperation(
            definition, name: name, inputs: [x], attributes: ["T": .type(.float32)],
            outputTypes: [.float32], outputShapes: [x.shape]
        ).firstOutput
    }

    func elementwisePair(_ definition: any ElementwisePairOp.Type, _ a: Output, _ b: Output, name: String) throws -> Output {
        try addOperation(
            definition, name: name, inputs: [a, b], attributes: ["T": .type(.float32)],
            outputTypes: [.float32], outputShapes: [a.shape]
        ).firstOutput
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
