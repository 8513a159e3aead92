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
            data.nextBatch(100, into: &images, &labels)
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

    /// BLAS_THREADS fixes OpenBLAS's thread count; unset, OpenBLAS's default (every core,
    /// with small products kept on one thread by OpenBLAS) is what `Session` uses too.
    static var fixedBLASThreads: Int? { ProcessInfo.processInfo.environment["BLAS_THREADS"].flatMap { Int($0) } }

    /// The same step's matrix products alone: the `cblas_sgemm` calls a step needs
    /// (3 forward, 3 weight gradients, 2 input gradients), on the same shapes.
    static func gemmBound(_ arguments: [String]) throws {
        let steps = Int(arguments.first ?? "") ?? 2000
        if let fixedBLASThreads { openblas_set_num_threads(Int32(fixedBLASThreads)) }
        let shapes: [(m: Int, n: Int, k: Int, ta: Bool, tb: Bool)] = [
            (100, 128, 784, false, false), (100, 32, 128, false, false), (100, 10, 32, false, false),
            (32, 10, 100, true, false), (100, 32, 10, false, true), (128, 32, 100, true, false),
            (100, 128, 32, false, true), (784, 128, 100, true, false),
        ]
        let buffers = shapes.map { shape in
            (a: [Float](repeating: 0.01, count: shape.m * shape.k), b: [Float](repeating: 0.02, count: shape.k * shape.n),
             c: [Float](repeating: 0, count: shape.m * shape.n))
        }
        var times: [Double] = []
        var c = buffers.map(\.c)
        for step in 0..<(steps + 200) {
            let start = DispatchTime.now().uptimeNanoseconds
            for (index, shape) in shapes.enumerated() {
                buffers[index].a.withUnsafeBufferPointer { a in
                    buffers[index].b.withUnsafeBufferPointer { b in
                        c[index].withUnsafeMutableBufferPointer { out in
                            cblas_sgemm(CblasRowMajor, shape.ta ? CblasTrans : CblasNoTrans, shape.tb ? CblasTrans : CblasNoTrans,
                                        Int32(shape.m), Int32(shape.n), Int32(shape.k), 1, a.baseAddress, Int32(shape.ta ? shape.m : shape.k),
                                        b.baseAddress, Int32(shape.tb ? shape.k : shape.n), 0, out.baseAddress, Int32(shape.n))
                        }
                    }
                }
            }
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
