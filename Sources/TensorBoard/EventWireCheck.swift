import TFRecord

/// A structural check that a payload is a well-formed `Event` message, without decoding it:
/// every field has the wire type the Event schema gives it, every length stays inside the
/// payload, and nested Summary bytes are themselves well-formed protobuf.
///
/// It catches payloads with valid checksums that are not Events (which stop TensorBoard's
/// Python loader) at a small fraction of the cost of a full decode.
enum EventWireCheck {
    /// The wire type of each Event field (0 varint, 1 fixed64, 2 length-delimited), or nil.
    @inline(__always)
    private static func eventWireType(_ field: UInt64) -> UInt64? {
        switch field {
        case 1: return 1
        case 2: return 0
        case 3...10: return 2
        default: return nil
        }
    }

    static func isEvent(_ payload: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < payload.count {
            guard let key = readVarint(payload, &index) else { return false }
            let field = key >> 3
            let wireType = key & 7
            guard let expected = eventWireType(field), expected == wireType else { return false }
            guard let end = skip(wireType: wireType, payload, &index) else { return false }
            if field == 5 && !isWellFormedMessage(UnsafeRawBufferPointer(rebasing: payload[(end.start)..<end.end])) {
                return false
            }
        }
        return true
    }

    /// Any well-formed protobuf message (no group wire types, lengths in bounds).
    static func isWellFormedMessage(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < bytes.count {
            guard let key = readVarint(bytes, &index), key >> 3 != 0 else { return false }
            guard skip(wireType: key & 7, bytes, &index) != nil else { return false }
        }
        return true
    }

    /// Skips one field value; for length-delimited values returns its byte range.
    private static func skip(wireType: UInt64, _ bytes: UnsafeRawBufferPointer, _ index: inout Int)
        -> (start: Int, end: Int)?
    {
        switch wireType {
        case 0:
            guard readVarint(bytes, &index) != nil else { return nil }
            return (index, index)
        case 1, 5:
            let size = wireType == 1 ? 8 : 4
            guard bytes.count - index >= size else { return nil }
            index += size
            return (index, index)
        case 2:
            guard let length = readVarint(bytes, &index), length <= UInt64(bytes.count - index) else { return nil }
            let start = index
            index += Int(length)
            return (start, index)
        default:
            return nil
        }
    }

    @inline(__always)
    private static func readVarint(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64? {
        Varint.decode(bytes, &index)
    }
}
