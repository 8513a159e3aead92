/// Gradient descent with momentum (`ApplyMomentum`): `accum = momentum * accum + gradient`,
/// `variable -= learningRate * accum` (Nesterov: `variable -= learningRate * (gradient +
/// momentum * accum)`). Each variable gets a slot variable `<variable>/Momentum`.
public struct MomentumOptimizer: Optimizer {
    public let learningRate: Float
    public let momentum: Float
    public let useNesterov: Bool
    public let name: String

    public init(learningRate: Float, momentum: Float, useNesterov: Bool = false, name: String = "Momentum") {
        self.learningRate = learningRate
        self.momentum = momentum
        self.useNesterov = useNesterov
        self.name = name
    }

    public func update(_ variable: Variable, gradient: Output, in graph: Graph) throws -> GraphOperation {
        let accumulator = try graph.slot(for: variable, named: name)
        let rate = graph.constant(learningRate, name: "learning_rate")
        let momentumConstant = graph.constant(momentum, name: "momentum")
        return graph.addOperation(
            ApplyMomentumOp.self, name: "ApplyMomentum",
            inputs: [variable.handle, accumulator.handle, rate, gradient, momentumConstant],
            attributes: ["T": .type(.float32), "use_locking": .bool(false), "use_nesterov": .bool(useNesterov)],
            outputTypes: [.float32], outputShapes: [variable.shape])
    }
}

package enum ApplyMomentumOp: VariableUpdateOp {
    package static let type = "ApplyMomentum"
}

extension Graph {
    /// A zero-initialized, non-trainable slot variable next to `variable`, named
    /// `<variable>/<name>` (outside any current scope), as TensorFlow's optimizers name them.
    func slot(for variable: Variable, named name: String) throws -> Variable {
        guard let shape = variable.shape.knownDimensions else {
            throw GraphError.invalidArgument("slot \(name): \(variable.name) has a partly unknown shape")
        }
        return try withNameScope(variable.name + "/") {
            let initial = zeros(shape, name: name + "/Initializer/zeros")
            return try withNameScope("") { try self.variable(initial, name: variable.name + "/" + name, trainable: false) }
        }
    }
}
