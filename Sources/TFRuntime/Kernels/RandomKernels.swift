import TFGraph
import Randomness

/// A kernel of a random op: each run fills its float32 output with samples from the op's
/// own xoshiro256** generator (`init(seededBy:)`), which carries on from run to run.
protocol RandomFillKernel: OpKernel {
    /// Writes `count` samples to `values`.
    static func fill(_ values: UnsafeMutablePointer<Float>, count: Int, from generator: inout Xoshiro256StarStar)
}

extension RandomFillKernel {
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let output = outputs[0]
        let count = output.count
        var generator = Xoshiro256StarStar(seededBy: op)
        return { fill(output.floats, count: count, from: &generator) }
    }
}

/// The kernel of `TruncatedNormal`: standard normal samples, redrawn when more than 2 away
/// from 0. Seeded ops give the same values on every machine.
enum TruncatedNormalKernel: RandomFillKernel {
    static let opType = TruncatedNormalOp.type
    static func fill(_ values: UnsafeMutablePointer<Float>, count: Int, from generator: inout Xoshiro256StarStar) {
        for i in 0..<count {
            var sample = generator.normal()
            while abs(sample) > 2 { sample = generator.normal() }
            values[i] = sample
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
