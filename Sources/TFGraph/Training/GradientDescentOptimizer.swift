
/// Plain gradient descent: `variable -= learningRate * gradient` (`ApplyGradientDescent`).
public struct GradientDescentOptimizer: Optimizer {
    public let learningRate: Float
    public let name: String

    /// A negative or non-finite `learningRate` is reported by `minimize` as a thrown error.
    public init(learningRate: Float, name: String = "GradientDescent") {
        self.learningRate = learningRate
        self.name = name
    }

    /// The `learning_rate` constant all updates share.
    public func prepare(_ graph: Graph, variables: [Variable]) throws -> Output {
        guard learningRate.isFinite, learningRate >= 0 else {
            throw GraphError.invalidArgument("GradientDescentOptimizer: the learning rate must be a non-negative number, got \(learningRate)")
        }
        return graph.constant(learningRate, name: "learning_rate")
    }

    public func update(_ variable: Variable, gradient: Output, hyperparameters rate: Output, in graph: Graph) throws -> GraphOperation {
        try graph.addOperation(
            ApplyGradientDescentOp.self, name: "ApplyGradientDescent", inputs: [variable.handle, rate, gradient],
            attributes: ["T": .type(.float32), "use_locking": .bool(false)],
            outputTypes: [.float32], outputShapes: [variable.shape])
    }
}

/// `ApplyGradientDescent(var, alpha, delta)`: `var -= alpha * delta`.
package enum ApplyGradientDescentOp: VariableUpdateOp {
    package static let type = "ApplyGradientDescent"
}
