import TFGraph

/// Kernels of `Max` and `Min` over axes (float32). A NaN among the reduced values makes
/// the result NaN, as in TensorFlow.

/// Which extreme a kernel keeps.
protocol ExtremeKernel: OpKernel {
    /// Whether `candidate` replaces `current` (NaN always does).
    static func replaces(_ candidate: Float, _ current: Float) -> Bool
    /// Where the lanes of `candidate` are beyond those of `current` (NaN lanes: never).
    static func beyond(_ candidate: SIMD8<Float>, _ current: SIMD8<Float>) -> SIMDMask<SIMD8<Int32>>
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
                y[0] = extreme(of: UnsafeBufferPointer(start: x, count: count))
                return
            }
            for j in 0..<outCount { y[j] = identity }
            map.withUnsafeBufferPointer { map in
                for i in 0..<count where replaces(x[i], y[map[i]]) { y[map[i]] = x[i] }
            }
        }
    }
}

extension ExtremeKernel {
    /// The extreme of all of `values` (not empty), eight lanes at a time; NaN if any is.
    /// (Of equal values such as -0 and +0, which one is kept is unspecified.)
    static func extreme(of values: UnsafeBufferPointer<Float>) -> Float {
        var best = values[0]
        let octets = values.count / 8
        if octets > 0, let start = values.baseAddress {
            let raw = UnsafeRawPointer(start)
            var lanes = SIMD8<Float>(repeating: best)
            var nan = SIMDMask<SIMD8<Int32>>(repeating: false)
            for octet in 0..<octets {
                let x = raw.loadUnaligned(fromByteOffset: octet &* 32, as: SIMD8<Float>.self)
                lanes.replace(with: x, where: beyond(x, lanes))
                nan .|= x .!= x
            }
            if any(nan) { return .nan }
            for lane in lanes.indices where replaces(lanes[lane], best) { best = lanes[lane] }
        }
        for i in (octets * 8)..<values.count where replaces(values[i], best) { best = values[i] }
        return best
    }
}

enum MaxKernel: ExtremeKernel {
    static let opType = MaxOp.type
    static let identity = -Float.infinity
    @inline(__always) static func replaces(_ candidate: Float, _ current: Float) -> Bool {
        candidate > current || (candidate.isNaN && !current.isNaN)
    }
    @inline(__always) static func beyond(_ candidate: SIMD8<Float>, _ current: SIMD8<Float>) -> SIMDMask<SIMD8<Int32>> {
        candidate .> current
    }
}

enum MinKernel: ExtremeKernel {
    static let opType = MinOp.type
    static let identity = Float.infinity
    @inline(__always) static func replaces(_ candidate: Float, _ current: Float) -> Bool {
        candidate < current || (candidate.isNaN && !current.isNaN)
    }
    @inline(__always) static func beyond(_ candidate: SIMD8<Float>, _ current: SIMD8<Float>) -> SIMDMask<SIMD8<Int32>> {
        candidate .< current
    }
}
