import TFGraph

/// Kernels of `Max` and `Min` over axes (float32). A NaN among the reduced values makes
/// the result NaN, as in TensorFlow.

/// Which extreme a kernel keeps.
protocol ExtremeKernel: OpKernel {
    /// Whether `candidate` replaces `current` (NaN always does).
    static func replaces(_ candidate: Float, _ current: Float) -> Bool
    /// The start value, replaced by any other (-infinity for `Max`).
    static var identity: Float { get }
}

extension ExtremeKernel {
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (input, output) = (inputs[0], outputs[0])
        guard input.dtype == .float32 else { throw SessionError.unsupported(op: op.name, what: "\(opType) over \(input.dtype)") }
        let shape = input.shape
        var axes = try Reduction.axes(op, [nil, op.inputs[1].operation.attributes["value"]?.tensor], rank: shape.count)
        if axes.isEmpty { axes = Array(0..<shape.count) }
        let count = input.count
        let outCount = output.count
        guard count > 0 || outCount == 0 else {
            throw SessionError.shapeMismatch(op: op.name, reason: "\(opType) of an empty tensor \(shape) has no value")
        }
        let allAxes = axes.count == shape.count
        let map = allAxes ? [] : ReductionKernel.indexMap(shape, axes: axes)
        return {
            let x = input.floats
            let y = output.floats
            if allAxes {
                var best = x[0]
                for i in 1..<max(count, 1) where replaces(x[i], best) { best = x[i] }
                y[0] = best
                return
            }
            for j in 0..<outCount { y[j] = identity }
            map.withUnsafeBufferPointer { map in
                for i in 0..<count where replaces(x[i], y[map[i]]) { y[map[i]] = x[i] }
            }
        }
    }
}

enum MaxKernel: ExtremeKernel {
    static let opType = MaxOp.type
    static let identity = -Float.infinity
    @inline(__always) static func replaces(_ candidate: Float, _ current: Float) -> Bool {
        candidate > current || (candidate.isNaN && !current.isNaN)
    }
}

enum MinKernel: ExtremeKernel {
    static let opType = MinOp.type
    static let identity = Float.infinity
    @inline(__always) static func replaces(_ candidate: Float, _ current: Float) -> Bool {
        candidate < current || (candidate.isNaN && !current.isNaN)
    }
}
