import CBLAS
import Foundation
import MNIST
import Mechanics101
import TFCore

extension Bench {
    /// Median time of one batch-100 training step of the tutorial model (784-128-32-10,
    /// plain SGD), fetching the loss as the tutorial does, after a warm-up.
    static func trainStep(_ arguments: [String]) throws {
        let steps = Int(arguments.first ?? "") ?? 2000
        let model = try MNISTTrainingGraph(batchSize: 100, hidden1Units: 128, hidden2Units: 32, learningRate: 0.01, seed: 1)
        let session = Session(graph: model.graph, blasThreads: fixedBLASThreads)
        try session.run(model.initializer)
        var data = try DataSets.read(from: "/usr/share/datasets/fashion-mnist").train
        var times: [Double] = []
        var allocations: [UInt] = []
        let mallocCalls = MallocCounter.calls
        var images: [Float] = []
        var labels: [Int32] = []
        for step in 0..<(steps + 200) {
            data.nextBatch(100, into: &images, &labels, halves: gatherHalves)
            let feed = [model.images: Tensor(floats: images, shape: [100, 784]), model.labels: Tensor(int32s: labels, shape: [100])]
            let before = mallocCalls?() ?? 0
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try session.run(model.trainOp, model.loss, feeding: feed)
            let elapsed = DispatchTime.now().uptimeNanoseconds - start
            if step >= 200 {
                times.append(Double(elapsed) / 1e6)
                if let mallocCalls { allocations.append(mallocCalls() - before) }
            }
        }
        times.sort()
        allocations.sort()
        var extra: [String: Any] = ["p10": times[times.count / 10], "p90": times[times.count * 9 / 10]]
        if !allocations.isEmpty { extra["allocations_per_step"] = allocations[allocations.count / 2] }
        report("train-step", times[times.count / 2], "ms", extra)
    }

    /// Median time of one batch-100 evaluation run of the tutorial (`do_eval`'s
    /// `eval_correct` fetch: the forward pass, in_top_k and the count), after a warm-up.
    static func evalStep(_ arguments: [String]) throws {
        let steps = Int(arguments.first ?? "") ?? 2000
        let model = try MNISTTrainingGraph(batchSize: 100, hidden1Units: 128, hidden2Units: 32, learningRate: 0.01, seed: 1)
        let session = Session(graph: model.graph, blasThreads: fixedBLASThreads)
        try session.run(model.initializer)
        var data = try DataSets.read(from: "/usr/share/datasets/fashion-mnist").train
        var times: [Double] = []
        var images: [Float] = []
        var labels: [Int32] = []
        var correct = 0
        for step in 0..<(steps + 200) {
            data.nextBatch(100, into: &images, &labels, halves: gatherHalves)
            let feed = [model.images: Tensor(floats: images, shape: [100, 784]), model.labels: Tensor(int32s: labels, shape: [100])]
            let start = DispatchTime.now().uptimeNanoseconds
            correct += Int(try session.run(model.evalCorrect, feeding: feed).scalarDouble)
            let elapsed = DispatchTime.now().uptimeNanoseconds - start
            if step >= 200 { times.append(Double(elapsed) / 1e6) }
        }
        times.sort()
        report("eval-step", times[times.count / 2], "ms", ["p10": times[times.count / 10], "p90": times[times.count * 9 / 10], "correct": correct])
    }

    /// How the batches are gathered: on both cores, as `fully-connected-feed` does (where
    /// each core gathers decides where the batch sits in cache when the step reads it), or
    /// on the calling thread alone with GATHER=single.
    static var gatherHalves: DataSet.HalvesRunner? {
        if ProcessInfo.processInfo.environment["GATHER"] == "single" { return nil }
        return { body in ParallelHalves.run(body) }
    }

    /// BLAS_THREADS hands threading to OpenBLAS with that many threads; unset, the session
    /// default (single-threaded OpenBLAS, large products split over two cores).
    static var fixedBLASThreads: Int? { ProcessInfo.processInfo.environment["BLAS_THREADS"].flatMap { Int($0) } }

    /// The same step's matrix products alone (3 forward, 3 weight gradients, 2 input
    /// gradients, same shapes and transpose flags), run by a Session the way a step runs
    /// them: the bound the step's other work adds to.
    static func gemmBound(_ arguments: [String]) throws {
        let steps = Int(arguments.first ?? "") ?? 2000
        let shapes: [(m: Int, n: Int, k: Int, ta: Bool, tb: Bool)] = [
            (100, 128, 784, false, false), (100, 32, 128, false, false), (100, 10, 32, false, false),
            (32, 10, 100, true, false), (100, 32, 10, false, true), (128, 32, 100, true, false),
            (100, 128, 32, false, true), (784, 128, 100, true, false),
        ]
        let graph = Graph()
        var feed: [Output: Tensor] = [:]
        var products: [TFCore.Operation] = []
        for shape in shapes {
            let aShape = shape.ta ? [shape.k, shape.m] : [shape.m, shape.k]
            let bShape = shape.tb ? [shape.n, shape.k] : [shape.k, shape.n]
            let a = graph.placeholder(.float32, shape: TensorShape(aShape.map { $0 }))
            let b = graph.placeholder(.float32, shape: TensorShape(bShape.map { $0 }))
            feed[a] = Tensor(floats: [Float](repeating: 0.01, count: shape.m * shape.k), shape: aShape)
            feed[b] = Tensor(floats: [Float](repeating: 0.02, count: shape.k * shape.n), shape: bShape)
            products.append(try graph.matMul(a, b, transposeA: shape.ta, transposeB: shape.tb).operation)
        }
        let all = graph.group(products)
        let session = Session(graph: graph, blasThreads: fixedBLASThreads)
        var times: [Double] = []
        for step in 0..<(steps + 200) {
            let start = DispatchTime.now().uptimeNanoseconds
            try session.run(all, feeding: feed)
            if step >= 200 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
        }
        times.sort()
        report("gemm-bound", times[times.count / 2], "ms")
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
