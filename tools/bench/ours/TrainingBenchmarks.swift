import COpenBLAS
import Foundation
import MNIST
import Mechanics101
import TFCore

extension Bench {
    /// Median time of one batch-100 training step of the tutorial model (784-128-32-10,
    /// plain SGD), fetching the loss as the tutorial does, after a warm-up.
    static func trainStep(_ arguments: [String]) throws {
        let model = try tutorialModel()
        let timed = try timeBatches(Int(arguments.first ?? "") ?? 2000, model) { session, feed in
            _ = try session.run(model.trainOp, fetching: model.loss, feeding: feed)
        }
        var extra = timed.percentiles
        if let allocations = timed.medianAllocations { extra["allocations_per_step"] = allocations }
        report("train-step", timed.median, "ms", extra)
    }

    /// Median time of one batch-100 evaluation run of the tutorial (`do_eval`'s
    /// `eval_correct` fetch: the forward pass, in_top_k and the count), after a warm-up.
    static func evalStep(_ arguments: [String]) throws {
        let model = try tutorialModel()
        var correct = 0
        let timed = try timeBatches(Int(arguments.first ?? "") ?? 2000, model) { session, feed in
            correct += Int(try session.run(model.evalCorrect, feeding: feed).scalarDouble)
        }
        report("eval-step", timed.median, "ms", timed.percentiles.merging(["correct": correct]) { $1 })
    }

    static func tutorialModel() throws -> MNISTTrainingGraph {
        try MNISTTrainingGraph(batchSize: 100, hidden1Units: 128, hidden2Units: 32, learningRate: 0.01, seed: 1)
    }

    /// Times `run` on `count` Fashion-MNIST batches of 100 (after 200 warm-up batches) in an
    /// initialized session, counting heap allocations too when the malloc counter is preloaded.
    static func timeBatches(_ count: Int, _ model: MNISTTrainingGraph, _ run: (Session, [Output: Tensor]) throws -> Void) throws
        -> (median: Double, percentiles: [String: Any], medianAllocations: UInt?)
    {
        let session = Session(graph: model.graph, blasThreads: fixedBLASThreads)
        try session.run(model.initializer)
        var times: [Double] = []
        var allocations: [UInt] = []
        let mallocCalls = MallocCounter.calls
        var batches = try BatchFeeds(model: model, session: session)
        for batch in 0..<(count + 200) {
            let feed = try batches.next()
            let before = mallocCalls?() ?? 0
            let start = DispatchTime.now().uptimeNanoseconds
            try run(session, feed)
            let elapsed = DispatchTime.now().uptimeNanoseconds - start
            if batch >= 200 {
                times.append(Double(elapsed) / 1e6)
                if let mallocCalls { allocations.append(mallocCalls() - before) }
            }
        }
        times.sort()
        allocations.sort()
        return (
            times[times.count / 2], ["p10": times[times.count / 10], "p90": times[times.count * 9 / 10]],
            allocations.isEmpty ? nil : allocations[allocations.count / 2]
        )
    }

    /// Fashion-MNIST training batches of 100, gathered as `fully-connected-feed` gathers them,
    /// as the tutorial model's feeds.
    struct BatchFeeds {
        let model: MNISTTrainingGraph
        let session: Session
        private var data: DataSet
        private var images: [Float] = []
        private var labels: [Int32] = []

        init(model: MNISTTrainingGraph, session: Session) throws {
            (self.model, self.session) = (model, session)
            data = try DataSets.read(from: "/usr/share/datasets/fashion-mnist").train
        }

        mutating func next() throws -> [Output: Tensor] {
            try data.nextBatch(100, into: &images, &labels, halves: gatherHalves(session))
            return [model.images: try Tensor(floats: images, shape: [100, 784]), model.labels: try Tensor(int32s: labels, shape: [100])]
        }
    }

    /// How the batches are gathered: on both cores, as `fully-connected-feed` does (where
    /// each core gathers decides where the batch sits in cache when the step reads it), or
    /// on the calling thread alone with GATHER=single.
    static func gatherHalves(_ session: Session) -> DataSet.HalvesRunner? {
        if ProcessInfo.processInfo.environment["GATHER"] == "single" { return nil }
        return { body in session.runInHalves(body) }
    }

    /// BLAS_THREADS hands threading to OpenBLAS with that many threads; unset, the session
    /// default (single-threaded OpenBLAS, large products split over two cores).
    static var fixedBLASThreads: Int? { ProcessInfo.processInfo.environment["BLAS_THREADS"].flatMap { Int($0) } }

    /// The same step's matrix products alone (3 forward, 3 weight gradients, 2 input
    /// gradients, same shapes and transpose flags), run by a Session the way a step runs
    /// them: the bound the step's other work adds to.
    static func gemmBound(_ arguments: [String]) throws {
        let steps = Int(arguments.first ?? "") ?? 2000
        let (session, all, feed) = try stepProducts()
        var times: [Double] = []
        for step in 0..<(steps + 200) {
            let start = DispatchTime.now().uptimeNanoseconds
            try session.run(all, feeding: feed)
            if step >= 200 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
        }
        times.sort()
        report("gemm-bound", times[times.count / 2], "ms")
    }

