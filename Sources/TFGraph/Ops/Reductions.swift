/// `Sum` and `Mean` over axes (float32; `Sum` also int32), with their gradients.

package enum Reduction {
    /// Axes from the constant reduction-indices input, normalized; empty means all.
    package static func axes(_ op: GraphOperation, _ constants: [Tensor?], rank: Int) throws(ShapeError) -> [Int] {
        guard let value = constants[1] else {
            throw ShapeError("its reduction indices must be constant")
        }
        let axes = value.int32s.map { Int($0) < 0 ? Int($0) + rank : Int($0) }
        guard axes.allSatisfy({ (0..<rank).contains($0) }) else {
            throw ShapeError("reduction axes \(value.int32s) out of range for rank \(rank)")
        }
        return axes
    }

    package static func outputShape(_ input: [Int], axes: [Int], keepDims: Bool) -> [Int] {
        var result: [Int] = []
        for (axis, size) in input.enumerated() {
            if axes.contains(axis) {
                if keepDims { result.append(1) }
            } else {
                result.append(size)
            }
        }
        return result
    }
}

package enum SumOp: OpDefinition {
    package static let type = "Sum"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        var axes = try Reduction.axes(op, constants, rank: inputShapes[0].count)
        if axes.isEmpty { axes = Array(0..<inputShapes[0].count) }
        return [Reduction.outputShape(inputShapes[0], axes: axes, keepDims: op.attributes["keep_dims"]?.bool ?? false)]
    }
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil, nil] }
        return [try op.graph.reductionGradient(op, grad), nil]
    }
}

package enum MeanOp: OpDefinition {
    package static let type = "Mean"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        try SumOp.outputShapes(op, inputShapes, constants)
    }
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil, nil] }
        let graph = op.graph
        let summed = try graph.reductionGradient(op, grad)
        let count = try graph.div(graph.cast(graph.size(of: op.inputs[0]), to: .float32), graph.cast(graph.size(of: op.firstOutput), to: .float32))
        return [try graph.div(summed, count), nil]
    }
}

extension Graph {
    func reduction(
        _ definition: any OpDefinition.Type, _ x: Output, axes: [Int]?, keepDims: Bool, name: String
    ) throws -> Output {
        try checkOwnership(of: x, for: name)
        let rank = x.shape.rank
        let normalized = (axes ?? Array(0..<rank)).map { $0 < 0 ? $0 + rank : $0 }
        let axes32 = normalized.compactMap { Int32(exactly: $0) }
        guard normalized.allSatisfy({ (0..<max(rank, 1)).contains($0) }) || rank == 0, axes32.count == normalized.count else {
            throw GraphError.invalidArgument("\(definition.type): axes \(axes ?? []) out of range for rank \(rank)")
        }
        let indices = constant(Tensor(unchecked: .int32(axes32), shape: [axes32.count]), name: "Const")
        var dims: [Int?] = []
        for (axis, size) in x.shape.dimensions.enumerated() {
            if normalized.contains(axis) {
                if keepDims { dims.append(1) }
            } else {
                dims.append(size)
            }
        }
        return try addOperation(
            definition, name: name, inputs: [x, indices],
            attributes: ["T": .type(x.dtype), "Tidx": .type(.int32), "keep_dims": .bool(keepDims)],
            outputTypes: [x.dtype], outputShapes: [TensorShape(dims)]
        ).firstOutput
    }

    /// The sum over `axes` (all axes when nil).
    public func reduceSum(_ x: some OutputConvertible, axes: [Int]? = nil, keepDims: Bool = false, name: String = "Sum") throws -> Output {
        let x = x.output
        guard x.dtype == .float32 || x.dtype == .int32 else {
            throw GraphError.invalidArgument("reduceSum needs float32 or int32, got \(x.dtype)")
        }
        return try reduction(SumOp.self, x, axes: axes, keepDims: keepDims, name: name)
    }

    /// The mean over `axes` (all axes when nil).
    public func reduceMean(_ x: some OutputConvertible, axes: [Int]? = nil, keepDims: Bool = false, name: String = "Mean") throws -> Output {
        let x = x.output
        guard x.dtype == .float32 else { throw GraphError.invalidArgument("reduceMean needs float32, got \(x.dtype)") }
        return try reduction(MeanOp.self, x, axes: axes, keepDims: keepDims, name: name)
    }

    /// The gradient of a sum-like reduction: `grad` reshaped to keep the reduced axes, then
    /// repeated to the input's shape.
    func reductionGradient(_ op: GraphOperation, _ grad: Output) throws -> Output {
        let input = op.inputs[0]
        let axes = (op.inputs[1].operation.attributes["value"]?.tensor?.int32s ?? []).map { Int($0) }
        let keepDims = op.attributes["keep_dims"]?.bool ?? false
        var kept = grad
        if !keepDims && input.shape.rank > 0 {
            let keptShape = input.shape.dimensions.enumerated().map { axes.contains($0.offset) ? 1 : ($0.element ?? -1) }
            if keptShape.filter({ $0 == -1 }).count <= 1 {
                kept = try reshape(grad, to: keptShape)
            }
        }
        return try broadcast(kept, toShapeOf: input)
    }
}
