/// Protobuf-style base-128 varints, as event payloads and checkpoint tables use them.
public enum Varint {
    /// The varint bytes of `value`.
    public static func encode(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
        return bytes
    }

    /// Decodes the varint at `position` and moves past it; nil when the bytes end first
    /// or it runs past 64 bits.
    @inlinable
    public static func decode<Bytes: RandomAccessCollection>(_ bytes: Bytes, _ position: inout Bytes.Index) -> UInt64?
    where Bytes.Element == UInt8 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.endIndex && shift < 64 {
            let byte = bytes[position]
            bytes.formIndex(after: &position)
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        return nil
    }
}
