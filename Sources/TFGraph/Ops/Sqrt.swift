/// `Sqrt` and the gradient helper TensorFlow pairs with it, `SqrtGrad`.

package enum SqrtOp: UnaryFloatOp {
    package static let type = "Sqrt"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil] }
        return [try op.graph.elementwisePair(SqrtGradOp.self, op.firstOutput, grad, name: "SqrtGrad")]
    }
}

/// `SqrtGrad(y, dy) = dy * 0.5 / y`, where `y = sqrt(x)`.
package enum SqrtGradOp: ElementwisePairOp {
    package static let type = "SqrtGrad"
}

extension Graph {
    /// The square root elementwise (NaN below 0, as TensorFlow's).
    public func sqrt(_ x: some OutputConvertible, name: String = "Sqrt") throws -> Output {
        try unary(SqrtOp.self, x.output, name: name)
    }
}
