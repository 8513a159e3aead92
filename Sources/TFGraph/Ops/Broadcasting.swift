/// NumPy-style broadcasting of two shapes: the shape rules of the binary elementwise ops.
package enum Broadcasting {
    /// The broadcast of two static shapes.
    package static func staticShape(_ a: TensorShape, _ b: TensorShape) throws -> TensorShape {
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
    package static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let left = Array(repeating: 1, count: rank - a.count) + a
        let right = Array(repeating: 1, count: rank - b.count) + b
        var result: [Int] = []
        for (x, y) in zip(left, right) {
            if x == y || y == 1 { result.append(x) } else if x == 1 { result.append(y) } else { return nil }
        }
        return result
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
