/// `MatMul`: the product of two matrices, either transposed by a flag (no copy is made).
package enum MatMulOp: OpDefinition {
    package static let type = "MatMul"

    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        let (m, k, kb, n) = dimensions(op, inputShapes[0], inputShapes[1])
        guard k == kb else {
            throw ShapeError("inner dimensions \(k) and \(kb) differ (\(inputShapes[0]) x \(inputShapes[1]))")
        }
        return [[m, n]]
    }

    package static func dimensions(_ op: GraphOperation, _ a: [Int], _ b: [Int]) -> (m: Int, k: Int, kb: Int, n: Int) {
        let transposeA = op.attributes["transpose_a"]?.bool ?? false
        let transposeB = op.attributes["transpose_b"]?.bool ?? false
        let (m, k) = transposeA ? (a[1], a[0]) : (a[0], a[1])
        let (kb, n) = transposeB ? (b[1], b[0]) : (b[0], b[1])
        return (m, k, kb, n)
    }

    package static func gradients(_ op: GraphOperation, _ outputGradients: [Output?]) throws -> [Output?]? {
        guard let grad = outputGradients[0] else { return [nil, nil] }
        let graph = op.graph
        let a = op.inputs[0]
        let b = op.inputs[1]
        let transposeA = op.attributes["transpose_a"]?.bool ?? false
        let transposeB = op.attributes["transpose_b"]?.bool ?? false
        switch (transposeA, transposeB) {
        case (false, false):
            return [try graph.matMul(grad, b, transposeB: true), try graph.matMul(a, grad, transposeA: true)]
        case (false, true):
            return [try graph.matMul(grad, b), try graph.matMul(grad, a, transposeA: true)]
        case (true, false):
            return [try graph.matMul(b, grad, transposeB: true), try graph.matMul(a, grad)]
        case (true, true):
            return [
                try graph.matMul(b, grad, transposeA: true, transposeB: true),
                try graph.matMul(grad, a, transposeA: true, transposeB: true),
            ]
        }
    }
}

extension Graph {
    /// The matrix product `a x b` of two rank-2 float32 tensors, optionally transposing
    /// either (no copy is made).
    /// - Throws: `GraphError.invalidArgument` when ranks, types or inner dimensions differ.
    public func matMul(
        _ a: some OutputConvertible, _ b: some OutputConvertible, transposeA: Bool = false, transposeB: Bool = false,
        name: String = "MatMul"
    ) throws -> Output {
        let a = a.output
        let b = b.output
        guard a.dtype == .float32, b.dtype == .float32, a.shape.rank == 2, b.shape.rank == 2 else {
            throw GraphError.invalidArgument("matMul needs two rank-2 float32 tensors, got \(a) and \(b)")
        }
        let m = transposeA ? a.shape.dimensions[1] : a.shape.dimensions[0]
        let k = transposeA ? a.shape.dimensions[0] : a.shape.dimensions[1]
        let kb = transposeB ? b.shape.dimensions[1] : b.shape.dimensions[0]
        let n = transposeB ? b.shape.dimensions[0] : b.shape.dimensions[1]
        if let k, let kb, k != kb {
            throw GraphError.invalidArgument("matMul: inner dimensions differ, \(a.shape) x \(b.shape)")
        }
        return try addOperation(
            MatMulOp.self, name: name, inputs: [a, b],
            attributes: ["T": .type(.float32), "transpose_a": .bool(transposeA), "transpose_b": .bool(transposeB)],
            outputTypes: [.float32], outputShapes: [TensorShape([m, n])]
        ).firstOutput
    }
}
