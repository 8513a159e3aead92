/// `exp` eight floats at a time, for the kernels that exponentiate whole rows (softmax and
/// the cross-entropies), where calling `expf` per element was most of their time.
///
/// Cephes' single-precision method: `x = n ln 2 + r` with `|r| <= ln 2 / 2` (ln 2 split in
/// two parts so `r` is exact), a degree-7 polynomial for `exp(r)`, and `2^n` built in the
/// exponent bits. Within 2 ulp of `Foundation.exp` where the result is a normal float (the
/// tests sweep the range); NaN stays NaN; below -87.33654 (results under the smallest normal
/// float, where `expf` returns subnormals) it returns 0, above 88.37626 +infinity.
enum VectorExp {
    private static let lowest: Float = -87.33654
    private static let highest: Float = 88.37626
    private static let log2e: Float = 1.44269504088896341
    private static let ln2High: Float = 0.693359375
    private static let ln2Low: Float = -2.12194440e-4
    /// 1.5 * 2^23: adding it rounds to an integer, kept in the low bits of the sum's pattern.
    private static let roundingMagic: Float = 12_582_912

    /// `exp` of each lane.
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let clamped = x.replacing(with: lowest, where: x .< lowest).replacing(with: highest, where: x .> highest)
        let rounded = clamped * log2e + roundingMagic
        let n = rounded - roundingMagic
        let r = (clamped - n * ln2High) - n * ln2Low
        var p: SIMD8<Float> = SIMD8(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let y = p * (r * r) + r + 1
        // The sum's bit pattern is 1.5 * 2^23's plus n (its unit in the last place is 1).
        let exponent = unsafeBitCast(rounded, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((exponent &+ 127) &<< 23, to: SIMD8<Float>.self)
        return (y * scale)
            .replacing(with: 0, where: x .< lowest)
            .replacing(with: .infinity, where: x .> highest)
            .replacing(with: x, where: x .!= x)
    }

    /// Replaces each of `count` floats at `values` with its `exp`.
    static func exponentiate(_ values: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index + 8 <= count {
            let raw = UnsafeMutableRawPointer(values + index)
            raw.storeBytes(of: exp(raw.loadUnaligned(as: SIMD8<Float>.self)), as: SIMD8<Float>.self)
            index += 8
        }
        guard index < count else { return }
        var tail = SIMD8<Float>(repeating: 0)
        for lane in 0..<(count - index) { tail[lane] = values[index + lane] }
        tail = exp(tail)
        for lane in 0..<(count - index) { values[index + lane] = tail[lane] }
    }
}
