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
    public func inTopK(predictions: some OutputConvertible, targets: some OutputConvertible, k: Int, name: String = "in_top_k/InTopKV2") throws -> Output {
        let (predictions, targets) = (predictions.output, targets.output)
        guard predictions.dtype == .float32, predictions.shape.rank == 2, targets.shape.rank == 1,
            targets.dtype == .int32 || targets.dtype == .int64
        else {
            throw GraphError.invalidArgument("inTopK needs float32 predictions [batch, classes] and int targets [batch]")
        }
        guard let k32 = Int32(exactly: k), k32 >= 0 else {
            throw GraphError.invalidArgument("inTopK: k must lie in 0...2147483647, got \(k)")
        }
        let kConstant = constant(Tensor(int32s: [k32], shape: []), name: "in_top_k/InTopKV2/k")
        return addOperation(
            InTopKOp.self, name: name, inputs: [predictions, targets, kConstant], attributes: ["T": .type(targets.dtype)],
            outputTypes: [.bool], outputShapes: [targets.shape]
        ).output
    }

    /// The index of the largest value of each row, as int64.
    public func argMax(_ x: some OutputConvertible, name: String = "ArgMax") throws -> Output {
        let x = x.output
        guard x.dtype == .float32, x.shape.rank == 2 else {
            throw GraphError.invalidArgument("argMax needs a rank-2 float32 tensor, got \(x)")
        }
        let axis = constant(Tensor(int32s: [1], shape: []), name: "ArgMax/dimension")
        return addOperation(
            ArgMaxOp.self, name: name, inputs: [x, axis],
            attributes: ["T": .type(.float32), "Tidx": .type(.int32), "output_type": .type(.int64)],
            outputTypes: [.int64], outputShapes: [TensorShape([x.shape.dimensions[0]])]
        ).output
    }

    /// Elementwise equality of two tensors of one shape and type.
    public func equal(_ a: some OutputConvertible, _ b: some OutputConvertible, name: String = "Equal") throws -> Output {
        let (a, b) = (a.output, b.output)
        guard a.dtype == b.dtype else { throw GraphError.invalidArgument("equal: types \(a.dtype) and \(b.dtype) differ") }
        return addOperation(
            EqualOp.self, name: name, inputs: [a, b], attributes: ["T": .type(a.dtype)],
            outputTypes: [.bool], outputShapes: [a.shape]
        ).output
    }
}
