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

    public func update(_ variable: Variable, gradient: Output, in graph: Graph) throws -> GraphOperation {
        let (beta1Power, beta2Power) = try powers(in: graph)
        let m = try graph.slot(for: variable, named: name)
        let v = try graph.slot(for: variable, named: name + "_1")
        return graph.addOperation(
            ApplyAdamOp.self, name: "ApplyAdam",
            inputs: [
                variable.handle, m.handle, v.handle, beta1Power.value, beta2Power.value,
                graph.constant(learningRate, name: "learning_rate"), graph.constant(beta1, name: "beta1"),
                graph.constant(beta2, name: "beta2"), graph.constant(epsilon, name: "epsilon"), gradient,
            ],
            attributes: ["T": .type(.float32), "use_locking": .bool(false), "use_nesterov": .bool(false)],
            outputTypes: [.float32], outputShapes: [variable.shape])
    }

    public func finish(_ graph: Graph, updates: [GraphOperation]) throws -> [GraphOperation] {
        let (beta1Power, beta2Power) = try powers(in: graph)
        return try graph.withControlDependencies(updates) {
            let update1 = try graph.assign(beta1Power, graph.mul(beta1Power, graph.constant(beta1, name: "mul/y")), name: "Assign")
            let update2 = try graph.assign(beta2Power, graph.mul(beta2Power, graph.constant(beta2, name: "mul_1/y")), name: "Assign_1")
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