    /// The training step against its 8 products alone, measured side by side in one
    /// process: 20 blocks, each 100 training steps then 100 runs of the products (after a
    /// warm-up of both; the first 10 of each block are dropped, as the other left the caches
    /// its way). Reports the median step and product times over all blocks and the median
    /// of the blocks' ratios (step median / products median): both halves of a ratio see the
    /// same moments of a shared host, which separate processes minutes apart do not.
    static func stepOverProducts(_ arguments: [String]) throws {
        let blocks = max(1, Int(arguments.first ?? "") ?? 20)
        let model = try tutorialModel()
        let session = Session(graph: model.graph, blasThreads: fixedBLASThreads)
        try session.run(model.initializer)
        let (productSession, allProducts, productFeed) = try stepProducts()
        var batches = try BatchFeeds(model: model, session: session)
        func timedStep() throws -> Double {
            let feed = try batches.next()
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try session.run(model.trainOp, fetching: model.loss, feeding: feed)
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
        func timedProducts() throws -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try productSession.run(allProducts, feeding: productFeed)
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        for _ in 0..<200 {
            _ = try timedStep()
            _ = try timedProducts()
        }
        var steps: [Double] = []
        var products: [Double] = []
        var ratios: [Double] = []
        for _ in 0..<blocks {
            let blockSteps = try (0..<100).map { _ in try timedStep() }.dropFirst(10)
            let blockProducts = try (0..<100).map { _ in try timedProducts() }.dropFirst(10)
            steps += blockSteps
            products += blockProducts
            ratios.append(median(Array(blockSteps)) / median(Array(blockProducts)))
        }
        report(
            "step-over-products", median(ratios), "x",
            ["step_ms": median(steps), "products_ms": median(products), "block_ratio_min": ratios.min() ?? 0, "block_ratio_max": ratios.max() ?? 0])
    }

    /// A session running the step's 8 products (`all`) on constant fed operands.
    static func stepProducts() throws -> (session: Session, all: TFCore.GraphOperation, feed: [Output: Tensor]) {
        let shapes: [(m: Int, n: Int, k: Int, ta: Bool, tb: Bool)] = [
            (100, 128, 784, false, false), (100, 32, 128, false, false), (100, 10, 32, false, false),
            (32, 10, 100, true, false), (100, 32, 10, false, true), (128, 32, 100, true, false),
            (100, 128, 32, false, true), (784, 128, 100, true, false),
        ]
        let graph = Graph()
        var feed: [Output: Tensor] = [:]
        var products: [TFCore.GraphOperation] = []
        for shape in shapes {
            let aShape = shape.ta ? [shape.k, shape.m] : [shape.m, shape.k]
            let bShape = shape.tb ? [shape.n, shape.k] : [shape.k, shape.n]
            let a = graph.placeholder(.float32, shape: TensorShape(aShape.map { $0 }))
            let b = graph.placeholder(.float32, shape: TensorShape(bShape.map { $0 }))
            feed[a] = try Tensor(floats: [Float](repeating: 0.01, count: shape.m * shape.k), shape: aShape)
            feed[b] = try Tensor(floats: [Float](repeating: 0.02, count: shape.k * shape.n), shape: bShape)
            let name = "\(shape.m)x\(shape.n)x\(shape.k)\(shape.ta ? "_ta" : "")\(shape.tb ? "_tb" : "")"
            products.append(try graph.matMul(a, b, transposeA: shape.ta, transposeB: shape.tb, name: name).operation)
        }
        return (Session(graph: graph, blasThreads: fixedBLASThreads), try graph.group(products), feed)
    }

}

extension Bench {
    /// One core's practical sgemm peak: the best of 20 single-threaded 1024x1024x1024
    /// products, in GFLOP/s (what the miss notes compare the step's products with).
    /// `--library-choice` loads OpenBLAS without our kernel choice (its own detection);
    /// `--name NAME` reports the row under another name (one row per kernel in the bench).
    static func gemmPeak(_ arguments: [String]) throws {
        let size = 1024
        if arguments.contains("--library-choice") { _ = c_tfblas_load(nil, 0) }
        let name = arguments.firstIndex(of: "--name").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
        let blas = try BLASLibrary.loaded()
        c_tfblas_set_threads(1)
        let a = [Float](repeating: 0.001, count: size * size)
        let b = [Float](repeating: 0.002, count: size * size)
        var c = [Float](repeating: 0, count: size * size)
        var best = Double.infinity
        for _ in 0..<20 {
            let start = DispatchTime.now().uptimeNanoseconds
            c_tfblas_sgemm(0, 0, Int32(size), Int32(size), Int32(size), 1, a, Int32(size), b, Int32(size), 0, &c, Int32(size))
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        report(
            name ?? "gemm-peak", 2 * Double(size * size * size) / best / 1e9, "GFLOP/s",
            ["c0": c[0], "kernel": blas.kernel, "selection": "\(blas.selection)"])
    }
}

/// `bench_malloc_calls` from tools/bench/malloc-count when it is preloaded (LD_PRELOAD).
enum MallocCounter {
    typealias Calls = @convention(c) () -> UInt
    static var calls: Calls? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "bench_malloc_calls") else { return nil }
        return unsafeBitCast(symbol, to: Calls.self)
    }
}
