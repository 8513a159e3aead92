import TFRecord

/// A structural check that a payload is a well-formed `Event` message, without decoding it:
/// every field key and length is valid and stays inside the payload, and the message-typed
/// fields (summary, log_message, session_log, tagged_run_metadata, source_metadata) hold
/// well-formed messages themselves. Like every protobuf reader (TensorBoard's included), it
/// accepts unknown field numbers and fields whose wire type differs from the schema's: those
/// are kept as unknown fields, so such an event is still an event (a fuzzing finding).
///
/// It catches payloads with valid checksums that no protobuf reader can parse (which stop
/// TensorBoard's Python loader) at a small fraction of the cost of a full decode. It does
/// not check the UTF-8 of string fields; `EventFileReader` decodes fully and reports those.
enum EventWireCheck {
    /// Nesting deeper than this (groups within groups, messages within messages) is
    /// rejected, as swift-protobuf's decoder rejects it.
    static let depthLimit = 100

    /// Whether field `field` of Event is a message, which must itself be well-formed.
    @inline(__always)
    private static func isMessageField(_ field: UInt64) -> Bool {
        field == 5 || field == 6 || field == 7 || field == 8 || field == 10
    }

    static func isEvent(_ payload: UnsafeRawBufferPointer) -> Bool {
        scan(payload) != nil
    }

    /// Checks `payload` like `isEvent` and returns its wall time and step (the last value of
    /// each, as protobuf decoding keeps; 0 when absent), or nil when it is not an Event.
    ///
    /// Readers call this once per record, so the common keys are matched whole (a key is
    /// `field << 3 | wire type`) and one-byte varints take a fast path.
    static func scan(_ payload: UnsafeRawBufferPointer) -> (wallTime: Double, step: Int64)? {
        var wallTime = 0.0
        var step: Int64 = 0
        var index = 0
        let count = payload.count
        while index < count {
            guard let key = varint(payload, &index) else { return nil }
            switch key {
            case 1 << 3 | 1:  // wall_time, fixed64
                guard count - index >= 8 else { return nil }
                wallTime = Double(bitPattern: UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                index += 8
            case 2 << 3 | 0:  // step, varint
                guard let value = varint(payload, &index) else { return nil }
                step = Int64(bitPattern: value)
            case 5 << 3 | 2, 6 << 3 | 2, 7 << 3 | 2, 8 << 3 | 2, 10 << 3 | 2:
                // summary, log_message, session_log, tagged_run_metadata, source_metadata:
                // messages, which must be well-formed themselves.
                guard let length = varint(payload, &index), length <= UInt64(count - index) else { return nil }
                let end = index + Int(length)
                guard isWellFormedMessage(UnsafeRawBufferPointer(rebasing: payload[index..<end]), depth: 1) else { return nil }
                index = end
            default:
                guard key >> 3 != 0, skip(wireType: key & 7, field: key >> 3, payload, &index, depth: 0) else { return nil }
            }
        }
        return (wallTime, step)
    }

    /// Any well-formed protobuf message: valid keys, lengths in bounds, groups closed.
    static func isWellFormedMessage(_ bytes: UnsafeRawBufferPointer, depth: Int = 0) -> Bool {
        guard depth <= depthLimit else { return false }
        var index = 0
        while index < bytes.count {
            guard let key = varint(bytes, &index), key >> 3 != 0 else { return false }
            guard skip(wireType: key & 7, field: key >> 3, bytes, &index, depth: depth) else { return false }
        }
        return true
    }

    /// Skips one field value whose key has been read; false when it is malformed.
    @inline(__always)
    private static func skip(wireType: UInt64, field: UInt64, _ bytes: UnsafeRawBufferPointer, _ index: inout Int, depth: Int)
        -> Bool
    {
        switch wireType {
        case 0:
            return varint(bytes, &index) != nil
        case 1, 5:
            let size = wireType == 1 ? 8 : 4
            guard bytes.count - index >= size else { return false }
            index += size
            return true
        case 2:
            guard let length = varint(bytes, &index), length <= UInt64(bytes.count - index) else { return false }
            index += Int(length)
            return true
        case 3:
            return skipGroup(field: field, bytes, &index, depth: depth)
        default:
            return false
        }
    }

    /// Skips a group's fields up to the end-group key of the same field number.
    private static func skipGroup(field: UInt64, _ bytes: UnsafeRawBufferPointer, _ index: inout Int, depth: Int) -> Bool {
        guard depth < depthLimit else { return false }
        while index < bytes.count {
            guard let key = varint(bytes, &index), key >> 3 != 0 else { return false }
            if key & 7 == 4 { return key >> 3 == field }
            guard skip(wireType: key & 7, field: key >> 3, bytes, &index, depth: depth + 1) else { return false }
        }
        return false
    }

    /// A varint, with the one-byte case (most keys, lengths and small steps) inline.
    @inline(__always)
    private static func varint(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64? {
        guard index < bytes.count else { return nil }
        let first = bytes[index]
        if first < 0x80 {
            index += 1
            return UInt64(first)
        }
        return Varint.decode(bytes, &index)
    }
}
