import TFGraph
/// Kernels of `Sum` and `Mean`.

/// The summing loops the reduction kernels share.
enum ReductionKernel {
    /// The axes `op` reduces, from its constant indices input: all of them when it lists none.
    static func axes(_ op: GraphOperation, rank: Int) throws -> [Int] {
        let axes = try Reduction.axes(op, [nil, op.inputs[1].operation.attributes["value"]?.tensor], rank: rank)
        return axes.isEmpty ? Array(0..<rank) : axes
    }

    /// Output element index for each input element position, for the general case.
    static func indexMap(_ input: [Int], axes: [Int]) -> [Int] {
        let kept = input.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        let strides = BroadcastPattern.strides(of: kept, in: input)
        var map = [Int](repeating: 0, count: input.elementCount)
        var index = [Int](repeating: 0, count: input.count)
        for i in 0..<map.count {
            var target = 0
            for axis in 0..<input.count { target += index[axis] * strides[axis] }
            map[i] = target
            BroadcastPattern.advance(&index, in: input)
        }
        return map
    }

    /// A kernel summing `input` into `output` over `axes`, then dividing by `divisor` (a
    /// mean divides by the count, as TensorFlow's does: `7843 / 10000` prints as 0.7843).
    static func kernel(_ op: GraphOperation, input: TensorBuffer, output: TensorBuffer, axes: [Int], divisor: Float) throws -> Kernel {
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
                    y[0] = total / divisor
                } else if rowsAxis0 {
                    let (rows, columns) = (shape[0], shape[1])
                    for j in 0..<columns { y[j] = 0 }
                    for r in 0..<rows {
                        let row = x + r * columns
                        for j in 0..<columns { y[j] += row[j] }
                    }
                    if divisor != 1 { for j in 0..<columns { y[j] /= divisor } }
                } else if lastAxis2D {
                    let (rows, columns) = (shape[0], shape[1])
                    for r in 0..<rows {
                        var total: Float = 0
                        let row = x + r * columns
                        for j in 0..<columns { total += row[j] }
                        y[r] = total / divisor
                    }
                } else {
                    for j in 0..<outCount { y[j] = 0 }
                    map.withUnsafeBufferPointer { map in
                        for i in 0..<count { y[map[i]] += x[i] }
                    }
                    if divisor != 1 { for j in 0..<outCount { y[j] /= divisor } }
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
            throw SessionError.unsupported(op: op.name, what: "reductions over \(input.dtype)")
        }
    }
}

enum SumKernel: OpKernel {
    static let opType = SumOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let axes = try ReductionKernel.axes(op, rank: inputs[0].shape.count)
        return try ReductionKernel.kernel(op, input: inputs[0], output: outputs[0], axes: axes, divisor: 1)
    }
}

enum MeanKernel: OpKernel {
    static let opType = MeanOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let axes = try ReductionKernel.axes(op, rank: inputs[0].shape.count)
        let reduced = axes.map { inputs[0].shape[$0] }.elementCount
        guard inputs[0].dtype == .float32 else { throw SessionError.unsupported(op: op.name, what: "Mean over \(inputs[0].dtype)") }
        return try ReductionKernel.kernel(op, input: inputs[0], output: outputs[0], axes: axes, divisor: Float(reduced))
    }
}
