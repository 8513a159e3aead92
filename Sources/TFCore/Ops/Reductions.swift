/// `Sum` and `Mean` over axes (float32; `Sum` also int32), with their gradients.

enum Reduction {
    /// Axes from the constant reduction-indices input, normalized; empty means all.
    static func axes(_ op: Operation, _ constants: [Tensor?], rank: Int) throws -> [Int] {
        guard let value = constants[1] else {
            throw SessionError.shapeMismatch(op.name, "its reduction indices must be constant")
        }
        let axes = value.int32s.map { Int($0) < 0 ? Int($0) + rank : Int($0) }
        guard axes.allSatisfy({ (0..<rank).contains($0) }) else {
            throw SessionError.shapeMismatch(op.name, "reduction axes \(value.int32s) out of range for rank \(rank)")
        }
        return axes
    }

    static func outputShape(_ input: [Int], axes: [Int], keepDims: Bool) -> [Int] {
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

    /// Output element index for each input element position, for the general case.
    static func indexMap(_ input: [Int], axes: [Int]) -> [Int] {
        let kept = input.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        let strides = Broadcasting.strides(of: kept, in: input)
        var map = [Int](repeating: 0, count: input.elementCount)
        var index = [Int](repeating: 0, count: input.count)
        for i in 0..<map.count {
            var target = 0
            for axis in 0..<input.count { target += index[axis] * strides[axis] }
            map[i] = target
            Broadcasting.advance(&index, in: input)
        }
        return map
    }

    /// A kernel summing `input` into `output` over `axes`, then scaling by `scale`.
    static func kernel(_ op: Operation, input: TensorBuffer, output: TensorBuffer, axes: [Int], scale: Float) throws -> Kernel {
        let shape = input.shape
        let count = input.count
        let outCount = output.count
        let allAxes = axes.count == shape.count || shape.isEmpty
        let rowsAxis0 = shape.count == 2 && axes == [0]
        let lastAxis2D = shape.count == 2 && axes == [1]
        let map = (allAxes || rowsAxis0 || lastAxis2D) ? [] : indexMap(shape, axes: axes)
        switch input.dtype {
        case .float32:
            return {
                let x = input.floats
                let y = output.floats
                if allAxes {
                    var total: Float = 0
                    for i in 0..<count { total += x[i] }
                    y[0] = total * scale
                } else if rowsAxis0 {
                    let (rows, columns) = (shape[0], shape[1])
                    for j in 0..<columns { y[j] = 0 }
                    for r in 0..<rows {
                        let row = x + r * columns
                        for j in 0..<columns { y[j] += row[j] }
                    }
                    if scale != 1 { for j in 0..<columns { y[j] *= scale } }
                } else if lastAxis2D {
                    let (rows, columns) = (shape[0], shape[1])
                    for r in 0..<rows {
                        var total: Float = 0
                        let row = x + r * columns
                        for j in 0..<columns { total += row[j] }
                        y[r] = total * scale
                    }
                } else {
                    for j in 0..<outCount { y[j] = 0 }
                    map.withUnsafeBufferPointer { map in
                        for i in 0..<count { y[map[i]] += x[i] }
                    }
                    if scale != 1 { for j in 0..<outCount { y[j] *= scale } }
                }
            }
        case .int32:
            return {
                let x = input.int32s
                let y = output.int32s
                for j in 0..<outCount { y[j] = 0 }
                if allAxes {
                    var total: Int32 = 0
                    for i in 0..<count { total &+= x[i] }
                    y[0] = total
                } else {
                    let map = map.isEmpty ? indexMap(shape, axes: axes) : map
                    for i in 0..<count { y[map[i]] &+= x[i] }
                }
            }
        default:
            throw SessionError.unsupported(op.name, "reductions over \(input.dtype)")
        }
    }
}

enum SumOp: OpDefinition {
    static let type = "Sum"
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] {
        var axes = try Reduction.axes(op, constants, rank: inputShapes[0].count)
        if axes.isEmpty { axes = Array(0..<inputShapes[0].count) }
        return [Reduction.outputShape(inputShapes[0], axes: axes, keepDims: op.attributes["keep_dims"]?.bool ?? false)]
    }
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        var axes = try Reduction.axes(op, [nil, op.inputs[1].operation.attributes["value"]?.tensor], rank: inputs[0].shape.count)
        if axes.isEmpty { axes = Array(0..<inputs[0].shape.count) }
        return try Reduction.kernel(op, input: inputs[0], output: outputs[0], axes: axes, scale: 1)
    }
    static func gradients(_ op: Operation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil, nil] }
        return [try op.graph.reductionGradient(op, grad), nil]
    }
}

enum MeanOp: OpDefinition {
    static let type = "Mean"
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] {
        try SumOp.outputShapes(op, inputShapes, constants)
    }
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        var axes = try Reduction.axes(op, [nil, op.inputs[1].operation.attributes["value"]?.tensor], rank: inputs[0].shape.count)
        if axes.isEmpty { axes = Array(0..<inputs[0].shape.count) }
        let reduced = axes.map { inputs[0].shape[$0] }.elementCount
        guard inputs[0].dtype == .float32 else { throw SessionError.unsupported(op.name, "Mean over \(inputs[0].dtype)") }
        return try Reduction.kernel(op, input: inputs[0], output: outputs[0], axes: axes, scale: reduced == 0 ? .nan : 1 / Float(reduced))
    }
    static func gradients(_ op: Operation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil, nil] }
        let graph = op.graph
        let summed = try graph.reductionGradient(op, grad)
        let count = try graph.div(graph.cast(graph.size(of: op.inputs[0]), to: .float32), graph.cast(graph.size(of: op.output), to: .float32))
        return [try graph.div(summed, count), nil]
    }
}

extension Graph {
    private func reduction(
        _ definition: any OpDefinition.Type, _ x: Output, axes: [Int]?, keepDims: Bool, name: String
    ) throws -> Output {
        let rank = x.shape.rank
        let normalized = (axes ?? Array(0..<rank)).map { $0 < 0 ? $0 + rank : $0 }
        guard normalized.allSatisfy({ (0..<max(rank, 1)).contains($0) }) || rank == 0 else {
            throw GraphError.invalidArgument("\(definition.type): axes \(axes ?? []) out of range for rank \(rank)")
        }
        let indices = constant(
            Tensor(int32s: normalized.map { Int32($0) }, shape: [normalized.count]), name: "Const")
        var dims: [Int?] = []
        for (axis, size) in x.shape.dimensions.enumerated() {
            if normalized.contains(axis) {
                if keepDims { dims.append(1) }
            } else {
                dims.append(size)
            }
        }
        return addOperation(
            definition, name: name, inputs: [x, indices],
            attributes: ["T": .type(x.dtype), "Tidx": .type(.int32), "keep_dims": .bool(keepDims)],
            outputTypes: [x.dtype], outputShapes: [TensorShape(dims)]
        ).output
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
    func reductionGradient(_ op: Operation, _ grad: Output) throws -> Output {
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
        return broadcast(kept, toShapeOf: input)
    }
}
