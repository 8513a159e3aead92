/// `TruncatedNormal`: standard normal samples, redrawn when more than 2 away from 0.
package enum TruncatedNormalOp: OpDefinition {
    package static let type = "TruncatedNormal"
    package static var isStateful: Bool { true }
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        [constants[0]?.int32s.map(Int.init) ?? []]
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
        guard shape.allSatisfy({ (0...Int(Int32.max)).contains($0) }) else {
            throw GraphError.invalidArgument("truncatedNormal: dimensions must lie in 0...2147483647, got \(shape)")
        }
        return try withNameScope("truncated_normal") {
            // Dimensions in 0...Int32.max (checked above) each fit an int32.
            let shapeConstant = constant(Tensor(unchecked: .int32(shape.map { Int32($0) }), shape: [shape.count]), name: "shape")
            let meanConstant = constant(mean, name: "mean")
            let stddevConstant = constant(stddev, name: "stddev")
            let (graphSeed, opSeed) = seeds(seed)
            let samples = try addOperation(
                TruncatedNormalOp.self, name: "TruncatedNormal", inputs: [shapeConstant],
                attributes: ["dtype": .type(.float32), "T": .type(.int32), "seed": .int(graphSeed), "seed2": .int(opSeed)],
                outputTypes: [.float32], outputShapes: [TensorShape(known: shape)]
            ).firstOutput
            let scaled = try mul(samples, stddevConstant, name: "mul")
            return try add(scaled, meanConstant, name: currentScope)
        }
    }
}
