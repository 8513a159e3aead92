import TFGraph
import Randomness

/// Kernels of the ops dropout is built from: `RandomUniform` (xoshiro256** samples in
/// [0, 1), seeded as `TruncatedNormal`) and `Floor`.

enum RandomUniformKernel: RandomFillKernel {
    static let opType = RandomUniformOp.type
    /// Two samples from each 64-bit draw (its top 24 bits, then the 24 below them): every
    /// float in [0, 1) with spacing 2^-24.
    static func fill(_ values: UnsafeMutablePointer<Float>, count: Int, from generator: inout Xoshiro256StarStar) {
        var i = 0
        while i + 2 <= count {
            let draw = generator.next()
            values[i] = Float(draw >> 40) * 0x1p-24
            values[i + 1] = Float((draw >> 16) & 0xFF_FFFF) * 0x1p-24
            i += 2
        }
        if i < count { values[i] = Float(generator.next() >> 40) * 0x1p-24 }
    }
}

enum FloorKernel: UnaryFloatKernel {
    static let opType = FloorOp.type
    /// `floor` in arithmetic the loop vectorizes (no libm call): below 2^23 in magnitude,
    /// adding and subtracting 2^23 (with x's sign) rounds to the nearest integer, one less
    /// if that is above x; the sign bit of x is kept so that -0 stays -0. Larger magnitudes,
    /// infinities and NaN are already their own floor (`x + 0` quiets a signalling NaN, as
    /// `floorf` does).
    @inline(__always) static func apply(_ x: Float) -> Float {
        let magic = Float(signOf: x, magnitudeOf: 0x1p23)
        let nearest = (x + magic) - magic
        let floored = nearest > x ? nearest - 1 : nearest
        let signed = Float(bitPattern: floored.bitPattern | (x.bitPattern & 0x8000_0000))
        return x.magnitude < 0x1p23 ? signed : x + 0
    }
}
