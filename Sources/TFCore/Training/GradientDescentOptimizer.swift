import COpenBLAS

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

    public func update(_ variable: Variable, gradient: Output, hyperparameters rate: Output, in graph: Graph) throws -> Operation {
        graph.addOperation(
            ApplyGradientDescentOp.self, name: "ApplyGradientDescent", inputs: [variable.handle, rate, gradient],
            attributes: ["T": .type(.float32), "use_locking": .bool(false)],
            outputTypes: [.float32], outputShapes: [variable.shape])
    }
}

/// `ApplyGradientDescent(var, alpha, delta)`: `var -= alpha * delta`.
enum ApplyGradientDescentOp: VariableUpdateOp {
    static let type = "ApplyGradientDescent"
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (variable, alpha, delta) = (inputs[0], inputs[1], inputs[2])
        guard variable.count == delta.count else {
            throw SessionError.shapeMismatch(op.name, "gradient \(delta.shape) does not match variable \(variable.shape)")
        }
        let count = Int32(variable.count)
        return { c_tfblas_saxpy(count, -alpha.floats[0], delta.floats, variable.floats) }
    }
}
