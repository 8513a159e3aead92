#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Equality of short byte strings (tags), compared in place: for the few bytes of a tag, a
/// call to `memcmp` costs more than the comparison. Words of 8 bytes, then one word of 4, 2
/// and 1 for the tail, each load at a multiple of its own size, as `ScalarTagTable.hash`
/// reads them (a load straddling two of the stores a small string was just copied with
/// cannot be forwarded from them and waits).
enum ShortBytes {
    /// Byte strings longer than this are compared with `memcmp`.
    static let inlineLimit = 32

    /// Whether the `count` bytes at `first` and at `second` are equal.
    @inline(__always)
    static func equal(_ first: UnsafeRawPointer, _ second: UnsafeRawPointer, count: Int) -> Bool {
        guard count <= inlineLimit else { return memcmp(first, second, count) == 0 }
        var offset = 0
        while count &- offset >= 8 {
            guard same(UInt64.self, first, second, at: offset) else { return false }
            offset &+= 8
        }
        if count &- offset >= 4 {
            guard same(UInt32.self, first, second, at: offset) else { return false }
            offset &+= 4
        }
        if count &- offset >= 2 {
            guard same(UInt16.self, first, second, at: offset) else { return false }
            offset &+= 2
        }
        return count == offset || same(UInt8.self, first, second, at: offset)
    }

    @inline(__always)
    private static func same<Word: FixedWidthInteger>(
        _: Word.Type, _ first: UnsafeRawPointer, _ second: UnsafeRawPointer, at offset: Int
    ) -> Bool {
        first.loadUnaligned(fromByteOffset: offset, as: Word.self) == second.loadUnaligned(fromByteOffset: offset, as: Word.self)
    }
}
