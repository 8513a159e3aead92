/// Ops about shapes: `Shape`, `Size`, `Reshape`, `Fill`, `BroadcastTo`, and `Cast`.
/// `Shape` and `Size` depend only on shapes, so a compiled plan folds them into constants.

package enum ShapeOp: OpDefinition {
    package static let type = "Shape"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        [[inputShapes[0].count]]
    }
}

package enum SizeOp: OpDefinition {
    package static let type = "Size"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] { [[]] }
}

/// Resolves a shape tensor with at most one -1 against an element count.
private func resolve(_ requested: [Int], count: Int, op: GraphOperation) throws(ShapeError) -> [Int] {
    let unknown = requested.filter { $0 == -1 }.count
    guard unknown <= 1, case .success(let known) = requested.filter({ $0 != -1 }).checkedElementCount,
        known > 0 || count == 0
    else {
        throw ShapeError("cannot reshape \(count) elements to \(requested)")
    }
    let result = requested.map { $0 == -1 ? (known == 0 ? 0 : count / known) : $0 }
    guard case .success(count) = result.checkedElementCount else {
        throw ShapeError("cannot reshape \(count) elements to \(requested)")
    }
    return result
}

/// The dimensions a shape tensor holds.
private func shapeValue(_ constant: Tensor?, _ op: GraphOperation) throws(ShapeError) -> [Int] {
    guard let constant else {
        throw ShapeError("its shape input must be known when the plan is compiled")
    }
    return constant.int32s.map(Int.init) + constant.int64s.map(Int.init)
}

/// The dimensions a shape tensor holds, checked to be a shape a tensor can have.
private func validShapeValue(_ constant: Tensor?, _ op: GraphOperation) throws(ShapeError) -> [Int] {
    let shape = try shapeValue(constant, op)
    if case .failure(let error) = shape.checkedElementCount { throw ShapeError("its shape input: \(error)") }
    return shape
}

package enum ReshapeOp: OpDefinition {
    package static let type = "Reshape"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        [try resolve(try shapeValue(constants[1], op), count: inputShapes[0].elementCount, op: op)]
    }
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil, nil] }
        let graph = op.graph
        return [try graph.reshape(grad, toShapeOf: op.inputs[0]), nil]
    }
}

package enum FillOp: OpDefinition {
    package static let type = "Fill"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        [try validShapeValue(constants[0], op)]
    }
}

package enum BroadcastToOp: OpDefinition {
    package static let type = "BroadcastTo"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        let target = try validShapeValue(constants[1], op)
        guard Broadcasting.shape(inputShapes[0], target) == target else {
            throw ShapeError("cannot broadcast \(inputShapes[0]) to \(target)")
        }
        return [target]
    }
}

package enum CastOp: OpDefinition {
    package static let type = "Cast"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0], op.inputs[0].dtype == .float32 else { return [nil] }
        return [grad]
    }
}

extension Graph {
    /// The shape of `x` as an int32 vector.
    /// - Throws: `GraphError.foreignInput` when `x` belongs to another graph.
    public func shape(of x: some OutputConvertible, name: String = "Shape") throws -> Output {
        let x = x.output
        return try addOperation(
            ShapeOp.self, name: name, inputs: [x], attributes: ["T": .type(x.dtype), "out_type": .type(.int32)],
            outputTypes: [.int32], outputShapes: [TensorShape([x.shape.rank])]
        ).firstOutput
    }

    /// The number of elements of `x` as an int32 scalar.
    /// - Throws: `GraphError.foreignInput` when `x` belongs to another graph.
    public func size(of x: some OutputConvertible, name: String = "Size") throws -> Output {
        let x = x.output
        return try addOperation(
            SizeOp.self, name: name, inputs: [x], attributes: ["T": .type(x.dtype), "out_type": .type(.int32)],
            outputTypes: [.int32], outputShapes: [.scalar]
        ).firstOutput
    }

