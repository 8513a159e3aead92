import Testing
import TrainerTestSupport
import TFCore
@testable import TFRuntime

/// What a compiled plan does beyond running kernels: fusing weight gradients into their
/// updates, reading feeds in place, and recycling result storage, all without changing
/// what a caller observes.
struct ExecutionPlanTests {
    /// The gradient products of every `ApplyGradientDescent` in `graph`.
    private func gradientProducts(_ graph: Graph) -> [Output] {
        graph.operations.filter { $0.type == ApplyGradientDescentOp.type }.map { $0.inputs[2] }
    }

    /// The products `pass` computes inside their consumers in a plan of all of `graph`'s ops.
    private func fusedProducts(_ pass: some PlanPass, _ graph: Graph, kept: Set<Output>) throws -> Set<Output> {
        let steps = try graph.operations.map(PlanStep.init)
        let remaining = Set(pass.rewrite(steps, kept: kept).map { ObjectIdentifier($0.operation) })
        return Set(steps.map(\.operation).filter { !remaining.contains(ObjectIdentifier($0)) }.map(\.firstOutput))
    }

    @Test func tutorialWeightGradientsAreFusedUnlessSomethingElseReadsThem() throws {
        let model = try MNISTGraphFixture.make(batchSize: 10, seed: 5)
        let products = gradientProducts(model.graph)
        #expect(products.count == 6)  // 3 weights (MatMul gradients) and 3 biases (Sum)
        let fused = try fusedProducts(GradientFusion(), model.graph, kept: [])
        #expect(fused.count == 3)
        #expect(fused.allSatisfy { $0.operation.type == MatMulOp.type })
        #expect(fused.isSubset(of: products))
        let fetched = products.first { $0.operation.type == MatMulOp.type }!
        #expect(try !fusedProducts(GradientFusion(), model.graph, kept: [fetched]).contains(fetched))
    }

