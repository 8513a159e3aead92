/// `Max` and `Min` over axes (TensorFlow's `reduce_max`, `reduce_min`), with TensorFlow's
/// gradient: the incoming gradient shared equally by the elements equal to the extreme.

/// A reduction to the largest or smallest value.
package protocol ExtremeReductionOp: OpDefinition {}

extension ExtremeReductionOp {
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        try SumOp.outputShapes(op, inputShapes, constants)
    }

    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil, nil] }
        let graph = op.graph
        let input = op.inputs[0]
        let axes = (op.inputs[1].operation.attributes["value"]?.tensor?.int32s ?? []).map { Int($0) }
        let keepDims = op.attributes["keep_dims"]?.bool ?? false
        let extreme = try graph.reductionGradient(op, op.firstOutput)
        let indicators = try graph.cast(try graph.equal(input, extreme), to: .float32)
        let selected = try graph.reduceSum(indicators, axes: axes.isEmpty ? nil : axes, keepDims: keepDims)
        let share = try graph.div(try graph.reductionGradient(op, grad), try graph.reductionGradient(op, selected))
        return [try graph.mul(indicators, share), nil]
    }
}

package enum MaxOp: ExtremeReductionOp {
    package static let type = "Max"
}

package enum MinOp: ExtremeReductionOp {
    package static let type = "Min"
}

extension Graph {
    /// The largest value over `axes` (all axes when nil).
    public func reduceMax(_ x: some OutputConvertible, axes: [Int]? = nil, keepDims: Bool = false, name: String = "Max") throws -> Output {
        let x = x.output
        guard x.dtype == .float32 else { throw GraphError.invalidArgument("reduceMax needs float32, got \(x.dtype)") }
        return try reduction(MaxOp.self, x, axes: axes, keepDims: keepDims, name: name)
    }

    /// The smallest value over `axes` (all axes when nil).
    public func reduceMin(_ x: some OutputConvertible, axes: [Int]? = nil, keepDims: Bool = false, name: String = "Min") throws -> Output {
        let x = x.output
        guard x.dtype == .float32 else { throw GraphError.invalidArgument("reduceMin needs float32, got \(x.dtype)") }
        return try reduction(MinOp.self, x, axes: axes, keepDims: keepDims, name: name)
    }
}
