import TFGraph
/// Kernels of the binary elementwise float32 ops (`Add`, `Sub`, `Mul`, `RealDiv`, with
/// broadcasting) and `AddN`.

/// A binary elementwise float32 kernel: `apply` over the broadcast of its inputs.
protocol BinaryFloatKernel: OpKernel {
    static func apply(_ x: Float, _ y: Float) -> Float
}

extension BinaryFloatKernel {
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let a = inputs[0]
        let b = inputs[1]
        let out = outputs[0]
        let pattern = BroadcastPattern(a.shape, b.shape, output: out.shape)
        let count = out.count
        return { pattern.apply(a.floats, b.floats, out.floats, count: count, apply) }
    }
}

enum AddKernel: BinaryFloatKernel {
    static let opType = AddOp.type
    @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x + y }
}

enum SubKernel: BinaryFloatKernel {
    static let opType = SubOp.type
    @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x - y }
}

enum MulKernel: BinaryFloatKernel {
    static let opType = MulOp.type
    @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x * y }
}

enum RealDivKernel: BinaryFloatKernel {
    static let opType = RealDivOp.type
    @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x / y }
}

enum AddNKernel: OpKernel {
    static let opType = AddNOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let out = outputs[0]
        let count = out.count
        return {
            let o = out.floats
            let first = inputs[0].floats
            for i in 0..<count { o[i] = first[i] }
            for input in inputs.dropFirst() {
                let x = input.floats
                for i in 0..<count { o[i] += x[i] }
            }
        }
    }
}
