/// Dropout as TensorFlow 1's `tf.nn.dropout` builds it: `RandomUniform` noise over the
/// input's shape, `Floor(keep_prob + noise)` as the keep mask (1 with probability
/// `keep_prob`), and `x / keep_prob * mask`. The gradient follows from `RealDiv` and `Mul`.

package enum RandomUniformOp: OpDefinition {
    package static let type = "RandomUniform"
    package static var isStateful: Bool { true }
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        guard let shape = constants[0] else { throw ShapeError("its shape input must be known when the plan is compiled") }
        let dimensions = shape.int32s.map(Int.init)
        guard dimensions.allSatisfy({ $0 >= 0 }) else { throw ShapeError("negative dimension in shape \(dimensions)") }
        return [dimensions]
    }
}

/// `Floor`: the largest integer not above x. Its gradient is none (zero almost everywhere),
/// as in TensorFlow.
package enum FloorOp: UnaryFloatOp {
    package static let type = "Floor"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? { [nil] }
}

extension Graph {
    /// Uniform samples in [0, 1) of the run-time shape `shape` (an int32 vector), as
    /// TensorFlow's `tf.random_uniform`. Reproducible when the graph or `seed` is seeded.
    public func randomUniform(shape: some OutputConvertible, staticShape: TensorShape, seed: Int? = nil, name: String = "RandomUniform") throws -> Output {
        let shape = shape.output
        guard shape.dtype == .int32, shape.shape.rank == 1 else {
            throw GraphError.invalidArgument("randomUniform needs an int32 shape vector, got \(shape)")
        }
        let (graphSeed, opSeed) = seeds(seed)
        return try addOperation(
            RandomUniformOp.self, name: name, inputs: [shape],
            attributes: ["dtype": .type(.float32), "T": .type(.int32), "seed": .int(graphSeed), "seed2": .int(opSeed)],
            outputTypes: [.float32], outputShapes: [staticShape]
        ).firstOutput
    }

    /// `floor(x)` elementwise.
    public func floor(_ x: some OutputConvertible, name: String = "Floor") throws -> Output {
        try unary(FloorOp.self, x.output, name: name)
    }

    /// `x` with each element kept with probability `keepProbability` and scaled by
    /// `1 / keepProbability`, else 0 (TensorFlow 1's `tf.nn.dropout`). The mask is drawn
    /// anew on every run from the graph's seed; `keepProbability` is a float32 scalar,
    /// typically fed (1 when evaluating).
    public func dropout(_ x: some OutputConvertible, keepProbability: some OutputConvertible, seed: Int? = nil, name: String = "dropout") throws -> Output {
        let (x, keep) = (x.output, keepProbability.output)
        guard x.dtype == .float32, keep.dtype == .float32, keep.shape.rank == 0 else {
            throw GraphError.invalidArgument("dropout needs a float32 tensor and a float32 scalar keep probability, got \(x) and \(keep)")
        }
        return try withNameScope(name) {
            let noise = try withNameScope("random_uniform") {
                try randomUniform(shape: shape(of: x), staticShape: x.shape, seed: seed, name: "RandomUniform")
            }
            let mask = try floor(try add(keep, noise, name: "add"), name: "Floor")
            return try mul(try div(x, keep, name: "div"), mask, name: "mul")
        }
    }
}
