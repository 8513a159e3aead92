import TFGraph
import Randomness

/// The kernel of `TruncatedNormal`: standard normal samples from xoshiro256**, redrawn when
/// more than 2 away from 0. Seeded ops give the same values on every machine.

enum TruncatedNormalKernel: OpKernel {
    static let opType = TruncatedNormalOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let output = outputs[0]
        let count = output.count
        let seed = op.attributes["seed"]?.int ?? 0
        let seed2 = op.attributes["seed2"]?.int ?? 0
        var generator =
            (seed == 0 && seed2 == 0)
            ? Xoshiro256StarStar(seed: UInt64.random(in: 0...UInt64.max))
            : Xoshiro256StarStar(seed: UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9 ^ UInt64(truncatingIfNeeded: seed2))
        return {
            let y = output.floats
            for i in 0..<count {
                var sample = generator.normal()
                while abs(sample) > 2 { sample = generator.normal() }
                y[i] = sample
            }
        }
    }
}
