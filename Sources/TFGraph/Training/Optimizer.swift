/// An optimizer in the TensorFlow 1 style: `minimize(loss, globalStep:)` adds the gradient
/// ops and the update ops and returns the train op.
public protocol Optimizer {
    /// What every update of one `applyGradients` call shares: one constant per
    /// hyperparameter (`GradientDescent/learning_rate`, ...), made once as TensorFlow makes
    /// them, and any slot variables.
    associatedtype Hyperparameters

    /// The name scope of the update ops, e.g. `GradientDescent`.
    var name: String { get }

    /// Adds the shared values (slots, then one constant per hyperparameter) before the
    /// updates; called once per `applyGradients`, inside the optimizer's name scope.
    /// - Throws: `GraphError.invalidArgument` for a hyperparameter out of its range.
    func prepare(_ graph: Graph, variables: [Variable]) throws -> Hyperparameters

    /// Adds the update for one variable (called inside `<name>/update_<variable>/`).
    func update(_ variable: Variable, gradient: Output, hyperparameters: Hyperparameters, in graph: Graph) throws -> GraphOperation

    /// Adds ops that must run after every update (e.g. Adam's beta powers); called inside
    /// the optimizer's name scope.
    func finish(_ graph: Graph, updates: [GraphOperation], hyperparameters: Hyperparameters) throws -> [GraphOperation]
}

extension Optimizer {
    public func finish(_ graph: Graph, updates: [GraphOperation], hyperparameters: Hyperparameters) throws -> [GraphOperation] { updates }

    /// Adds gradients of `loss` for `variables` (the trainable ones by default) and their
    /// updates, and, with `globalStep`, an increment of it after all updates. Returns the
    /// train op to run each step.
    /// - Throws: `GraphError` when the loss is not a float32 scalar or nothing is trainable,
    ///   or the loss, a variable or `globalStep` belongs to another graph or to one that is gone.
    public func minimize(_ loss: Output, globalStep: Variable? = nil, variables: [Variable]? = nil) throws -> GraphOperation {
        try applyGradients(computeGradients(loss, variables: variables), globalStep: globalStep)
    }

    /// The gradients of `loss` for `variables` (the trainable ones by default), as
    /// `(variable, gradient)` pairs, leaving out variables the loss does not depend on:
    /// the first half of `minimize` (TensorFlow's `compute_gradients`).
    /// - Throws: `GraphError` when the loss is not a float32 scalar, nothing is trainable or
    ///   nothing affects the loss, or the loss belongs to a graph that is gone.
    public func computeGradients(_ loss: Output, variables: [Variable]? = nil) throws -> [(Variable, Output)] {
        guard let graph = loss.graph else { throw GraphError.deallocatedGraph(tensor: loss.name) }
        let variables = variables ?? graph.trainableVariables
        guard !variables.isEmpty else { throw GraphError.invalidArgument("minimize: there are no trainable variables") }
        let gradients = try graph.gradients(of: loss, withRespectTo: variables.map(\.value))
        let pairs = zip(variables, gradients).compactMap { variable, gradient in gradient.map { (variable, $0) } }
        guard !pairs.isEmpty else {
            throw GraphError.invalidArgument("minimize: no variable in \(variables.map(\.name)) affects \(loss.name)")
        }
        return pairs
    }

    /// Adds the updates for `(variable, gradient)` pairs; see `minimize`. The train op joins
    /// the graph's `.trainOps` collection (TensorFlow's `train_op`).
    /// - Throws: `GraphError` when there are no pairs, or a variable, gradient or
    ///   `globalStep` belongs to another graph or to one that is gone.
    public func applyGradients(_ pairs: [(Variable, Output)], globalStep: Variable? = nil) throws -> GraphOperation {
        guard let first = pairs.first?.0.handle else { throw GraphError.invalidArgument("applyGradients: no gradients") }
        guard let graph = first.graph else { throw GraphError.deallocatedGraph(tensor: first.name) }
        for (variable, gradient) in pairs {
            try graph.checkOwnership(of: variable.handle, for: "applyGradients")
            try graph.checkOwnership(of: gradient, for: "applyGradients")
        }
        if let globalStep { try graph.checkOwnership(of: globalStep.handle, for: "applyGradients") }
        let scope = graph.uniqueName(name)
        let trainOp = try graph.withNameScope(scope + "/") {
            let hyperparameters = try prepare(graph, variables: pairs.map(\.0))
            let ordering = UpdateOrdering(gradients: pairs.map(\.1))
            var updates: [GraphOperation] = []
            for (variable, gradient) in pairs {
                let update = try graph.withNameScope("update_" + variable.name) {
                    try graph.withControlDependencies(ordering.reads(of: variable, besides: gradient)) {
                        try self.update(variable, gradient: gradient, hyperparameters: hyperparameters, in: graph)
                    }
                }
                updates.append(update)
            }
            let finished = try finish(graph, updates: updates, hyperparameters: hyperparameters)
            guard let globalStep else { return try graph.group(finished, name: scope + "/") }
            let updateGroup = try graph.group(finished, name: "update")
            return try graph.withControlDependencies([updateGroup]) {
                let one = graph.constant(Tensor.one(globalStep.dtype), name: "value")
                return try graph.assignAdd(globalStep, one, name: scope + "/").operation
            }
        }
        graph.addToCollection(.trainOps, trainOp)
        return trainOp
    }
}

extension Tensor {
    /// The scalar 1 of `dtype` (the increment of a counter like global_step); int32 for a
    /// dtype without a 1.
    static func one(_ dtype: DType) -> Tensor {
        switch dtype {
        case .int64: return Tensor(unchecked: .int64([1]), shape: [])
        case .float32: return Tensor(Float(1))
        default: return Tensor(Int32(1))
        }
    }
}
