import Foundation
import Testing
import TestSupport
@testable import TFRuntime

/// `VectorExp` against `Foundation.exp`: within 2 ulp wherever the result is a normal float,
/// its documented limits outside that range, NaN kept, and every tail length of a row.
struct VectorExpTests {
    private func ulps(_ a: Float, _ b: Float) -> Int {
        abs(Int(a.bitPattern) - Int(b.bitPattern))
    }

    @Test func withinTwoUlpOfExpOverTheNormalRange() {
        var random = SeededRandom(seed: 3)
        var inputs: [Float] = (0..<200_000).map { _ in Float.random(in: -87.33...88.37, using: &random) }
        inputs += stride(from: Float(-87.33), through: 88.37, by: 0.01).map { $0 }
        inputs += [0, -0.0, 1, -1, 0.5, -0.5, Float(M_LN2), -Float(M_LN2), 1e-8, -1e-8, 88.3, -87.3]
        inputs += [Float](repeating: 0, count: (8 - inputs.count % 8) % 8)  // whole vectors
        var worst = 0
        var worstInput: Float = 0
        for start in stride(from: 0, to: inputs.count, by: 8) {
            let lanes = SIMD8<Float>((0..<8).map { inputs[start + $0] })
            let result = VectorExp.exp(lanes)
            for lane in 0..<8 where ulps(result[lane], Foundation.exp(lanes[lane])) > worst {
                worst = ulps(result[lane], Foundation.exp(lanes[lane]))
                worstInput = lanes[lane]
            }
        }
        #expect(worst <= 2, "\(worst) ulp at \(worstInput)")
        #expect(VectorExp.exp(SIMD8(repeating: 0)) == SIMD8(repeating: 1))
    }

    @Test func limitsAndNaN() {
        let inputs: [Float] = [-.infinity, -1000, -87.34, -88, .infinity, 1000, 88.38, .nan]
        let result = VectorExp.exp(SIMD8(inputs))
        #expect(Array((0..<4).map { result[$0] }) == [0, 0, 0, 0])
        #expect(Array((4..<7).map { result[$0] }) == [.infinity, .infinity, .infinity])
        #expect(result[7].isNaN)
        // Just inside the limits: finite, nonzero, within 2 ulp.
        let inside = VectorExp.exp(SIMD8([-87.336, 88.376, -87.33, 88.37, -1, 1, 0, -0.0]))
        for (lane, x) in [Float(-87.336), 88.376, -87.33, 88.37].enumerated() {
            #expect(inside[lane].isNormal && ulps(inside[lane], Foundation.exp(x)) <= 2, "exp(\(x)) = \(inside[lane])")
        }
    }

    @Test func rowsOfEveryLengthAreExponentiatedInPlace() {
        for count in 0...19 {
            var values = (0..<count).map { Float($0) * 0.37 - 3 }
            let expected = values.map { VectorExp.exp(SIMD8(repeating: $0))[0] }
            // One spare element, so even an empty row has an address.
            values.append(.nan)
            values.withUnsafeMutableBufferPointer { VectorExp.exponentiate($0.baseAddress!, count: count) }
            #expect(values.removeLast().isNaN, "the element past the row was written")
            #expect(values == expected, "\(count) values")
        }
    }
}
