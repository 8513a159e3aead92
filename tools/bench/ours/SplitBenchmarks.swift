import COpenBLAS
import Foundation
import TFCore

extension Bench {
    /// Whether splitting a product over two cores pays off, per product shape of the
    /// tutorial's step: the median time of one call (`GEMMCall.run`) and of the split
    /// (`ParallelGEMM.runSplit`), interleaved. `ParallelGEMM.splits` decides which products
    /// are split; this row is the measurement that decision rests on, on this CPU.
    static func gemmSplit(_ arguments: [String]) throws {
        _ = try BLASLibrary.loaded()
        c_tfblas_set_threads(1)
        let repeats = Int(arguments.first ?? "") ?? 2000
        let helper = ParallelGEMM()
        defer { helper.stop() }
        let shapes: [(m: Int, n: Int, k: Int, ta: Bool, tb: Bool)] = [
            (100, 128, 784, false, false), (784, 128, 100, true, false), (100, 128, 32, false, true),
            (128, 32, 100, true, false), (100, 32, 128, false, false), (100, 32, 10, false, true),
            (32, 10, 100, true, false), (100, 10, 32, false, false),
        ]
        var perShape: [[String: Any]] = []
        var totalOne = 0.0
        var totalSplit = 0.0
        for shape in shapes {
            let a = [Float](repeating: 0.01, count: shape.m * shape.k)
            let b = [Float](repeating: 0.02, count: shape.k * shape.n)
            var c = [Float](repeating: 0, count: shape.m * shape.n)
            var one: [Double] = []
            var split: [Double] = []
            var splitByRule = false
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        let call = GEMMCall(
                            transposeA: shape.ta, transposeB: shape.tb, m: shape.m, n: shape.n, k: shape.k, alpha: 1,
                            a: a.baseAddress!, lda: shape.ta ? shape.m : shape.k, b: b.baseAddress!,
                            ldb: shape.tb ? shape.k : shape.n, beta: 0, c: c.baseAddress!, ldc: shape.n)
                        splitByRule = ParallelGEMM.splits(call)
                        for round in 0..<(repeats + 100) {
                            let start = DispatchTime.now().uptimeNanoseconds
                            call.run()
                            let middle = DispatchTime.now().uptimeNanoseconds
                            helper.runSplit(call)
                            let end = DispatchTime.now().uptimeNanoseconds
                            if round >= 100 {
                                one.append(Double(middle - start) / 1e3)
                                split.append(Double(end - middle) / 1e3)
                            }
                        }
                    }
                }
            }
            one.sort()
            split.sort()
            let work = shape.m * shape.n * shape.k
            let (oneMedian, splitMedian) = (one[one.count / 2], split[split.count / 2])
            totalOne += oneMedian
            totalSplit += splitByRule ? splitMedian : oneMedian
            perShape.append([
                "shape": "\(shape.m)x\(shape.n)x\(shape.k)", "macs": work, "one_us": oneMedian, "split_us": splitMedian,
                "split_by_threshold": splitByRule,
            ])
        }
        report(
            "gemm-split", totalOne / totalSplit, "x",
            ["shapes": perShape, "threshold": ParallelGEMM.threshold, "minimum_depth": ParallelGEMM.minimumSplitDepth])
    }
}