    /// `x` with a new shape of the same element count; one dimension may be -1 (inferred).
    /// - Throws: `GraphError.invalidArgument` for dimensions below -1 or above 2147483647, more
    ///   than one -1, or a shape that does not hold `x`'s elements; `.foreignInput` when `x`
    ///   belongs to another graph.
    public func reshape(_ x: some OutputConvertible, to shape: [Int], name: String = "Reshape") throws -> Output {
        let x = x.output
        try checkOwnership(of: x, for: name)
        guard shape.filter({ $0 == -1 }).count <= 1, shape.allSatisfy({ $0 >= -1 }) else {
            throw GraphError.invalidArgument("reshape: at most one dimension may be -1, got \(shape)")
        }
        guard shape.allSatisfy({ $0 <= Int(Int32.max) }) else {
            throw GraphError.invalidArgument("reshape: dimensions must be at most 2147483647, got \(shape)")
        }
        guard case .success(let rest) = shape.filter({ $0 != -1 }).checkedElementCount else {
            throw GraphError.invalidArgument("reshape: the dimensions of \(shape) multiply past \(Int.max)")
        }
        if let known = x.shape.knownDimensions, !shape.contains(-1), known.elementCount != rest {
            throw GraphError.invalidArgument("reshape: cannot reshape \(x.shape) to \(shape)")
        }
        // Dimensions in 0...Int32.max (checked above) each fit an int32.
        let target = constant(
            Tensor(unchecked: .int32(shape.map { Int32($0) }), shape: [shape.count]), name: "Reshape/shape")
        var staticShape = TensorShape(shape.map { $0 == -1 ? nil : $0 })
        if let known = x.shape.knownDimensions, shape.contains(-1) {
            staticShape = TensorShape(shape.map { $0 == -1 ? (rest == 0 ? 0 : known.elementCount / rest) : $0 })
        }
        return try addOperation(
            ReshapeOp.self, name: name, inputs: [x, target], attributes: ["T": .type(x.dtype), "Tshape": .type(.int32)],
            outputTypes: [x.dtype], outputShapes: [staticShape]
        ).firstOutput
    }

    /// `x` reshaped to the (run-time) shape of `like`.
    func reshape(_ x: Output, toShapeOf like: Output) throws -> Output {
        try addOperation(
            ReshapeOp.self, name: "Reshape", inputs: [x, shape(of: like)],
            attributes: ["T": .type(x.dtype), "Tshape": .type(.int32)],
            outputTypes: [x.dtype], outputShapes: [like.shape]
        ).firstOutput
    }

    /// A float32 tensor of shape `dimensions` (an int32 vector) filled with a scalar.
    /// - Throws: `GraphError.invalidArgument` unless `dimensions` is an int32 vector and
    ///   `value` a float32 scalar; `.foreignInput` when an input belongs to another graph.
    public func fill(dimensions: Output, value: Output, staticShape: TensorShape, name: String = "Fill") throws -> Output {
        guard dimensions.dtype == .int32, dimensions.shape.rank == 1, value.dtype == .float32, value.shape.rank == 0 else {
            throw GraphError.invalidArgument("fill needs an int32 vector of dimensions and a float32 scalar, got \(dimensions) and \(value)")
        }
        return try addOperation(
            FillOp.self, name: name, inputs: [dimensions, value], attributes: ["T": .type(.float32), "index_type": .type(.int32)],
            outputTypes: [.float32], outputShapes: [staticShape]
        ).firstOutput
    }

    /// `x` repeated along broadcast axes to the shape of `like`.
    func broadcast(_ x: Output, toShapeOf like: Output, name: String = "BroadcastTo") throws -> Output {
        try addOperation(
            BroadcastToOp.self, name: name, inputs: [x, shape(of: like)], attributes: ["T": .type(.float32), "Tidx": .type(.int32)],
            outputTypes: [.float32], outputShapes: [like.shape]
        ).firstOutput
    }

    /// `x` converted to `dtype`.
    /// - Throws: `GraphError.foreignInput` when `x` belongs to another graph.
    public func cast(_ x: some OutputConvertible, to dtype: DType, name: String = "Cast") throws -> Output {
        let x = x.output
        return try addOperation(
            CastOp.self, name: name, inputs: [x], attributes: ["SrcT": .type(x.dtype), "DstT": .type(dtype), "Truncate": .bool(false)],
            outputTypes: [dtype], outputShapes: [x.shape]
        ).firstOutput
    }

    /// A float32 tensor of zeros.
    /// - Throws: `GraphError.invalidArgument` for a negative dimension or more elements than
    ///   `Int` counts.
    public func zeros(_ shape: [Int], name: String = "zeros") throws -> Output {
        constant(try Self.filled(0, shape: shape, for: "zeros"), name: name)
    }
}
