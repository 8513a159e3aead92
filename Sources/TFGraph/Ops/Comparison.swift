/// Evaluation ops: `InTopKV2`, `ArgMax`, `Equal`.

package enum InTopKOp: OpDefinition {
    package static let type = "InTopKV2"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        guard inputShapes[0].count == 2, inputShapes[1] == [inputShapes[0][0]] else {
            throw ShapeError("predictions \(inputShapes[0]) and targets \(inputShapes[1]) do not match")
        }
        return [inputShapes[1]]
    }
}

package enum ArgMaxOp: OpDefinition {
    package static let type = "ArgMax"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        guard inputShapes[0].count == 2 else { throw ShapeError("argMax over a rank other than 2 is not supported") }
        return [[inputShapes[0][0]]]
    }
}

package enum EqualOp: OpDefinition {
    package static let type = "Equal"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        guard inputShapes[0] == inputShapes[1] else {
            throw ShapeError("equal needs equal shapes, got \(inputShapes[0]) and \(inputShapes[1])")
        }
        return [inputShapes[0]]
    }
}

extension Graph {
    /// Whether each target class is among the `k` largest predictions of its row (ties
    /// count as in; a non-finite prediction is never in).
    /// - Throws: `GraphError.invalidArgument` for inputs of the wrong type or rank or a `k`
    ///   outside 0...2147483647; `.foreignInput` for an input of another graph.
    public func inTopK(predictions: some OutputConvertible, targets: some OutputConvertible, k: Int, name: String = "in_top_k/InTopKV2") throws -> Output {
        let (predictions, targets) = (predictions.output, targets.output)
        try checkOwnership(of: predictions, for: name)
        try checkOwnership(of: targets, for: name)
        guard predictions.dtype == .float32, predictions.shape.rank == 2, targets.shape.rank == 1,
            targets.dtype == .int32 || targets.dtype == .int64
        else {
            throw GraphError.invalidArgument("inTopK needs float32 predictions [batch, classes] and int targets [batch]")
        }
        guard let k32 = Int32(exactly: k), k32 >= 0 else {
            throw GraphError.invalidArgument("inTopK: k must lie in 0...2147483647, got \(k)")
        }
        let kConstant = constant(Tensor(k32), name: "in_top_k/InTopKV2/k")
        return try addOperation(
            InTopKOp.self, name: name, inputs: [predictions, targets, kConstant], attributes: ["T": .type(targets.dtype)],
            outputTypes: [.bool], outputShapes: [targets.shape]
        ).firstOutput
    }

    /// The index of the largest value of each row, as int64.
    /// - Throws: `GraphError.invalidArgument` unless `x` is a rank-2 float32 tensor;
    ///   `.foreignInput` when it belongs to another graph.
    public func argMax(_ x: some OutputConvertible, name: String = "ArgMax") throws -> Output {
        let x = x.output
        try checkOwnership(of: x, for: name)
        guard x.dtype == .float32, x.shape.rank == 2 else {
            throw GraphError.invalidArgument("argMax needs a rank-2 float32 tensor, got \(x)")
        }
        let axis = constant(Tensor(Int32(1)), name: "ArgMax/dimension")
        return try addOperation(
            ArgMaxOp.self, name: name, inputs: [x, axis],
            attributes: ["T": .type(.float32), "Tidx": .type(.int32), "output_type": .type(.int64)],
            outputTypes: [.int64], outputShapes: [TensorShape([x.shape.dimensions[0]])]
        ).firstOutput
    }

    /// Elementwise equality of two tensors of one shape and type.
    public func equal(_ a: some OutputConvertible, _ b: some OutputConvertible, name: String = "Equal") throws -> Output {
        let (a, b) = (a.output, b.output)
        guard a.dtype == b.dtype else { throw GraphError.invalidArgument("equal: types \(a.dtype) and \(b.dtype) differ") }
        return try addOperation(
            EqualOp.self, name: name, inputs: [a, b], attributes: ["T": .type(a.dtype)],
            outputTypes: [.bool], outputShapes: [a.shape]
        ).firstOutput
    }
}
