import Randomness
import Testing
import TFCore
@testable import TFGraph

/// Checks every differentiable op's gradient rule against central finite differences.
///
/// Kernels compute in float32. With inputs of size ~1 and step h = 1e-2, the central
/// difference's truncation error is ~h^2 * f''' ~ 1e-4 and its rounding error is
/// ~ulp(loss) / h ~ 1e-5 * |loss|, so analytic and numeric gradients must agree within
/// 2e-3 + 2e-2 * |numeric|. A wrong rule (missing factor, wrong transpose, wrong sign) is off
/// by far more.
struct GradientCheckTests {
    typealias Builder = (Graph, [Output]) throws -> Output

    /// Deterministic inputs in [-1.5, 1.5] avoiding |x| < 0.1 (the ReLU kink).
    static func values(_ count: Int, seed: Int, positive: Bool = false) -> [Float] {
        var generator = Xoshiro256StarStar(seed: UInt64(seed))
        return (0..<count).map { _ in
            let u = Float(generator.next() % 10_000) / 10_000 * 1.4 + 0.1
            let sign: Float = positive || generator.next() % 2 == 0 ? 1 : -1
            return sign * u
        }
    }

    static func check(_ shapes: [[Int]], positive: Bool = false, _ build: Builder, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let graph = Graph()
        let inputs = shapes.enumerated().map { graph.placeholder(.float32, shape: TensorShape(known: $1), name: "x\($0)") }
        let result = try build(graph, inputs)
        // A fixed random weighting makes every output element matter to the scalar loss.
        let weights = graph.constant(
            try Tensor(floats: values(result.shape.knownDimensions!.elementCount, seed: 99), shape: result.shape.knownDimensions!))
        let loss = try graph.reduceSum(graph.mul(result, weights))
        let gradients = try graph.gradients(of: loss, withRespectTo: inputs)
        let session = Session(graph: graph)
        var feeds: [Output: Tensor] = [:]
        var data: [[Float]] = []
        for (index, (input, shape)) in zip(inputs, shapes).enumerated() {
            let v = values(shape.elementCount, seed: index + 1, positive: positive)
            data.append(v)
            feeds[input] = try Tensor(floats: v, shape: shape)
        }
        let analytic = try session.run(fetches: gradients.map { $0! }, feeding: feeds)
        let h: Float = 1e-2
        for (index, shape) in shapes.enumerated() {
            for element in 0..<shape.elementCount {
                var plus = data[index]
                var minus = data[index]
                plus[element] += h
                minus[element] -= h
                var feedPlus = feeds
                var feedMinus = feeds
                feedPlus[inputs[index]] = try Tensor(floats: plus, shape: shape)
                feedMinus[inputs[index]] = try Tensor(floats: minus, shape: shape)
                let numeric = (try session.run(loss, feeding: feedPlus).scalarFloat - session.run(loss, feeding: feedMinus).scalarFloat) / (2 * h)
                let got = analytic[index].floats[element]
                #expect(abs(got - numeric) <= 2e-3 + 2e-2 * abs(numeric),
                        "input \(index) element \(element): analytic \(got), numeric \(numeric)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func matMulAllTransposes() throws {
        try Self.check([[3, 4], [4, 2]]) { g, x in try g.matMul(x[0], x[1]) }
        try Self.check([[3, 4], [2, 4]]) { g, x in try g.matMul(x[0], x[1], transposeB: true) }
        try Self.check([[4, 3], [4, 2]]) { g, x in try g.matMul(x[0], x[1], transposeA: true) }
        try Self.check([[4, 3], [2, 4]]) { g, x in try g.matMul(x[0], x[1], transposeA: true, transposeB: true) }
    }

    @Test func arithmeticWithBroadcasting() throws {
        try Self.check([[3, 4], [4]]) { g, x in try g.add(x[0], x[1]) }
        try Self.check([[3, 4], [3, 1]]) { g, x in try g.sub(x[0], x[1]) }
        try Self.check([[3, 4], []]) { g, x in try g.mul(x[0], x[1]) }
        try Self.check([[2, 3], [2, 3]], positive: true) { g, x in try g.div(x[0], x[1]) }
        try Self.check([[4], [2, 3, 4]]) { g, x in try g.mul(x[0], x[1]) }
    }

    @Test func unaryOps() throws {
        try Self.check([[3, 4]]) { g, x in try g.relu(x[0]) }
        try Self.check([[3, 4]]) { g, x in try g.square(x[0]) }
        try Self.check([[3, 4]]) { g, x in try g.exp(x[0]) }
        try Self.check([[3, 4]], positive: true) { g, x in try g.log(x[0]) }
        try Self.check([[3, 4]]) { g, x in try g.sigmoid(x[0]) }
        try Self.check([[3, 4]]) { g, x in try g.tanh(x[0]) }
        try Self.check([[3, 4]]) { g, x in try g.negate(x[0]) }
        try Self.check([[3, 4]]) { g, x in try g.identity(x[0]) }
    }

    @Test func reductionsAndShapes() throws {
        try Self.check([[3, 4]]) { g, x in try g.reduceMean(x[0]) }
        try Self.check([[3, 4]]) { g, x in try g.reduceMean(x[0], axes: [1]) }
        try Self.check([[3, 4]]) { g, x in try g.reduceSum(x[0], axes: [0]) }
        try Self.check([[2, 3, 4]]) { g, x in try g.reduceSum(x[0], axes: [0, 2], keepDims: true) }
        try Self.check([[3, 4]]) { g, x in try g.reshape(x[0], to: [2, -1]) }
        try Self.check([[3, 4], [3, 4]]) { g, x in try g.addN([x[0], x[1], x[0]]) }
    }

    @Test func softmaxAndCrossEntropy() throws {
        try Self.check([[3, 5]]) { g, x in try g.softmax(x[0]) }
        try Self.check([[4, 5]]) { g, x in
            let labels = g.constant(try Tensor(int64s: [0, 4, 2, 1], shape: [4]))
            return try g.sparseSoftmaxCrossEntropyWithLogits(labels: labels, logits: x[0])
        }
    }

    @Test func theTutorialModelEndToEnd() throws {
        try Self.check([[3, 6], [6, 5], [5], [5, 4]]) { g, x in
            let hidden = try g.relu(g.add(g.matMul(x[0], x[1]), x[2]))
            let logits = try g.matMul(hidden, x[3])
            let labels = g.constant(try Tensor(int32s: [3, 0, 1], shape: [3]))
            return try g.reduceMean(g.sparseSoftmaxCrossEntropyWithLogits(labels: g.cast(labels, to: .int64), logits: logits))
        }
    }

    @Test func unreachableInputsGetNoGradientAndFanOutSums() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [2], name: "x")
        let unused = g.placeholder(.float32, shape: [2], name: "unused")
        let y = try g.reduceSum(g.add(g.mul(x, x), x))
        let gradients = try g.gradients(of: y, withRespectTo: [x, unused])
        #expect(gradients[1] == nil)
        let session = Session(graph: g)
        let value = try session.run(gradients[0]!, feeding: [x: try Tensor(floats: [1, 3], shape: [2])])
        #expect(value.floats == [3, 7])
        #expect(gradients[0]!.operation.name.hasPrefix("gradients/"))
    }
}
