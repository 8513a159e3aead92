import Testing
import TFCore
@testable import TFRuntime

/// Every op type the graph layer builds has exactly one kernel: a graph using every graph
/// function, with every optimizer and summary, plans without an `unsupported` error.
struct KernelTableTests {
    @Test func eachOpTypeHasOneKernel() {
        let types = KernelTable.all.map { $0.opType }
        #expect(Set(types).count == types.count, "two kernels claim one op type")
        #expect(KernelTable.kernels.count == types.count)
    }

    @Test func everyOpTheGraphFunctionsBuildHasAKernel() throws {
        let g = Graph(randomSeed: 3)
        let x = g.placeholder(.float32, shape: [nil, 4], name: "x")
        let labels = g.placeholder(.int32, shape: [nil], name: "labels")
        let w = try g.variable(g.truncatedNormal([4, 3], stddev: 0.5), name: "w")
        let b = try g.variable(g.zeros([3]), name: "b")
        let logits = try g.add(g.matMul(x, w), b)
        var hidden = try g.relu(logits)
        hidden = try g.add(g.sigmoid(hidden), g.tanh(hidden))
        hidden = try g.sub(g.exp(g.negate(hidden)), g.log(g.add(g.square(hidden), g.constant(1))))
        hidden = try g.div(g.mul(hidden, hidden), g.constant(2))
        let loss = try g.reduceMean(
            g.add(g.sparseSoftmaxCrossEntropyWithLogits(labels: labels, logits: hidden), g.reduceSum(g.softmax(hidden), axes: [1])))
        let correct = try g.reduceSum(g.cast(g.inTopK(predictions: hidden, targets: labels, k: 1), to: .int32))
        let agree = try g.equal(g.argMax(hidden), g.cast(labels, to: .int64))
        let reshaped = try g.reshape(hidden, to: [-1])
        // The TensorBoard tutorial's ops, and their gradients.
        let keep = g.constant(0.5)
        let spread = try g.add(
            g.sqrt(g.reduceMean(g.square(g.sub(hidden, g.reduceMax(hidden))))), g.reduceMean(g.reduceMin(hidden, axes: [1])))
        let denseLoss = try g.reduceMean(
            g.softmaxCrossEntropyWithLogits(labels: g.softmax(g.constant(0.1, shape: [2, 3])), logits: g.dropout(hidden, keepProbability: keep)))
        _ = try g.gradients(of: g.add(spread, denseLoss), withRespectTo: [w.value])
        try g.scalarSummary("spread", spread)
        try g.scalarSummary("dense_loss", denseLoss)
        try g.imageSummary("inputs", g.reshape(x, to: [-1, 2, 2, 1]), maxOutputs: 2)
        try g.scalarSummary("loss", loss)
        try g.histogramSummary("logits", logits)
        let merged = try #require(try g.mergeAllSummaries())
        let step = try g.variable(g.constant(try Tensor(int32s: [0], shape: [])), name: "global_step", trainable: false)
        let trainOps = [
            try GradientDescentOptimizer(learningRate: 0.1).minimize(loss, globalStep: step),
            try MomentumOptimizer(learningRate: 0.1, momentum: 0.9).minimize(loss),
            try AdamOptimizer().minimize(loss),
        ]
        let session = Session(graph: g)
        try session.run(g.globalVariablesInitializer())
        let feed = [x: try Tensor(floats: (0..<8).map { Float($0) / 8 }, shape: [2, 4]), labels: try Tensor(int32s: [0, 2], shape: [2])]
        for trainOp in trainOps {
            let results = try session.run(fetches: [loss, correct, agree, reshaped, merged], targets: [trainOp], feeding: feed)
            #expect(results[0].scalarFloat.isFinite)
        }
        for op in g.operations {
            #expect(KernelTable.kernels[op.type] != nil, "\(op.type) (\(op.name)) has no kernel")
        }
    }
}
