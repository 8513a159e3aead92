/// Which reads of a variable its update must wait for.
///
/// An update writes its variable in place, and TensorFlow runs ops that do not depend on
/// each other in any order, while a `VariableV2`'s `read` Identity shares the variable's
/// buffer. So when TensorFlow runs our train op, an update could overwrite weights that
/// another op of the same step has yet to read: the backprop `MatMul` that carries the
/// gradient to the layer below reads `softmax_linear/weights`, and nothing makes
/// `softmax_linear/weights`'s update wait for it (TensorFlow's own `tf.gradients` groups
/// each op's input gradients, `tuple/control_dependency`, for this). Observed with
/// TensorFlow 2.21 on our imported meta graph: without the wait, 10 steps drift from the
/// exact losses by up to 4e-3.
///
/// Each update therefore gets a control input on every op that reads its variable, that
/// the step runs (an ancestor of one of the gradients), and that its own gradient does not
/// already depend on. Our `Session` runs ops in creation order, so it computes the same
/// step with or without these edges.
struct UpdateOrdering {
    /// The ops the gradients depend on, in creation order.
    private let stepInOrder: [GraphOperation]

    init(gradients: [Output]) {
        stepInOrder = Self.ancestors(of: gradients.map(\.operation)).sorted { $0.id < $1.id }
    }

    /// The ops of the step that read `variable` and that `gradient` does not depend on.
    func reads(of variable: Variable, besides gradient: Output) -> [GraphOperation] {
        let before = Set(Self.ancestors(of: [gradient.operation]).map(ObjectIdentifier.init))
        let value = variable.value.operation
        let handle = variable.handle.operation
        return stepInOrder.filter { op in
            op !== value && !before.contains(ObjectIdentifier(op))
                && op.inputs.contains { $0.operation === value || $0.operation === handle }
        }
    }

    /// `operations` and everything they depend on, through data and control inputs.
    private static func ancestors(of operations: [GraphOperation]) -> [GraphOperation] {
        var seen = Set<ObjectIdentifier>()
        var found: [GraphOperation] = []
        var stack = operations
        while let op = stack.popLast() {
            guard seen.insert(ObjectIdentifier(op)).inserted else { continue }
            found.append(op)
            stack += op.inputs.map(\.operation)
            stack += op.controlInputs
        }
        return found
    }
}
