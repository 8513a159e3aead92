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

    /// What all of one `applyGradients` call's updates share: each variable's accumulator
    /// slot and the `learning_rate` and `momentum` constants.
    public struct Hyperparameters {
        let accumulators: [Variable: Variable]
        let learningRate: Output
        let momentum: Output
    }

    /// Creates the slots first, then the constants, in TensorFlow's order.
    public func prepare(_ graph: Graph, variables: [Variable]) throws -> Hyperparameters {
        var accumulators: [Variable: Variable] = [:]
        for variable in variables { accumulators[variable] = try graph.slot(for: variable, named: name) }
        return Hyperparameters(
            accumulators: accumulators, learningRate: graph.constant(learningRate, name: "learning_rate"),
            momentum: graph.constant(momentum, name: "momentum"))
    }

    public func update(_ variable: Variable, gradient: Output, hyperparameters h: Hyperparameters, in graph: Graph) throws -> GraphOperation {
        guard let accumulator = h.accumulators[variable] else {
            throw GraphError.invalidArgument("MomentumOptimizer: \(variable.name) was not among the variables prepared for this update")
        }
        return try graph.addOperation(
            ApplyMomentumOp.self, name: "ApplyMomentum",
            inputs: [variable.handle, accumulator.handle, h.learningRate, gradient, h.momentum],
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
            let initial = try zeros(shape, name: name + "/Initializer/zeros")
            return try withNameScope("") { try self.variable(initial, name: variable.name + "/" + name, trainable: false) }
        }
    }
}
