/// NumPy-style broadcasting of two shapes, used by the binary elementwise ops.
enum Broadcasting {
    /// The broadcast of two static shapes.
    static func staticShape(_ a: TensorShape, _ b: TensorShape) throws -> TensorShape {
        let rank = max(a.rank, b.rank)
        let left = Array(repeating: Int?(1), count: rank - a.rank) + a.dimensions
        let right = Array(repeating: Int?(1), count: rank - b.rank) + b.dimensions
        return TensorShape(
            try zip(left, right).map { x, y -> Int? in
                switch (x, y) {
                case (1?, _): return y
                case (_, 1?): return x
                case (nil, _): return y
                case (_, nil): return x
                case (let x?, let y?):
                    guard x == y else { throw GraphError.invalidArgument("shapes \(a) and \(b) cannot be broadcast") }
                    return x
                }
            })
    }

    /// The broadcast of two concrete shapes.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let left = Array(repeating: 1, count: rank - a.count) + a
        let right = Array(repeating: 1, count: rank - b.count) + b
        var result: [Int] = []
        for (x, y) in zip(left, right) {
            if x == y || y == 1 { result.append(x) } else if x == 1 { result.append(y) } else { return nil }
        }
        return result
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

    /// How a binary kernel walks its inputs.
    enum Pattern {
        case same  // equal shapes
        case scalarLeft, scalarRight  // one side has one element
        case rowRight(columns: Int)  // right is a row repeated over the rows of left
        case rowLeft(columns: Int)
        case general(leftStrides: [Int], rightStrides: [Int], shape: [Int])
    }

    static func pattern(_ a: [Int], _ b: [Int], output: [Int]) -> Pattern {
        if a == b { return .same }
        if b.elementCount == 1 { return .scalarRight }
        if a.elementCount == 1 { return .scalarLeft }
        if let last = output.last, a == output, b.elementCount == last, b.last == last { return .rowRight(columns: last) }
        if let last = output.last, b == output, a.elementCount == last, a.last == last { return .rowLeft(columns: last) }
        return .general(leftStrides: strides(of: a, in: output), rightStrides: strides(of: b, in: output), shape: output)
    }

    /// Steps a row-major multi-index to the next element of `shape` (the last axis fastest).
    @inline(__always)
    static func advance<Index: MutableCollection<Int>>(_ index: inout Index, in shape: [Int]) where Index.Index == Int {
        var axis = shape.count - 1
        while axis >= 0 {
            index[axis] += 1
            if index[axis] < shape[axis] { return }
            index[axis] = 0
            axis -= 1
        }
    }

    /// Applies `f` elementwise over broadcast float inputs.
    @inline(__always)
    static func apply(
        _ pattern: Pattern, _ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>,
        _ out: UnsafeMutablePointer<Float>, count: Int, _ f: (Float, Float) -> Float
    ) {
        switch pattern {
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
            // The multi-index lives on the stack: a warm step allocates nothing.
            withUnsafeTemporaryAllocation(of: Int.self, capacity: shape.count) { buffer in
                var index = buffer
                index.initialize(repeating: 0)
                for i in 0..<count {
                    var left = 0
                    var right = 0
                    for axis in 0..<shape.count {
                        left += index[axis] * leftStrides[axis]
                        right += index[axis] * rightStrides[axis]
                    }
                    out[i] = f(a[left], b[right])
                    advance(&index, in: shape)
                }
            }
        }
    }
}

extension Graph {
    /// Sums `gradient` (shaped like a broadcast result) back to the static shape of `input`,
    /// as TensorFlow's broadcast gradients do, deciding the axes from static shapes.
    func reduceGradient(_ gradient: Output, toShapeOf input: Output) throws -> Output {
        let inputShape = input.shape
        let outputShape = gradient.shape
        if inputShape == outputShape && inputShape.knownDimensions != nil { return gradient }
        let rank = outputShape.rank
        let padded = Array(repeating: Int?(1), count: rank - inputShape.rank) + inputShape.dimensions
        var axes: [Int] = []
        for axis in 0..<rank where padded[axis] == 1 && outputShape.dimensions[axis] != 1 {
            axes.append(axis)
        }
        if axes.isEmpty && inputShape.rank == rank { return gradient }
        var result = gradient
        if !axes.isEmpty { result = try reduceSum(gradient, axes: axes, keepDims: true) }
        if inputShape.rank != rank || inputShape.dimensions.filter({ $0 == nil }).count > 0 || !axes.isEmpty {
            let target = inputShape.dimensions.map { $0 ?? -1 }
            if target.filter({ $0 == -1 }).count <= 1 {
                result = try reshape(result, to: target)
            }
        }
        return result
    }
}
