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
        addOperation(
            ConstOp.self, name: name, attributes: ["value": .tensor(value), "dtype": .type(value.dtype)],
            outputTypes: [value.dtype], outputShapes: [TensorShape(known: value.shape)]
        ).output
    }

    /// A float32 constant of `shape` with every element `value` (`tf.constant(0.1, shape: ...)`).
    public func constant(_ value: Float, shape: [Int], name: String = "Const") throws -> Output {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw GraphError.invalidArgument("constant: dimensions must not be negative, got \(shape)")
        }
        return constant(Tensor(floats: Array(repeating: value, count: shape.elementCount), shape: shape), name: name)
    }

    /// A float32 scalar constant.
    public func constant(_ value: Float, name: String = "Const") -> Output {
        constant(Tensor(value), name: name)
    }

    /// A value fed at run time (`feeding: [placeholder: tensor]`); `nil` dimensions accept
    /// any size, e.g. the batch.
    public func placeholder(_ dtype: DType, shape: TensorShape, name: String = "Placeholder") -> Output {
        addOperation(
            PlaceholderOp.self, name: name, attributes: ["dtype": .type(dtype), "shape": .shape(shape)],
            outputTypes: [dtype], outputShapes: [shape]
        ).output
    }

    /// The same tensor under a new name.
    public func identity(_ input: some OutputConvertible, name: String = "Identity") -> Output {
        let input = input.output
        return addOperation(
            IdentityOp.self, name: name, inputs: [input], attributes: ["T": .type(input.dtype)],
            outputTypes: [input.dtype], outputShapes: [input.shape]
        ).output
    }

    /// An op that does nothing but run after `operations` (TensorFlow's `tf.group`).
    public func group(_ operations: [GraphOperation], name: String = "group_deps") -> GraphOperation {
        addOperation(NoOp.self, name: name, controlInputs: operations, outputTypes: [], outputShapes: [])
    }

    /// An op that does nothing.
    public func noOp(name: String = "NoOp") -> GraphOperation {
        addOperation(NoOp.self, name: name, outputTypes: [], outputShapes: [])
    }
}
