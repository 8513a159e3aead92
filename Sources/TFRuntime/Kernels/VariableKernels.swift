import TFGraph
/// Kernels of variables and their assignments. A variable's storage belongs to the
/// session; the ops that update it write that storage in place.

/// A kernel of an op that writes the variable given as input 0; its output is that variable.
protocol VariableUpdateKernel: OpKernel {}

extension VariableUpdateKernel {
    static func outputStorage(of op: GraphOperation) -> OutputStorage { .aliasesInput(0) }
}

enum VariableV2Kernel: OpKernel {
    static let opType = VariableV2Op.type
    static func outputStorage(of op: GraphOperation) -> OutputStorage { .variable }
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    { nil }
}

enum AssignKernel: VariableUpdateKernel {
    static let opType = AssignOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (variable, value) = (inputs[0], inputs[1])
        guard variable.shape == value.shape else {
            throw SessionError.shapeMismatch(op: op.name, reason: "cannot assign a value of shape \(value.shape) to \(op.inputs[0].operation.name) of shape \(variable.shape)")
        }
        let bytes = value.count * value.dtype.byteSize
        return {
            variable.raw.copyMemory(from: value.raw, byteCount: bytes)
            variable.isInitialized = true
        }
    }
}

enum AssignAddKernel: VariableUpdateKernel {
    static let opType = AssignAddOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (variable, value) = (inputs[0], inputs[1])
        let count = variable.count
        let scalar = value.count == 1
        switch variable.dtype {
        case .float32:
            return { for i in 0..<count { variable.floats[i] += value.floats[scalar ? 0 : i] } }
        case .int32:
            return { for i in 0..<count { variable.int32s[i] &+= value.int32s[scalar ? 0 : i] } }
        case .int64:
            return { for i in 0..<count { variable.int64s[i] &+= value.int64s[scalar ? 0 : i] } }
        default:
            throw SessionError.unsupported(op: op.name, what: "assignAdd on \(variable.dtype)")
        }
    }
}
