import Testing
import TrainerTestSupport
import TFCore
@testable import TFRuntime

/// Large products split over two cores must equal the single call, for every transpose
/// combination, both split directions (rows of a tall output, columns of a wide one),
/// and alpha/beta as the fused gradient update uses them.
struct ParallelGEMMTests {
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func splitProductsEqualOneCall(_ transposes: (Bool, Bool)) throws {
        _ = try BLASLibrary.loaded()  // GEMMCall runs on the loaded library (a Session loads it)
        let (transposeA, transposeB) = transposes
        let helper = ParallelGEMM()
        defer { helper.stop() }
        for (m, n, k) in [(300, 120, 160), (90, 330, 150)] {  // tall: split rows; wide: split columns
            #expect(m * n * k >= ParallelGEMM.threshold && k >= ParallelGEMM.minimumSplitDepth)
            let a = (0..<(m * k)).map { Float(($0 * 37) % 101) / 101 - 0.5 }
            let b = (0..<(k * n)).map { Float(($0 * 53) % 97) / 97 - 0.5 }
            let initial = (0..<(m * n)).map { Float($0 % 11) }
            var expected = initial
            var split = initial
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    func call(_ c: UnsafeMutablePointer<Float>) -> GEMMCall {
                        GEMMCall(
                            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: -0.25,
                            a: a.baseAddress!, lda: transposeA ? m : k, b: b.baseAddress!, ldb: transposeB ? k : n,
                            beta: 1, c: c, ldc: n)
                    }
                    expected.withUnsafeMutableBufferPointer { call($0.baseAddress!).run() }
                    split.withUnsafeMutableBufferPointer { helper.runSplit(call($0.baseAddress!)) }
                }
            }
            let worst = zip(expected, split).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-4, "\(m)x\(n)x\(k) transposes \(transposes): differs by \(worst)")
        }
    }

    /// The split rule on the tutorial's step products (m, n, k), as the bench's `gemm-split`
    /// row measured them: the two 10 M ones and the 409 600 ones with k = 100 and 128 are
    /// split; the 409 600 one with k = 32 (slower split) and the 32 000 ones are not.
    @Test func splitRuleOnTheTutorialsProducts() {
        let splits: [(Int, Int, Int, Bool)] = [
            (100, 128, 784, true), (784, 128, 100, true), (128, 32, 100, true), (100, 32, 128, true),
            (100, 128, 32, false), (100, 32, 10, false), (32, 10, 100, false), (100, 10, 32, false),
        ]
        var scratch: [Float] = [0]
        scratch.withUnsafeMutableBufferPointer { memory in
            let pointer = memory.baseAddress!
            for (m, n, k, expected) in splits {
                let call = GEMMCall(
                    transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, a: pointer, lda: k, b: pointer, ldb: n,
                    beta: 0, c: pointer, ldc: n)
                #expect(ParallelGEMM.splits(call) == expected, "\(m)x\(n)x\(k)")
            }
        }
    }

    /// Two threads splitting products through one helper at once: one of them finds it
    /// busy and runs the same halves itself; every result is the single call's.
    @Test func twoThreadsSharingTheHelperGetTheirOwnProducts() async throws {
        _ = try BLASLibrary.loaded()
        let helper = ParallelGEMM()
        defer { helper.stop() }
        let (m, n, k) = (64, 48, 400)
        let a = (0..<(m * k)).map { Float(($0 * 37) % 101) / 101 - 0.5 }
        let b = (0..<(k * n)).map { Float(($0 * 53) % 97) / 97 - 0.5 }
        func product(into c: inout [Float], split: Bool) {
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        let call = GEMMCall(
                            transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, a: a.baseAddress!, lda: k,
                            b: b.baseAddress!, ldb: n, beta: 0, c: c.baseAddress!, ldc: n)
                        if split { helper.runSplit(call) } else { call.run() }
                    }
                }
            }
        }
        var expected = [Float](repeating: 0, count: m * n)
        product(into: &expected, split: false)
        let reference = expected
        // Outputs start as NaN, so an element no half wrote counts as wrong too.
        let wrong = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    var wrong = 0
                    for _ in 0..<200 {
                        var c = [Float](repeating: .nan, count: m * n)
                        product(into: &c, split: true)
                        wrong += zip(c, reference).filter { !(abs($0 - $1) <= 1e-4) }.count
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0, "\(wrong) elements of concurrent splits differ from the single call")
    }

    @Test func aBatch100TutorialStepMatchesOpenBLASThreading() throws {
        let model = try MNISTGraphFixture.make(batchSize: 100, seed: 5)
        let split = Session(graph: model.graph)
        let plain = Session(graph: model.graph, blasThreads: 1)
        try split.run(model.initializer)
        try plain.run(model.initializer)
        let pixels = (0..<(100 * 784)).map { Float(($0 * 7919) % 255) / 255 }
        let feed = [model.images: try Tensor(floats: pixels, shape: [100, 784]), model.labels: try Tensor(int32s: (0..<100).map { Int32($0 % 10) }, shape: [100])]
        for _ in 0..<10 {
            let a = try split.run(model.trainOp, fetching: model.loss, feeding: feed).scalarFloat
            let b = try plain.run(model.trainOp, fetching: model.loss, feeding: feed).scalarFloat
            #expect(abs(a - b) <= 1e-5 * max(1, abs(b)))
        }
        for variable in model.graph.trainableVariables {
            let worst = zip(try split.value(of: variable).floats, try plain.value(of: variable).floats).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-5, "\(variable.name) differs by \(worst)")
        }
    }

    /// `MatrixProducts.run(_:finishing:)` hands each block of `c` to `finish` exactly once,
    /// after the block is computed and with its first column in the whole output, for a
    /// call split in rows, one split in columns, and one too small to split.
    @Test func finishingVisitsEveryBlockOnceAfterItsProduct() throws {
        _ = try BLASLibrary.loaded()
        let helper = ParallelGEMM()
        defer { helper.stop() }
        let products = MatrixProducts(helper: helper)
        // Split in rows, split in columns (both over the threshold, k >= 64), not split.
        for (m, n, k) in [(300, 120, 160), (90, 330, 150), (10, 12, 8)] {
            let a = (0..<(m * k)).map { Float(($0 * 37) % 101) / 101 - 0.5 }
            let b = (0..<(k * n)).map { Float(($0 * 53) % 97) / 97 - 0.5 }
            var expected = [Float](repeating: .nan, count: m * n)
            var finished = [Float](repeating: .nan, count: m * n)
            var visits = [Int](repeating: 0, count: m * n)
            var columns = [Int](repeating: -1, count: m * n)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    func call(_ c: UnsafeMutablePointer<Float>) -> GEMMCall {
                        GEMMCall(
                            transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, a: a.baseAddress!, lda: k,
                            b: b.baseAddress!, ldb: n, beta: 0, c: c, ldc: n)
                    }
                    expected.withUnsafeMutableBufferPointer { call($0.baseAddress!).run() }
                    finished.withUnsafeMutableBufferPointer { c in
                        let base = c.baseAddress!
                        visits.withUnsafeMutableBufferPointer { visitsBuffer in
                          columns.withUnsafeMutableBufferPointer { columnsBuffer in
                            // The finishing closure escapes (a split hands it to the helper).
                            let (visits, columns) = (visitsBuffer, columnsBuffer)
                            products.run(call(base)) { block in
                                for row in 0..<block.rows {
                                    for column in 0..<block.columns {
                                        let offset = block.c - base + row * block.ldc + column
                                        // Halves finish disjoint blocks, so these never race
                                        // (and the helper thread records no issue itself).
                                        visits[offset] += 1
                                        columns[offset] = block.firstColumn + column
                                        block.c[row * block.ldc + column] += Float(offset % n)
                                    }
                                }
                            }
                          }
                        }
                    }
                }
            }
            #expect(visits.allSatisfy { $0 == 1 }, "\(m)x\(n)x\(k): some element finished \(visits.max() ?? 0) or 0 times")
            #expect(columns.indices.allSatisfy { columns[$0] == $0 % n }, "\(m)x\(n)x\(k): a block's first column is wrong")
            let worst = zip(expected.indices, finished).map { index, value in abs(expected[index] + Float(index % n) - value) }.max() ?? 0
            #expect(worst <= 1e-3, "\(m)x\(n)x\(k): finished values differ by \(worst)")
        }
    }
}
