import Testing
import TrainerTestSupport
import TFCore
@testable import TFRuntime

struct SessionTests {
    @Test func unfedPlaceholderNamesTheNode() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 2], name: "images")
        let y = try g.relu(x)
        #expect(throws: SessionError.unfedPlaceholder(name: "images", dtype: .float32, shape: [nil, 2])) { try Session(graph: g).run(y) }
    }

    @Test func feedsAreCheckedForTypeAndShape() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 2], name: "images")
        let y = try g.relu(x)
        let session = Session(graph: g)
        #expect(throws: SessionError.feedTypeMismatch(name: "images", expected: .float32, got: .int32)) {
            try session.run(y, feeding: [x: try Tensor(int32s: [1, 2], shape: [1, 2])])
        }
        #expect(throws: SessionError.feedShapeMismatch(name: "images", expected: [nil, 2], got: [2, 1])) {
            try session.run(y, feeding: [x: try Tensor(floats: [1, 2], shape: [2, 1])])
        }
        #expect(try session.run(y, feeding: [x: try Tensor(floats: [-1, 2], shape: [1, 2])]).floats == [0, 2])
        #expect(try session.run(y, feeding: [x: try Tensor(floats: [1, -2, 3, 4], shape: [2, 2])]).floats == [1, 0, 3, 4])
    }

    @Test func uninitializedVariableNamesIt() throws {
        let g = Graph()
        let v = try g.withNameScope("hidden1") { try g.variable(g.zeros([2]), name: "biases") }
        let session = Session(graph: g)
        #expect(throws: SessionError.uninitializedVariable(name: "hidden1/biases")) { try session.run(g.identity(v)) }
        try session.run(g.globalVariablesInitializer())
        #expect(try session.value(of: v).floats == [0, 0])
    }

    @Test func labelOutOfRangeIsAnErrorNotACrash() throws {
        let g = Graph()
        let logits = g.placeholder(.float32, shape: [1, 3], name: "logits")
        let labels = g.placeholder(.int32, shape: [1], name: "labels")
        let loss = try g.sparseSoftmaxCrossEntropyWithLogits(labels: labels, logits: logits, name: "xentropy")
        #expect(throws: SessionError.labelOutOfRange(op: "xentropy", label: 3, classes: 3)) {
            try Session(graph: g).run(loss, feeding: [logits: try Tensor(floats: [1, 2, 3], shape: [1, 3]), labels: try Tensor(int32s: [3], shape: [1])])
        }
    }

    /// Sizes past BLAS's 32-bit ints are a thrown error, not a trap: empty tensors carry
    /// such a dimension without allocating it.
    @Test func productDimensionsBeyondBLASIntsAreAnError() throws {
        let graph = Graph()
        let a = graph.placeholder(.float32, shape: [nil, nil], name: "a")
        let b = graph.placeholder(.float32, shape: [nil, nil], name: "b")
        let product = try graph.matMul(a, b)
        let huge = 3_000_000_000
        #expect(throws: SessionError.self) {
            _ = try Session(graph: graph).run(
                product, feeding: [a: try Tensor(floats: [], shape: [0, huge]), b: try Tensor(floats: [], shape: [huge, 0])])
        }
    }

    @Test func nanIsNotAnError() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [1], name: "x")
        let y = try g.log(x)
        #expect(try Session(graph: g).run(y, feeding: [x: try Tensor(floats: [-1], shape: [1])]).floats[0].isNaN)
    }

    @Test func inTopKAndEvaluationCount() throws {
        let g = Graph()
        let logits = g.constant(try Tensor(floats: [0.1, 0.9, 0.5, 0.5, 0.7, 0.2], shape: [3, 2]))
        let labels = g.constant(try Tensor(int32s: [1, 1, 1], shape: [3]))
        let inTop = try g.inTopK(predictions: logits, targets: labels, k: 1)
        let session = Session(graph: g)
        #expect(try session.run(inTop).bools == [true, true, false])
        #expect(try session.run(g.reduceSum(g.cast(inTop, to: .int32))).int32s == [2])
        #expect(try session.run(g.argMax(logits)).int64s == [1, 0, 0])
        #expect(try session.run(g.equal(labels, labels)).bools == [true, true, true])
    }

    @Test func aSmallModelConvergesWithFixedSeeds() throws {
        // Linear regression y = 3x - 2 by gradient descent.
        let g = Graph(randomSeed: 7)
        let x = g.placeholder(.float32, shape: [nil, 1], name: "x")
        let y = g.placeholder(.float32, shape: [nil, 1], name: "y")
        let w = try g.variable(g.truncatedNormal([1, 1], stddev: 0.5), name: "w")
        let b = try g.variable(g.zeros([1]), name: "b")
        let prediction = try g.add(g.matMul(x, w), b)
        let loss = try g.reduceMean(g.square(g.sub(prediction, y)))
        let step = try g.variable(g.constant(Tensor(Int32(0))), name: "global_step", trainable: false)
        let train = try GradientDescentOptimizer(learningRate: 0.1).minimize(loss, globalStep: step)
        let session = Session(graph: g)
        try session.run(g.globalVariablesInitializer())
        let xs: [Float] = (0..<20).map { Float($0) / 10 - 1 }
        let feed = [x: try Tensor(floats: xs, shape: [20, 1]), y: try Tensor(floats: xs.map { 3 * $0 - 2 }, shape: [20, 1])]
        var last: Float = .infinity
        for _ in 0..<500 { last = try session.run(train, fetching: loss, feeding: feed).scalarFloat }
        #expect(last < 1e-6)
        #expect(abs(try session.value(of: w).floats[0] - 3) < 1e-3)
        #expect(abs(try session.value(of: b).floats[0] + 2) < 1e-3)
        #expect(try session.value(of: step).int32s == [500])
    }

    @Test func momentumAndAdamConverge() throws {
        for optimizer in [MomentumOptimizer(learningRate: 0.05, momentum: 0.9) as any Optimizer, AdamOptimizer(learningRate: 0.05)] {
            let g = Graph(randomSeed: 3)
            let x = g.placeholder(.float32, shape: [4, 2], name: "x")
            let w = try g.variable(g.truncatedNormal([2, 1], stddev: 0.5), name: "w")
            let loss = try g.reduceMean(g.square(g.sub(g.matMul(x, w), g.constant(try Tensor(floats: [1, 2, 3, 4], shape: [4, 1])))))
            let train = try optimizer.minimize(loss)
            let session = Session(graph: g)
            try session.run(g.globalVariablesInitializer())
            let feed = [x: try Tensor(floats: [1, 0, 0, 1, 1, 1, 2, 1], shape: [4, 2])]
            var last: Float = 0
            for _ in 0..<800 { last = try session.run(train, fetching: loss, feeding: feed).scalarFloat }
            #expect(last < 1e-3, "\(optimizer.name) loss \(last)")
        }
    }

    @Test func tutorialModelLearnsAndRandomnessIsSeeded() throws {
        func trainedLoss() throws -> (Float, [Float]) {
            let model = try MNISTGraphFixture.make(batchSize: 10, seed: 5)
            let session = Session(graph: model.graph)
            try session.run(model.initializer)
            let weights = try session.value(of: model.graph.trainableVariables[0]).floats
            // A learnable toy task: the label is which tenth of the image is bright.
            var pixels = [Float](repeating: 0, count: 10 * 784)
            for row in 0..<10 { for j in 0..<78 { pixels[row * 784 + row * 78 + j] = 1 } }
            let feed = [model.images: try Tensor(floats: pixels, shape: [10, 784]), model.labels: try Tensor(int32s: (0..<10).map(Int32.init), shape: [10])]
            let initial = try session.run(model.loss, feeding: feed).scalarFloat
            #expect(initial > 2 && initial < 2.6, "about ln(10) for an untrained model: \(initial)")
            var loss: Float = 0
            for _ in 0..<300 { loss = try session.run(model.trainOp, fetching: model.loss, feeding: feed).scalarFloat }
            #expect(try session.run(model.evalCorrect, feeding: feed).int32s == [10])
            return (loss, weights)
        }
        let (first, weights) = try trainedLoss()
        let (second, sameWeights) = try trainedLoss()
        #expect(first < 0.25)
        #expect(first == second)
        #expect(weights == sameWeights)
        #expect(weights.allSatisfy { abs($0) <= 2 / 28 + 1e-6 })
    }

    @Test func badLearningRateIsAnErrorNotACrash() throws {
        let g = Graph()
        let w = try g.variable(g.zeros([1]), name: "w")
        let loss = try g.reduceSum(g.square(w))
        #expect(throws: GraphError.self) { try GradientDescentOptimizer(learningRate: -1).minimize(loss) }
        #expect(throws: GraphError.self) { try GradientDescentOptimizer(learningRate: .nan).minimize(loss) }
    }
}
