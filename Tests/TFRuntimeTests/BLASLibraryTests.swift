import Foundation
import Testing
import TestSupport
import TFCore
@testable import TFRuntime

/// The BLAS chosen on this machine loads, is the kernel that was chosen, and computes
/// correct products through a Session.
struct BLASLibraryTests {
    @Test func theChosenKernelIsTheOneInUse() throws {
        let blas = try BLASLibrary.loaded()
        let cpu = CPUFacts.current
        #expect(blas.cpu == cpu)
        let environment = ProcessInfo.processInfo.environment
        let userSet = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"].contains { !(environment[$0] ?? "").isEmpty }
        switch blas.selection {
        case .chosenFromFeatures(let coreType):
            #expect(!userSet)
            #expect(coreType == BLASKernelChoice.coreType(for: cpu))
            // OpenBLAS names kernels in its own case (SKYLAKEX -> SkylakeX).
            #expect(blas.kernel.lowercased() == coreType.lowercased(), "OPENBLAS_CORETYPE was not in force at load")
        case .userEnvironment:
            #expect(userSet)
        case .libraryDetection:
            #expect(userSet || BLASKernelChoice.coreType(for: cpu) == nil)
        case .libraryDetectionAfterWrongResult, .alreadyLoaded:
            Issue.record("unexpected selection on this machine: \(blas.selection)")
        }
        #expect(blas.summary.contains(blas.kernel))
        #expect(blas.summary.contains(cpu.featureList))
    }

    /// Products through a Session in every transpose combination, small and large (split
    /// over two cores), against a plain double-precision loop.
    @Test(arguments: [(7, 5, 3), (100, 128, 784), (300, 257, 129)])
    func sessionProductsMatchAPlainLoop(_ shape: (Int, Int, Int)) throws {
        let (m, n, k) = shape
        var random = SeededRandom(seed: UInt64(m * 1000 + n))
        let a = (0..<(m * k)).map { _ in Float.random(in: -1...1, using: &random) }
        let b = (0..<(k * n)).map { _ in Float.random(in: -1...1, using: &random) }
        for (transposeA, transposeB) in [(false, false), (false, true), (true, false), (true, true)] {
            let graph = Graph()
            let x = graph.placeholder(.float32, shape: transposeA ? [k, m] : [m, k], name: "a")
            let y = graph.placeholder(.float32, shape: transposeB ? [n, k] : [k, n], name: "b")
            let product = try graph.matMul(x, y, transposeA: transposeA, transposeB: transposeB)
            let storedA = transposeA ? transpose(a, rows: m, columns: k) : a
            let storedB = transposeB ? transpose(b, rows: k, columns: n) : b
            let result = try Session(graph: graph).run(
                product,
                feeding: [
                    x: try Tensor(floats: storedA, shape: transposeA ? [k, m] : [m, k]),
                    y: try Tensor(floats: storedB, shape: transposeB ? [n, k] : [k, n]),
                ]
            ).floats
            var worst: Double = 0
            for i in 0..<m {
                for j in 0..<n {
                    var sum: Double = 0
                    for p in 0..<k { sum += Double(a[i * k + p]) * Double(b[p * n + j]) }
                    worst = max(worst, abs(sum - Double(result[i * n + j])))
                }
            }
            #expect(worst <= 1e-5 * Double(k), "\(m)x\(n)x\(k) transposes \(transposeA) \(transposeB): off by \(worst)")
        }
    }

    private func transpose(_ values: [Float], rows: Int, columns: Int) -> [Float] {
        (0..<(rows * columns)).map { index in values[(index % rows) * columns + index / rows] }
    }
}
