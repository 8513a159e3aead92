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
        var generator = Xoshiro256StarStar(seededBy: op)
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

extension Xoshiro256StarStar {
    /// The generator of a random op: from its `seed` and `seed2` attributes (the graph's and
    /// the op's seeds), so a seeded op draws the same values on every machine; from the
    /// system's randomness when both are 0 (an unseeded graph).
    init(seededBy op: GraphOperation) {
        let seed = op.attributes["seed"]?.int ?? 0
        let seed2 = op.attributes["seed2"]?.int ?? 0
        if seed == 0 && seed2 == 0 {
            self.init(seed: UInt64.random(in: 0...UInt64.max))
        } else {
            self.init(seed: UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9 ^ UInt64(truncatingIfNeeded: seed2))
        }
    }
}
