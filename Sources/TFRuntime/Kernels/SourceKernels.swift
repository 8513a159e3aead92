import TFGraph
/// Kernels of the ops that introduce values: constants, placeholders, identity, no-ops.

enum ConstKernel: OpKernel {
    static let opType = ConstOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        if let value = op.attributes["value"]?.tensor { outputs[0].load(value) }
        return nil
    }
}

enum PlaceholderKernel: OpKernel {
    static let opType = PlaceholderOp.type
    static func outputStorage(of op: GraphOperation) -> OutputStorage { .fedOnly }
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        throw SessionError.unfedPlaceholder(name: op.name, dtype: op.outputTypes[0], shape: op.outputShapes[0])
    }
}

enum IdentityKernel: OpKernel {
    static let opType = IdentityOp.type
    /// A variable's `read` aliases the variable: it is read where the update wrote it.
    static func outputStorage(of op: GraphOperation) -> OutputStorage {
        op.inputs[0].operation.type == VariableV2Op.type ? .aliasesInput(0) : .allocated
    }
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let input = inputs[0]
        let output = outputs[0]
        if input === output { return nil }
        return {
            if input.dtype == .string {
                output.strings = input.strings
            } else {
                output.raw.copyMemory(from: input.raw, byteCount: input.count * input.dtype.byteSize)
            }
        }
    }
}

enum NoOpKernel: OpKernel {
    static let opType = NoOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    { nil }
}

/// `PlaceholderWithDefault`: its input, unless a value is fed for it (the plan binds feeds).
enum PlaceholderWithDefaultKernel: OpKernel {
    static let opType = PlaceholderWithDefaultOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        try IdentityKernel.makeKernel(op, inputs, outputs, context)
    }
}
