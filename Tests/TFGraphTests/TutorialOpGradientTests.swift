import Testing
import TFCore
@testable import TFGraph

/// Finite-difference checks of the gradients of the TensorBoard tutorial's ops
/// (`mnist-with-summaries`), with `GradientCheckTests.check`'s tolerance.
struct TutorialOpGradientTests {
    @Test func sqrtSquareAndSubtract() throws {
        try GradientCheckTests.check([[3, 4]], positive: true) { g, x in try g.sqrt(x[0]) }
        try GradientCheckTests.check([[3, 4], [3, 4]]) { g, x in try g.square(g.sub(x[0], x[1])) }
        // The tutorial's stddev: sqrt(mean(square(v - mean(v)))).
        try GradientCheckTests.check([[4, 3]]) { g, x in
            try g.sqrt(g.reduceMean(g.square(g.sub(x[0], g.reduceMean(x[0])))))
        }
    }

    @Test func reduceMaxAndMin() throws {
        try GradientCheckTests.check([[3, 4]]) { g, x in try g.reduceMax(x[0]) }
        try GradientCheckTests.check([[3, 4]]) { g, x in try g.reduceMin(x[0]) }
        try GradientCheckTests.check([[3, 4]]) { g, x in try g.reduceMax(x[0], axes: [1]) }
        try GradientCheckTests.check([[2, 3, 4]]) { g, x in try g.reduceMin(x[0], axes: [0, 2], keepDims: true) }
    }

    @Test func denseSoftmaxCrossEntropyForLogitsAndLabels() throws {
        try GradientCheckTests.check([[3, 5]]) { g, x in
            let labels = g.constant(try Tensor(floats: [1, 0, 0, 0, 0, 0, 0.5, 0.5, 0, 0, 0, 0, 0, 0.25, 0.75], shape: [3, 5]))
            return try g.softmaxCrossEntropyWithLogits(labels: labels, logits: x[0])
        }
        // Labels are distributions (TensorFlow's backprop, softmax - labels, assumes rows
        // summing to 1), here softmax of an input, so the labels' gradient is checked too.
        try GradientCheckTests.check([[3, 5], [3, 5]]) { g, x in
            try g.softmaxCrossEntropyWithLogits(labels: g.softmax(x[1]), logits: x[0])
        }
    }

    @Test func reshapeIdentityAndConstantOfAnyShape() throws {
        try GradientCheckTests.check([[2, 6]]) { g, x in try g.reshape(x[0], to: [-1, 2, 3, 1]) }
        try GradientCheckTests.check([[2, 3]]) { g, x in try g.mul(g.identity(x[0]), g.constant(0.1, shape: [2, 3])) }
    }

    /// The mask differs on every run, so the check compares one run's gradient with that
    /// run's output: d(sum(w * dropout(x)))/dx = w * mask / keep = w * dropout(x) / x.
    @Test func dropoutGradientIsTheScaledMaskOfItsRun() throws {
        let g = Graph(randomSeed: 5)
        let x = g.placeholder(.float32, shape: [20, 30], name: "x")
        let keep = g.placeholder(.float32, shape: .scalar, name: "keep")
        let dropped = try g.dropout(x, keepProbability: keep)
        let weights = g.constant(try Tensor(floats: GradientCheckTests.values(600, seed: 3), shape: [20, 30]))
        let loss = try g.reduceSum(g.mul(dropped, weights))
        let gradient = try #require(try g.gradients(of: loss, withRespectTo: [x])[0])
        let session = Session(graph: g)
        let input = GradientCheckTests.values(600, seed: 1)
        let results = try session.run(
            fetches: [dropped, gradient], feeding: [x: try Tensor(floats: input, shape: [20, 30]), keep: Tensor(Float(0.7))])
        let w = GradientCheckTests.values(600, seed: 3)
        for i in 0..<600 {
            let expected = w[i] * results[0].floats[i] / input[i]
            #expect(abs(results[1].floats[i] - expected) <= 1e-5 * max(1, abs(expected)), "element \(i)")
        }
    }
}
