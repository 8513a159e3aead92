/// Ops that introduce values: constants, placeholders, identity and no-ops.

enum ConstOp: OpDefinition {
    static let type = "Const"
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] {
        [op.attributes["value"]?.tensor?.shape ?? []]
    }
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        if let value = op.attributes["value"]?.tensor { outputs[0].load(value) }
        return nil
    }
}

enum PlaceholderOp: OpDefinition {
    static let type = "Placeholder"
    static var isStateful: Bool { true }
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] {
        throw SessionError.unfedPlaceholder(op.name, op.outputTypes[0], op.outputShapes[0])
    }
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        throw SessionError.unfedPlaceholder(op.name, op.outputTypes[0], op.outputShapes[0])
    }
}

enum IdentityOp: OpDefinition {
    static let type = "Identity"
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let input = inputs[0]
        let output = outputs[0]
        return {
            if input.dtype == .string {
                output.strings = input.strings
            } else {
                output.raw.copyMemory(from: input.raw, byteCount: input.count * input.dtype.byteSize)
            }
        }
    }
    static func gradients(_ op: Operation, _ outputGradients: [Output?]) throws -> [Output?]? {
        [outputGradients[0]]
    }
}

enum NoOp: OpDefinition {
    static let type = "NoOp"
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] { [] }
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    { nil }
}

extension Graph {
    /// A constant tensor.
    public func constant(_ value: Tensor, name: String = "Const") -> Output {
        addOperation(
            ConstOp.self, name: name, attributes: ["value": .tensor(value), "dtype": .type(value.dtype)],
            outputTypes: [value.dtype], outputShapes: [TensorShape(known: value.shape)]
        ).output
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
    public func group(_ operations: [Operation], name: String = "group_deps") -> Operation {
        addOperation(NoOp.self, name: name, controlInputs: operations, outputTypes: [], outputShapes: [])
    }

    /// An op that does nothing.
    public func noOp(name: String = "NoOp") -> Operation {
        addOperation(NoOp.self, name: name, outputTypes: [], outputShapes: [])
    }
}
