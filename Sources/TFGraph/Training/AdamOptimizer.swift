import Foundation

/// Adam (`ApplyAdam`), with slots `<variable>/Adam` (m) and `<variable>/Adam_1` (v) and the
/// `beta1_power`/`beta2_power` accumulators, as TensorFlow's `tf.train.AdamOptimizer`.
public struct AdamOptimizer: Optimizer {
    public let learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let name: String

    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, name: String = "Adam") {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.name = name
    }

    /// What all of one `applyGradients` call's updates share: the slots, the beta power
    /// accumulators and the `learning_rate`, `beta1`, `beta2` and `epsilon` constants.
    public struct Hyperparameters {
        /// Each variable's `Adam` (m) and `Adam_1` (v) slots.
        let slots: [Variable: (m: Variable, v: Variable)]
        let beta1Power: Variable
        let beta2Power: Variable
        let learningRate: Output
        let beta1: Output
        let beta2: Output
        let epsilon: Output
    }

    /// Creates the beta powers and slots first, then the constants, in TensorFlow's order.
    public func prepare(_ graph: Graph, variables: [Variable]) throws -> Hyperparameters {
        let (beta1Power, beta2Power) = try powers(in: graph)
        var slots: [Variable: (m: Variable, v: Variable)] = [:]
        for variable in variables {
            slots[variable] = (try graph.slot(for: variable, named: name), try graph.slot(for: variable, named: name + "_1"))
        }
        return Hyperparameters(
            slots: slots, beta1Power: beta1Power, beta2Power: beta2Power, learningRate: graph.constant(learningRate, name: "learning_rate"),
            beta1: graph.constant(beta1, name: "beta1"), beta2: graph.constant(beta2, name: "beta2"),
            epsilon: graph.constant(epsilon, name: "epsilon"))
    }

    public func update(_ variable: Variable, gradient: Output, hyperparameters h: Hyperparameters, in graph: Graph) throws -> GraphOperation {
        guard let (m, v) = h.slots[variable] else {
            throw GraphError.invalidArgument("AdamOptimizer: \(variable.name) was not among the variables prepared for this update")
        }
        return try graph.addOperation(
            ApplyAdamOp.self, name: "ApplyAdam",
            inputs: [
                variable.handle, m.handle, v.handle, h.beta1Power.value, h.beta2Power.value, h.learningRate, h.beta1, h.beta2,
                h.epsilon, gradient,
            ],
            attributes: ["T": .type(.float32), "use_locking": .bool(false), "use_nesterov": .bool(false)],
            outputTypes: [.float32], outputShapes: [variable.shape])
    }

    public func finish(_ graph: Graph, updates: [GraphOperation], hyperparameters h: Hyperparameters) throws -> [GraphOperation] {
        try graph.withControlDependencies(updates) {
            let update1 = try graph.assign(h.beta1Power, graph.mul(h.beta1Power, h.beta1, name: "mul"), name: "Assign")
            let update2 = try graph.assign(h.beta2Power, graph.mul(h.beta2Power, h.beta2, name: "mul"), name: "Assign_1")
            return updates + [update1.operation, update2.operation]
        }
    }

    /// The `beta1_power` and `beta2_power` variables (created once per graph).
    private func powers(in graph: Graph) throws -> (Variable, Variable) {
        if let first = graph.globalVariables.first(where: { $0.name == "beta1_power" }),
            let second = graph.globalVariables.first(where: { $0.name == "beta2_power" })
        {
            return (first, second)
        }
        return try graph.withNameScope("") {
            (
                try graph.variable(graph.constant(beta1, name: "beta1_power/initial_value"), name: "beta1_power", trainable: false),
                try graph.variable(graph.constant(beta2, name: "beta2_power/initial_value"), name: "beta2_power", trainable: false)
            )
        }
    }
}

package enum ApplyAdamOp: VariableUpdateOp {
    package static let type = "ApplyAdam"
}
