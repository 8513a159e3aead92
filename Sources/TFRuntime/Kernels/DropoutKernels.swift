import TFGraph
import Randomness

/// Kernels of the ops dropout is built from: `RandomUniform` (xoshiro256** samples in
/// [0, 1), seeded as `TruncatedNormal`) and `Floor`.

enum RandomUniformKernel: OpKernel {
    static let opType = RandomUniformOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let output = outputs[0]
        let count = output.count
        var generator = Xoshiro256StarStar(seededBy: op)
        return {
            let y = output.floats
            // The top 24 bits of each draw: every float in [0, 1) with spacing 2^-24.
            for i in 0..<count { y[i] = Float(generator.next() >> 40) * 0x1p-24 }
        }
    }
}

enum FloorKernel: UnaryFloatKernel {
    static let opType = FloorOp.type
    @inline(__always) static func apply(_ x: Float) -> Float { x.rounded(.down) }
}
