#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Equality of short byte strings (tags), compared in place eight bytes at a time: for the
/// few bytes of a tag, a call to `memcmp` costs more than the comparison.
enum ShortBytes {
    /// Byte strings longer than this are compared with `memcmp`.
    static let inlineLimit = 32

    /// Whether the `count` bytes at `first` and at `second` are equal.
    @inline(__always)
    static func equal(_ first: UnsafeRawPointer, _ second: UnsafeRawPointer, count: Int) -> Bool {
        guard count <= inlineLimit else { return memcmp(first, second, count) == 0 }
        var offset = 0
        while count &- offset >= 8 {
            guard first.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                == second.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            else { return false }
            offset &+= 8
        }
        while offset < count {
            guard first.load(fromByteOffset: offset, as: UInt8.self) == second.load(fromByteOffset: offset, as: UInt8.self)
            else { return false }
            offset &+= 1
        }
        return true
    }
}
