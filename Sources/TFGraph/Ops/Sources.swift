/// Ops that introduce values: constants, placeholders, identity and no-ops.

package enum ConstOp: OpDefinition {
    package static let type = "Const"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        [op.attributes["value"]?.tensor?.shape ?? []]
    }
}

package enum PlaceholderOp: OpDefinition {
    package static let type = "Placeholder"
    package static var isStateful: Bool { true }
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        throw ShapeError("a placeholder has no value until it is fed")
    }
}

package enum IdentityOp: OpDefinition {
    package static let type = "Identity"
    package static func gradients(_ op: GraphOperation, _ outputGradients: [Output?]) throws -> [Output?]? {
        [outputGradients[0]]
    }
}

package enum NoOp: OpDefinition {
    package static let type = "NoOp"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] { [] }
}

extension Graph {
    /// A constant tensor.
    public func constant(_ value: Tensor, name: String = "Const") -> Output {
        addSourceOperation(
            ConstOp.self, name: name, attributes: ["value": .tensor(value), "dtype": .type(value.dtype)],
            outputTypes: [value.dtype], outputShapes: [TensorShape(known: value.shape)]
        ).firstOutput
    }

    /// A float32 constant of `shape` with every element `value` (`tf.constant(0.1, shape: ...)`).
    /// - Throws: `GraphError.invalidArgument` for a negative dimension or more elements than
    ///   `Int` counts.
    public func constant(_ value: Float, shape: [Int], name: String = "Const") throws -> Output {
        constant(try Self.filled(value, shape: shape, for: "constant"), name: name)
    }

    /// A float32 tensor of `shape` with every element `value`.
    /// - Throws: `GraphError.invalidArgument` naming `op` when no tensor has `shape`.
    static func filled(_ value: Float, shape: [Int], for op: String) throws(GraphError) -> Tensor {
        switch shape.checkedElementCount {
        case .success(let count): return Tensor(unchecked: .float32(Array(repeating: value, count: count)), shape: shape)
        case .failure(let error): throw .invalidArgument("\(op): \(error)")
        }
    }

    /// A float32 scalar constant.
    public func constant(_ value: Float, name: String = "Const") -> Output {
        constant(Tensor(value), name: name)
    }

    /// A value fed at run time (`feeding: [placeholder: tensor]`); `nil` dimensions accept
    /// any size, e.g. the batch.
    public func placeholder(_ dtype: DType, shape: TensorShape, name: String = "Placeholder") -> Output {
        addSourceOperation(
            PlaceholderOp.self, name: name, attributes: ["dtype": .type(dtype), "shape": .shape(shape)],
            outputTypes: [dtype], outputShapes: [shape]
        ).firstOutput
    }

    /// The same tensor under a new name.
    /// - Throws: `GraphError.foreignInput` when `input` belongs to another graph.
    public func identity(_ input: some OutputConvertible, name: String = "Identity") throws -> Output {
        let input = input.output
        return try addOperation(
            IdentityOp.self, name: name, inputs: [input], attributes: ["T": .type(input.dtype)],
            outputTypes: [input.dtype], outputShapes: [input.shape]
        ).firstOutput
    }

    /// An op that does nothing but run after `operations` (TensorFlow's `tf.group`).
    /// - Throws: `GraphError.foreignInput` when one of `operations` belongs to another graph.
    public func group(_ operations: [GraphOperation], name: String = "group_deps") throws -> GraphOperation {
        try addOperation(NoOp.self, name: name, controlInputs: operations, outputTypes: [], outputShapes: [])
    }

    /// An op that does nothing.
    public func noOp(name: String = "NoOp") -> GraphOperation {
        addSourceOperation(NoOp.self, name: name, outputTypes: [], outputShapes: [])
    }
}
