import Foundation

/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = (state.3 << 45) | (state.3 >> 19)
        return result
    }

    /// A standard normal sample (Box-Muller).
    mutating func normal() -> Float {
        let u1 = max(Double(next() >> 11) / Double(1 << 53), Double.leastNonzeroMagnitude)
        let u2 = Double(next() >> 11) / Double(1 << 53)
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }
}

/// `TruncatedNormal`: standard normal samples, redrawn when more than 2 away from 0.
enum TruncatedNormalOp: OpDefinition {
    static let type = "TruncatedNormal"
    static var isStateful: Bool { true }
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] {
        [constants[0]?.int32s.map(Int.init) ?? []]
    }
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let output = outputs[0]
        let count = output.count
        let seed = op.attributes["seed"]?.int ?? 0
        let seed2 = op.attributes["seed2"]?.int ?? 0
        var generator =
            (seed == 0 && seed2 == 0)
            ? SeededGenerator(seed: UInt64.random(in: 0...UInt64.max))
            : SeededGenerator(seed: UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9 ^ UInt64(truncatingIfNeeded: seed2))
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

extension Graph {
    /// The (graph seed, op seed) pair TensorFlow derives: with a graph seed and no op seed,
    /// the op seed is the number of ops so far; with neither, both are 0 (non-deterministic).
    func seeds(_ opSeed: Int?) -> (Int, Int) {
        switch (randomSeed, opSeed) {
        case (nil, nil): return (0, 0)
        case (let graphSeed?, nil): return (graphSeed, operations.count)
        case (nil, let opSeed?): return (87_654_321, opSeed)
        case (let graphSeed?, let opSeed?): return (graphSeed, opSeed)
        }
    }

    /// Normal samples with `stddev`, redrawn beyond two standard deviations (TensorFlow's
    /// `tf.truncated_normal`). Reproducible when the graph or `seed` is seeded.
    public func truncatedNormal(_ shape: [Int], mean: Float = 0, stddev: Float = 1, seed: Int? = nil) throws -> Output {
        try withNameScope("truncated_normal") {
            let shapeConstant = constant(Tensor(int32s: shape.map { Int32($0) }, shape: [shape.count]), name: "shape")
            let meanConstant = constant(mean, name: "mean")
            let stddevConstant = constant(stddev, name: "stddev")
            let (graphSeed, opSeed) = seeds(seed)
            let samples = addOperation(
                TruncatedNormalOp.self, name: "TruncatedNormal", inputs: [shapeConstant],
                attributes: ["dtype": .type(.float32), "T": .type(.int32), "seed": .int(graphSeed), "seed2": .int(opSeed)],
                outputTypes: [.float32], outputShapes: [TensorShape(known: shape)]
            ).output
            let scaled = try mul(samples, stddevConstant, name: "mul")
            return try add(scaled, meanConstant, name: currentScope)
        }
    }
}
