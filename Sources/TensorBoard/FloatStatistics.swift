import CHistogram

/// Count, NaN count, extremes, sum and sum of squares of float32 values, read eight at a
/// time: the extremes compared in float, the sums added in double in eight interleaved
/// partial sums (so the additions of neighbouring values do not wait for each other; an
/// in-order sum, as TensorFlow's, may differ in the last bits). NaN values are counted and
/// left out of everything else; infinities take part (a sum of +inf and -inf is NaN).
///
/// Memory access: the loop loads eight floats at a time from the caller's buffer with
/// `loadUnaligned` (reads only, never past `values.count`); the tail is read by subscript.
struct FloatStatistics {
    var nanCount = 0
    var minimum = Float.infinity
    var maximum = -Float.infinity
    var sum = 0.0
    var sumOfSquares = 0.0

    /// The statistics of `values`: where the CPU has AVX2, from the same loop in C
    /// (`c_histogram_float_statistics`, 256-bit registers), elsewhere from `init(portable:)`.
    init(_ values: UnsafeBufferPointer<Float>) {
        guard let start = values.baseAddress else { return }
        var vector = c_histogram_statistics()
        guard c_histogram_float_statistics(start, values.count, &vector) != 0 else {
            self = Self(portable: values)
            return
        }
        nanCount = Int(truncatingIfNeeded: vector.nan_count)
        minimum = vector.minimum
        maximum = vector.maximum
        sum = vector.sum
        sumOfSquares = vector.sum_of_squares
    }

    /// The statistics of `values` from Swift's `SIMD8` types (what every CPU runs).
    init(portable values: UnsafeBufferPointer<Float>) {
        guard let start = values.baseAddress else { return }
        var low = SIMD8<Float>(repeating: .infinity)
        var high = SIMD8<Float>(repeating: -.infinity)
        var sums = SIMD8<Double>()
        var squares = SIMD8<Double>()
        var nans = SIMD8<UInt32>()
        let raw = UnsafeRawPointer(start)
        let octets = values.count / 8
        // The lanes count NaNs in 32 bits: chunks of 2^30 octets move them to `nanCount`
        // before they could wrap.
        for chunk in stride(from: 0, to: octets, by: 1 << 30) {
            for octet in chunk..<min(chunk + (1 << 30), octets) {
                let x = raw.loadUnaligned(fromByteOffset: octet &* 32, as: SIMD8<Float>.self)
                // A NaN fails both comparisons, so it never becomes an extreme.
                low.replace(with: x, where: x .< low)
                high.replace(with: x, where: x .> high)
                let isNaN = x .!= x
                nans &+= SIMD8<UInt32>().replacing(with: 1, where: isNaN)
                let wide = SIMD8<Double>(x.replacing(with: 0, where: isNaN))
                sums += wide
                squares += wide * wide
            }
            nanCount += nans.indices.reduce(0) { $0 + Int(nans[$1]) }
            nans = SIMD8<UInt32>()
        }
        minimum = low.min()
        maximum = high.max()
        sum = sums.sum()
        sumOfSquares = squares.sum()
        for index in (octets * 8)..<values.count {
            let value = values[index]
            if value.isNaN {
                nanCount += 1
                continue
            }
            minimum = Swift.min(minimum, value)
            maximum = Swift.max(maximum, value)
            sum += Double(value)
            sumOfSquares += Double(value) * Double(value)
        }
    }
}
