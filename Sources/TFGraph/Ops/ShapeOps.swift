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
    let known = requested.filter { $0 != -1 }.reduce(1, *)
    let unknown = requested.filter { $0 == -1 }.count
    guard unknown <= 1, known > 0 || count == 0 else {
        throw ShapeError("cannot reshape \(count) elements to \(requested)")
    }
    let result = requested.map { $0 == -1 ? (known == 0 ? 0 : count / known) : $0 }
    guard result.elementCount == count else {
        throw ShapeError("cannot reshape \(count) elements to \(requested)")
    }
    return result
}

private func shapeValue(_ constant: Tensor?, _ op: GraphOperation) throws(ShapeError) -> [Int] {
    guard let constant else {
        throw ShapeError("its shape input must be known when the plan is compiled")
    }
    return constant.int32s.map(Int.init) + constant.int64s.map(Int.init)
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
        [try shapeValue(constants[0], op)]
    }
}

package enum BroadcastToOp: OpDefinition {
    package static let type = "BroadcastTo"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        let target = try shapeValue(constants[1], op)
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
    public func shape(of x: some OutputConvertible, name: String = "Shape") -> Output {
        let x = x.output
        return addOperation(
            ShapeOp.self, name: name, inputs: [x], attributes: ["T": .type(x.dtype), "out_type": .type(.int32)],
            outputTypes: [.int32], outputShapes: [TensorShape([x.shape.rank])]
        ).output
    }

    /// The number of elements of `x` as an int32 scalar.
    public func size(of x: some OutputConvertible, name: String = "Size") -> Output {
        let x = x.output
        return addOperation(
            SizeOp.self, name: name, inputs: [x], attributes: ["T": .type(x.dtype), "out_type": .type(.int32)],
            outputTypes: [.int32], outputShapes: [.scalar]
        ).output
    }

    /// `x` with a new shape of the same element count; one dimension may be -1 (inferred).
    public func reshape(_ x: some OutputConvertible, to shape: [Int], name: String = "Reshape") throws -> Output {
        let x = x.output
        guard shape.filter({ $0 == -1 }).count <= 1, shape.allSatisfy({ $0 >= -1 }) else {
            throw GraphError.invalidArgument("reshape: at most one dimension may be -1, got \(shape)")
        }
        guard shape.allSatisfy({ $0 <= Int(Int32.max) }) else {
            throw GraphError.invalidArgument("reshape: dimensions must be at most 2147483647, got \(shape)")
        }
        if let known = x.shape.knownDimensions, !shape.contains(-1), known.elementCount != shape.elementCount {
            throw GraphError.invalidArgument("reshape: cannot reshape \(x.shape) to \(shape)")
        }
        let target = constant(Tensor(int32s: shape.map { Int32($0) }, shape: [shape.count]), name: "Reshape/shape")
        var staticShape = TensorShape(shape.map { $0 == -1 ? nil : $0 })
        if let known = x.shape.knownDimensions, shape.contains(-1) {
            let rest = shape.filter { $0 != -1 }.elementCount
            staticShape = TensorShape(shape.map { $0 == -1 ? (rest == 0 ? 0 : known.elementCount / rest) : $0 })
        }
        return addOperation(
            ReshapeOp.self, name: name, inputs: [x, target], attributes: ["T": .type(x.dtype), "Tshape": .type(.int32)],
            outputTypes: [x.dtype], outputShapes: [staticShape]
        ).output
    }

    /// `x` reshaped to the (run-time) shape of `like`.
    func reshape(_ x: Output, toShapeOf like: Output) throws -> Output {
        addOperation(
            ReshapeOp.self, name: "Reshape", inputs: [x, shape(of: like)],
            attributes: ["T": .type(x.dtype), "Tshape": .type(.int32)],
            outputTypes: [x.dtype], outputShapes: [like.shape]
        ).output
    }

    /// A float32 tensor of shape `dimensions` (an int32 vector) filled with a scalar.
    public func fill(dimensions: Output, value: Output, staticShape: TensorShape, name: String = "Fill") -> Output {
        addOperation(
            FillOp.self, name: name, inputs: [dimensions, value], attributes: ["T": .type(.float32), "index_type": .type(.int32)],
            outputTypes: [.float32], outputShapes: [staticShape]
        ).output
    }

    /// `x` repeated along broadcast axes to the shape of `like`.
    func broadcast(_ x: Output, toShapeOf like: Output, name: String = "BroadcastTo") -> Output {
        addOperation(
            BroadcastToOp.self, name: name, inputs: [x, shape(of: like)], attributes: ["T": .type(.float32), "Tidx": .type(.int32)],
            outputTypes: [.float32], outputShapes: [like.shape]
        ).output
    }

    /// `x` converted to `dtype`.
    public func cast(_ x: some OutputConvertible, to dtype: DType, name: String = "Cast") -> Output {
        let x = x.output
        return addOperation(
            CastOp.self, name: name, inputs: [x], attributes: ["SrcT": .type(x.dtype), "DstT": .type(dtype), "Truncate": .bool(false)],
            outputTypes: [dtype], outputShapes: [x.shape]
        ).output
    }

    /// A float32 tensor of zeros.
    public func zeros(_ shape: [Int], name: String = "zeros") -> Output {
        constant(Tensor(floats: Array(repeating: 0, count: shape.elementCount), shape: shape), name: name)
    }
}
