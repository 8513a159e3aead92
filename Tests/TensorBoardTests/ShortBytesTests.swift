import Testing
@testable import TensorBoard

/// Tag equality in place: every length up to past the `memcmp` limit, a difference at every
/// position, unaligned starts.
struct ShortBytesTests {
    @Test func equalOnlyWhenEveryByteIs() {
        for count in 0...(ShortBytes.inlineLimit + 9) {
            let bytes = (0..<(count + 3)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
            bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                for shift in 0..<3 {
                    let copy = Array(raw[shift..<(shift + count)])
                    copy.withUnsafeBytes { same in
                        #expect(ShortBytes.equal(base + shift, same.baseAddress ?? base, count: count))
                    }
                    for position in 0..<count {
                        var changed = copy
                        changed[position] ^= 0x20
                        changed.withUnsafeBytes { other in
                            #expect(!ShortBytes.equal(base + shift, other.baseAddress ?? base, count: count), "\(count) \(position)")
                        }
                    }
                }
            }
        }
    }
}
