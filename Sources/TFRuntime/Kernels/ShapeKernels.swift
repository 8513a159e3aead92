import TFGraph
/// Kernels of the ops about shapes. `Shape` and `Size` depend only on shapes, so a plan
/// computes them when compiled.

enum ShapeKernel: OpKernel {
    static let opType = ShapeOp.type
    static var readsOnlyShapes: Bool { true }
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let shape = inputs[0].shape
        let dimensions = shape.compactMap { Int32(exactly: $0) }
        guard dimensions.count == shape.count else {
            throw SessionError.invalidValue(op: op.name, reason: "shape \(shape) has a dimension beyond int32, its output type")
        }
        outputs[0].load(Tensor(unchecked: .int32(dimensions), shape: [dimensions.count]))
        return nil
    }
}

enum SizeKernel: OpKernel {
    static let opType = SizeOp.type
    static var readsOnlyShapes: Bool { true }
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        guard let count = Int32(exactly: inputs[0].count) else {
            throw SessionError.invalidValue(op: op.name, reason: "\(inputs[0].count) elements are more than int32, its output type, counts")
        }
        outputs[0].load(Tensor(count))
        return nil
    }
}

enum ReshapeKernel: OpKernel {
    static let opType = ReshapeOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (input, output) = (inputs[0], outputs[0])
        let bytes = input.count * input.dtype.byteSize
        return { output.raw.copyMemory(from: input.raw, byteCount: bytes) }
    }
}

enum FillKernel: OpKernel {
    static let opType = FillOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (value, output) = (inputs[1], outputs[0])
        let count = output.count
        return {
            let v = value.floats[0]
            let o = output.floats
            for i in 0..<count { o[i] = v }
        }
    }
}

enum BroadcastToKernel: OpKernel {
    static let opType = BroadcastToOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (input, output) = (inputs[0], outputs[0])
        let pattern = BroadcastPattern(output.shape, input.shape, output: output.shape)
        let count = output.count
        return { pattern.apply(output.floats, input.floats, output.floats, count: count) { _, y in y } }
    }
}

enum CastKernel: OpKernel {
    static let opType = CastOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (input, output) = (inputs[0], outputs[0])
        let count = output.count
        switch (input.dtype, output.dtype) {
        case (.int32, .float32): return { for i in 0..<count { output.floats[i] = Float(input.int32s[i]) } }
        case (.int64, .float32): return { for i in 0..<count { output.floats[i] = Float(input.int64s[i]) } }
        case (.bool, .float32): return { for i in 0..<count { output.floats[i] = input.bools[i] ? 1 : 0 } }
        case (.float32, .int32): return { for i in 0..<count { output.int32s[i] = Int32(clamping: Int(exactly: input.floats[i].rounded(.towardZero)) ?? 0) } }
        case (.int32, .int64): return { for i in 0..<count { output.int64s[i] = Int64(input.int32s[i]) } }
        case (.int64, .int32): return { for i in 0..<count { output.int32s[i] = Int32(truncatingIfNeeded: input.int64s[i]) } }
        case (.bool, .int32): return { for i in 0..<count { output.int32s[i] = input.bools[i] ? 1 : 0 } }
        case (.bool, .int64): return { for i in 0..<count { output.int64s[i] = input.bools[i] ? 1 : 0 } }
        case let (from, to) where from == to:
            return { output.raw.copyMemory(from: input.raw, byteCount: count * from.byteSize) }
        case let (from, to):
            throw SessionError.unsupported(op: op.name, what: "cast from \(from) to \(to)")
        }
    }
}