    @Test func fusedStepsMatchUnfusedSteps() throws {
        let model = try MNISTGraphFixture.make(batchSize: 10, seed: 5)
        let fused = Session(graph: model.graph)
        let unfused = Session(graph: model.graph)
        try fused.run(model.initializer)
        try unfused.run(model.initializer)
        var pixels = [Float](repeating: 0, count: 10 * 784)
        for index in pixels.indices { pixels[index] = Float((index * 7919) % 255) / 255 }
        let feed = [model.images: try Tensor(floats: pixels, shape: [10, 784]), model.labels: try Tensor(int32s: (0..<10).map(Int32.init), shape: [10])]
        // Fetching the gradients keeps them materialized, so that session runs unfused.
        let gradients = gradientProducts(model.graph)
        for _ in 0..<20 {
            let a = try fused.run(model.trainOp, fetching: model.loss, feeding: feed).scalarFloat
            let b = try unfused.run(fetches: [model.loss] + gradients, targets: [model.trainOp], feeding: feed)[0].scalarFloat
            #expect(abs(a - b) <= 1e-5 * max(1, abs(b)))
        }
        for variable in model.graph.trainableVariables {
            let a = try fused.value(of: variable).floats
            let b = try unfused.value(of: variable).floats
            let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-5, "\(variable.name) differs by \(worst)")
        }
        #expect(try fused.value(of: model.globalStep).int32s == [20])
    }

    /// The forward products that feed a bias add.
    private func biasProducts(_ graph: Graph) -> [Output] {
        graph.operations.filter { $0.type == AddOp.type && $0.inputs[0].operation.type == MatMulOp.type }
            .map { $0.inputs[0] }
    }

    /// The bias adds that feed a `Relu`.
    private func reluSums(_ graph: Graph) -> [Output] {
        graph.operations.filter { $0.type == ReluOp.type && $0.inputs[0].operation.type == AddOp.type }.map { $0.inputs[0] }
    }

    @Test func tutorialBiasAddsAndTheirRelusAreFusedIntoTheirProductsUnlessKept() throws {
        let model = try MNISTGraphFixture.make(batchSize: 10, seed: 5)
        let products = biasProducts(model.graph)
        let sums = reluSums(model.graph)
        #expect(products.count == 3)  // hidden1, hidden2, softmax_linear
        #expect(sums.map(\.operation.name) == ["hidden1/add", "hidden2/add"])
        // The products and the two hidden layers' adds go; the relus compute them.
        #expect(try fusedProducts(BiasFusion(), model.graph, kept: []) == Set(products + sums))
        let steps = BiasFusion().rewrite(try model.graph.operations.map(PlanStep.init), kept: [])
        for relu in ["hidden1/Relu", "hidden2/Relu"] {
            let step = try #require(steps.first { $0.operation.name == relu })
            guard case .fused(let fused) = step.computation else {
                Issue.record("\(relu) is not fused")
                continue
            }
            #expect(fused.absorbed.map(\.type) == [MatMulOp.type, AddOp.type])
        }
        // A kept product is not fused; a kept sum keeps its add (fused with the product) and
        // leaves the relu alone.
        #expect(try !fusedProducts(BiasFusion(), model.graph, kept: [products[0]]).contains(products[0]))
        let keptSum = try fusedProducts(BiasFusion(), model.graph, kept: [sums[0]])
        #expect(keptSum.contains(products[0]) && !keptSum.contains(sums[0]) && keptSum.contains(sums[1]))
    }

    /// The fused layers give the separate ops' values to the bit, at the tutorial's batch of
    /// 100, where the first layer's product is split over two cores and each core adds the
    /// bias and applies the relu to its own half.
    @Test func fusedBiasAddsAndRelusEqualSeparateOps() throws {
        let model = try MNISTGraphFixture.make(batchSize: 100, seed: 5)
        let session = Session(graph: model.graph)
        try session.run(model.initializer)
        var pixels = [Float](repeating: 0, count: 100 * 784)
        for index in pixels.indices { pixels[index] = Float((index * 7919) % 255) / 255 - 0.3 }
        let feed = [model.images: try Tensor(floats: pixels, shape: [100, 784]), model.labels: try Tensor(int32s: (0..<100).map { Int32($0 % 10) }, shape: [100])]
        let relus = model.graph.operations.filter { $0.type == ReluOp.type }.map(\.firstOutput)
        #expect(relus.count == 2)
        for _ in 0..<5 {
            let fused = try session.run(fetches: [model.logits] + relus, feeding: feed).map(\.floats)
            // Fetching the products keeps them materialized: that run adds and applies the
            // relus separately.
            let separate = try session.run(fetches: [model.logits] + relus + biasProducts(model.graph), feeding: feed).map(\.floats)
            for (index, name) in ["logits", "hidden1", "hidden2"].enumerated() {
                let differing = zip(fused[index], separate[index]).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(differing == 0, "\(differing) of \(name)'s \(fused[index].count) values differ")
            }
            #expect(fused[1].contains { $0 == 0 } && fused[1].contains { $0 > 0 }, "the relu clips some values and keeps others")
            try session.run(model.trainOp, feeding: feed)
        }
    }

    /// Layers whose products, adds and relus are interleaved in the graph's order (both
    /// products, then both adds, then both relus) are all fused, and each keeps its values.
    @Test func interleavedLayersAreEachFusedWithTheirRelus() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [3, 4], name: "x")
        let w1 = g.constant(try Tensor(floats: (0..<8).map { Float($0) / 4 - 1 }, shape: [4, 2]))
        let w2 = g.constant(try Tensor(floats: (0..<12).map { 1 - Float($0) / 5 }, shape: [4, 3]))
        let (p1, p2) = (try g.matMul(x, w1), try g.matMul(x, w2))
        let s1 = try g.add(p1, g.constant(try Tensor(floats: [0.5, -0.5], shape: [2])))
        let s2 = try g.add(p2, g.constant(try Tensor(floats: [1, 0, -1], shape: [3])))
        let (r1, r2) = (try g.relu(s1), try g.relu(s2))
        #expect(try fusedProducts(BiasFusion(), g, kept: []) == [p1, p2, s1, s2])
        let session = Session(graph: g)
        let feed = [x: try Tensor(floats: (0..<12).map { Float($0 % 5) - 2 }, shape: [3, 4])]
        let fused = try session.run(fetches: [r1, r2], feeding: feed).map(\.floats)
        let separate = try session.run(fetches: [r1, r2, p1, p2, s1, s2], feeding: feed).map(\.floats)
        #expect(fused[0] == separate[0] && fused[1] == separate[1])
    }

    /// A relu is left alone when its sum has another reader, or when a variable changes
    /// between the add and the relu (the fused product would read it at the relu's place).
    @Test func aSharedSumOrAnUpdateBeforeTheReluKeepsTheReluSeparate() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [2, 2], name: "x")
        let bias = g.constant(try Tensor(floats: [0.5, -0.5], shape: [2]))
        let shared = try g.add(g.matMul(x, g.constant(try Tensor(floats: [1, 0, 0, 1], shape: [2, 2]))), bias)
        _ = try g.relu(shared)
        _ = try g.mul(shared, shared)
        #expect(try !fusedProducts(BiasFusion(), g, kept: []).contains(shared))

        let h = Graph()
        let hx = h.placeholder(.float32, shape: [2, 2], name: "x")
        let hw = try h.variable(h.constant(try Tensor(floats: [1, -1, 2, -2], shape: [2, 2])), name: "w")
        let sum = try h.add(h.matMul(hx, hw.value), h.constant(try Tensor(floats: [0.5, -0.5], shape: [2])))
        let update = try h.assign(hw, h.constant(try Tensor(floats: [0, 0, 0, 0], shape: [2, 2])))
        let relu = try h.relu(sum)
        #expect(try !fusedProducts(BiasFusion(), h, kept: []).contains(sum))
        let session = Session(graph: h)
        try session.run(h.globalVariablesInitializer())
        // The product reads w before the assignment, as without fusion.
        let result = try session.run(fetches: [relu], targets: [update.operation], feeding: [hx: try Tensor(floats: [1, 0, 0, 1], shape: [2, 2])])
        #expect(result[0].floats == [1.5, 0, 2.5, 0])
    }

    @Test func aVariableUpdateBetweenProductAndAddPreventsFusion() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [2, 2], name: "x")
        let w = try g.variable(g.constant(try Tensor(floats: [1, 0, 0, 1], shape: [2, 2])), name: "w")
        let bias = g.constant(try Tensor(floats: [10, 20], shape: [2]))
        let product = try g.matMul(x, w.value)
        let update = try g.assign(w, g.constant(try Tensor(floats: [2, 0, 0, 2], shape: [2, 2])))
        let sum = try g.add(product, bias)
        #expect(try fusedProducts(BiasFusion(), g, kept: []).isEmpty)
        let session = Session(graph: g)
        try session.run(g.globalVariablesInitializer())
        // The product reads w before the assignment, as without fusion.
        let result = try session.run(fetches: [sum], targets: [update.operation], feeding: [x: try Tensor(floats: [1, 2, 3, 4], shape: [2, 2])])
        #expect(result[0].floats == [11, 22, 13, 24])
    }

    @Test func aKeptResultIsNotOverwrittenByTheNextRun() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [2], name: "x")
        let y = try g.mul(x, g.constant(try Tensor(floats: [2, 2], shape: [2])))
        let session = Session(graph: g)
        let first = try session.run(y, feeding: [x: try Tensor(floats: [1, 2], shape: [2])])
        let second = try session.run(y, feeding: [x: try Tensor(floats: [3, 4], shape: [2])])
        #expect(first.floats == [2, 4])
        #expect(second.floats == [6, 8])
        // A dropped result's storage is reused; the values are still right.
        for value in [Float](arrayLiteral: 5, 6, 7) {
            #expect(try session.run(y, feeding: [x: try Tensor(floats: [value, value], shape: [2])]).floats == [2 * value, 2 * value])
        }
    }

    @Test func feedsAreReadInPlaceAndNeverWritten() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [3], name: "x")
        let doubled = try g.add(x, x)
        let session = Session(graph: g)
        let input = try Tensor(floats: [1, 2, 3], shape: [3])
        #expect(try session.run(fetches: [doubled, x], feeding: [x: input]).map(\.floats) == [[2, 4, 6], [1, 2, 3]])
        #expect(input.floats == [1, 2, 3])
        // Feeding a variable's value overrides it for one run and leaves the variable alone.
        let v = try g.variable(g.constant(try Tensor(floats: [10, 20, 30], shape: [3])), name: "v")
        let sum = try g.add(v.value, x)
        try session.run(g.globalVariablesInitializer())
        #expect(try session.run(sum, feeding: [x: input, v.value: try Tensor(floats: [0, 0, 0], shape: [3])]).floats == [1, 2, 3])
        #expect(try session.value(of: v).floats == [10, 20, 30])
    }
}
