import Testing
import TestSupport
@testable import TFRuntime

/// Every walk `BroadcastPattern` picks (equal shapes, a scalar side, a repeated row, and the
/// general row-by-row walk for everything else: columns, middle axes, both sides
/// broadcast, empty axes) gives what the definition of broadcasting gives: each output
/// element from the input elements at its multi-index, size-1 axes read at 0.
struct BroadcastPatternTests {
    /// The broadcast of `a` and `b` by the definition, one multi-index at a time.
    private func reference(_ a: [Float], _ aShape: [Int], _ b: [Float], _ bShape: [Int], _ output: [Int]) -> [Float] {
        func offset(_ index: [Int], _ shape: [Int]) -> Int {
            let padded = Array(repeating: 1, count: output.count - shape.count) + shape
            var offset = 0
            for axis in padded.indices { offset = offset * padded[axis] + (padded[axis] == 1 ? 0 : index[axis]) }
            return offset
        }
        var result: [Float] = []
        var index = Array(repeating: 0, count: output.count)
        for _ in 0..<output.reduce(1, *) {
            result.append(a[offset(index, aShape)] - 2 * b[offset(index, bShape)])
            BroadcastPattern.advance(&index, in: output)
        }
        return result
    }

    private func applied(_ a: [Float], _ aShape: [Int], _ b: [Float], _ bShape: [Int], _ output: [Int]) -> [Float] {
        var a = a
        var b = b
        var out = [Float](repeating: .nan, count: output.reduce(1, *))
        let pattern = BroadcastPattern(aShape, bShape, output: output)
        a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeMutableBufferPointer { b in
                out.withUnsafeMutableBufferPointer { out in
                    // Nonnull pointers even for empty tensors (the kernels' buffers never are nil).
                    var spare: [Float] = [0]
                    spare.withUnsafeMutableBufferPointer { spare in
                        pattern.apply(
                            a.baseAddress ?? spare.baseAddress!, b.baseAddress ?? spare.baseAddress!,
                            out.baseAddress ?? spare.baseAddress!, count: out.count) { x, y in x - 2 * y }
                    }
                }
            }
        }
        return out
    }

    private func broadcast(_ a: [Int], _ b: [Int]) -> [Int] {
        let rank = max(a.count, b.count)
        let pa = Array(repeating: 1, count: rank - a.count) + a
        let pb = Array(repeating: 1, count: rank - b.count) + b
        return zip(pa, pb).map { $0 == 1 ? $1 : $0 }
    }

    @Test func namedCasesMatchTheDefinition() {
        let cases: [([Int], [Int])] = [
            ([100, 1], [100, 10]),  // the cross-entropy gradient's column
            ([100, 10], [100, 1]), ([1, 5], [4, 1]), ([4, 1], [1, 5]), ([3, 1, 4], [3, 5, 4]), ([2, 3, 4], [3, 1]),
            ([2, 1, 3, 1], [1, 4, 1, 5]), ([5], [3, 5]), ([3, 5], [5]), ([], [2, 2]), ([2, 2], [1]), ([3, 4], [3, 4]),
            ([0, 3], [1, 3]), ([2, 0], [2, 1]), ([3, 1], [3, 0]),
        ]
        for (aShape, bShape) in cases {
            let output = broadcast(aShape, bShape)
            let a = (0..<aShape.reduce(1, *)).map { Float($0) + 0.5 }
            let b = (0..<bShape.reduce(1, *)).map { Float($0) * 3 - 7 }
            #expect(applied(a, aShape, b, bShape, output) == reference(a, aShape, b, bShape, output), "\(aShape) with \(bShape)")
        }
    }

    @Test func randomShapesMatchTheDefinition() {
        var random = SeededRandom(seed: 11)
        for _ in 0..<400 {
            let rank = Int.random(in: 1...4, using: &random)
            let output = (0..<rank).map { _ in Int.random(in: 1...6, using: &random) }
            func side() -> [Int] {
                let dropped = Int.random(in: 0...rank, using: &random)
                return output.dropFirst(dropped).map { Bool.random(using: &random) ? 1 : $0 }
            }
            let (aShape, bShape) = (side(), side())
            let full = broadcast(aShape, bShape)
            let a = (0..<aShape.reduce(1, *)).map { _ in Float(Int.random(in: -50...50, using: &random)) }
            let b = (0..<bShape.reduce(1, *)).map { _ in Float(Int.random(in: -50...50, using: &random)) }
            #expect(applied(a, aShape, b, bShape, full) == reference(a, aShape, b, bShape, full), "\(aShape) with \(bShape)")
        }
    }
}
