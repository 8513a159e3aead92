import TFGraph
/// How a binary elementwise kernel walks two broadcast inputs, chosen once when a plan is
/// compiled (kernels capture it, so a step decides nothing).
enum BroadcastPattern {
    case same  // equal shapes
    case scalarLeft, scalarRight  // one side has one element
    case rowRight(columns: Int)  // right is a row repeated over the rows of left
    case rowLeft(columns: Int)
    case general(leftStrides: [Int], rightStrides: [Int], shape: [Int])

    /// The walk of inputs shaped `a` and `b` into `output`, their broadcast.
    init(_ a: [Int], _ b: [Int], output: [Int]) {
        if a == b {
            self = .same
        } else if b.elementCount == 1 {
            self = .scalarRight
        } else if a.elementCount == 1 {
            self = .scalarLeft
        } else if let last = output.last, a == output, b.elementCount == last, b.last == last {
            self = .rowRight(columns: last)
        } else if let last = output.last, b == output, a.elementCount == last, a.last == last {
            self = .rowLeft(columns: last)
        } else {
            self = .general(
                leftStrides: Self.strides(of: a, in: output), rightStrides: Self.strides(of: b, in: output), shape: output)
        }
    }

    /// Element strides of `shape` aligned to `outputShape` (0 on broadcast axes).
    static func strides(of shape: [Int], in outputShape: [Int]) -> [Int] {
        let padded = Array(repeating: 1, count: outputShape.count - shape.count) + shape
        var strides = Array(repeating: 0, count: outputShape.count)
        var step = 1
        for axis in (0..<padded.count).reversed() {
            strides[axis] = padded[axis] == 1 && outputShape[axis] != 1 ? 0 : step
            step *= padded[axis]
        }
        return strides
    }

    /// Steps a row-major multi-index to the next element of `shape` (the last axis fastest),
    /// counting only its first `axes` axes (all of them by default).
    @inline(__always)
    static func advance<Index: MutableCollection<Int>>(_ index: inout Index, in shape: [Int], axes: Int? = nil)
    where Index.Index == Int {
        var axis = (axes ?? shape.count) - 1
        while axis >= 0 {
            index[axis] += 1
            if index[axis] < shape[axis] { return }
            index[axis] = 0
            axis -= 1
        }
    }

    /// Applies `f` elementwise over broadcast float inputs.
    @inline(__always)
    func apply(
        _ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
        _ f: (Float, Float) -> Float
    ) {
        switch self {
        case .same:
            for i in 0..<count { out[i] = f(a[i], b[i]) }
        case .scalarRight:
            let y = b[0]
            for i in 0..<count { out[i] = f(a[i], y) }
        case .scalarLeft:
            let x = a[0]
            for i in 0..<count { out[i] = f(x, b[i]) }
        case .rowRight(let columns):
            var i = 0
            while i < count {
                for j in 0..<columns { out[i + j] = f(a[i + j], b[j]) }
                i += columns
            }
        case .rowLeft(let columns):
            var i = 0
            while i < count {
                for j in 0..<columns { out[i + j] = f(a[j], b[i + j]) }
                i += columns
            }
        case .general(let leftStrides, let rightStrides, let shape):
            // Row by row along the last axis, where each side's stride is 1 or 0 (the row
            // loops stay tight); the multi-index of the other axes lives on the stack, so a
            // warm step allocates nothing.
            guard let rowLength = shape.last, rowLength > 0 else { return }
            let outerAxes = shape.count - 1
            let (leftStep, rightStep) = (leftStrides[outerAxes], rightStrides[outerAxes])
            withUnsafeTemporaryAllocation(of: Int.self, capacity: max(outerAxes, 1)) { buffer in
                var index = buffer
                index.initialize(repeating: 0)
                var start = 0
                while start < count {
                    var left = 0
                    var right = 0
                    for axis in 0..<outerAxes {
                        left += index[axis] * leftStrides[axis]
                        right += index[axis] * rightStrides[axis]
                    }
                    Self.row(a + left, leftStep, b + right, rightStep, out + start, rowLength, f)
                    start += rowLength
                    Self.advance(&index, in: shape, axes: outerAxes)
                }
            }
        }
    }

    /// One row of a broadcast: `count` outputs from `a` and `b` stepped by `aStep` and
    /// `bStep` (1, or 0 for a side repeated along the row).
    @inline(__always)
    private static func row(
        _ a: UnsafeMutablePointer<Float>, _ aStep: Int, _ b: UnsafeMutablePointer<Float>, _ bStep: Int,
        _ out: UnsafeMutablePointer<Float>, _ count: Int, _ f: (Float, Float) -> Float
    ) {
        switch (aStep, bStep) {
        case (1, 1):
            for j in 0..<count { out[j] = f(a[j], b[j]) }
        case (0, 1):
            let x = a[0]
            for j in 0..<count { out[j] = f(x, b[j]) }
        case (1, 0):
            let y = b[0]
            for j in 0..<count { out[j] = f(a[j], y) }
        default:
            for j in 0..<count { out[j] = f(a[j * aStep], b[j * bStep]) }
        }
    }
}
