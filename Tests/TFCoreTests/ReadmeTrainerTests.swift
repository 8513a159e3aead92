import Testing
import TFCore

/// The README's trainer example (a small model in the TF1 style), so it compiles and learns.
struct ReadmeTrainerTests {
    @Test func readmeExampleTrains() throws {
        // --- README trainer example ---
        let graph = Graph(randomSeed: 1)
        let x = graph.placeholder(.float32, shape: [nil, 2], name: "x")
        let y = graph.placeholder(.int32, shape: [nil], name: "y")
        let logits = try graph.withNameScope("linear") {
            let weights = try graph.variable(graph.truncatedNormal([2, 2], stddev: 0.1), name: "weights")
            let biases = try graph.variable(graph.zeros([2]), name: "biases")
            return try graph.add(graph.matMul(x, weights), biases)
        }
        let loss = try graph.reduceMean(graph.sparseSoftmaxCrossEntropyWithLogits(labels: y, logits: logits))
        let trainOp = try GradientDescentOptimizer(learningRate: 0.5).minimize(loss)

        let session = Session(graph: graph)
        try session.run(graph.globalVariablesInitializer())
        let feed = [x: try Tensor(floats: [0, 1, 1, 0], shape: [2, 2]), y: try Tensor(int32s: [1, 0], shape: [2])]
        for _ in 0..<100 {
            let lossValue = try session.run(trainOp, fetching: loss, feeding: feed).scalarFloat
            _ = lossValue
        }
        // --- end ---
        #expect(try session.run(loss, feeding: feed).scalarFloat < 0.1)
    }
}
