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
    static func scan(_ payload: UnsafeRawBufferPointer) -> (wallTime: Double, step: Int64)? {
        var wallTime = 0.0
        var step: Int64 = 0
        var index = 0
        while index < payload.count {
            guard let key = Varint.decode(payload, &index), key >> 3 != 0 else { return nil }
            let field = key >> 3
            let wireType = key & 7
            if field == 2 && wireType == 0 {
                guard let value = Varint.decode(payload, &index) else { return nil }
                step = Int64(bitPattern: value)
                continue
            }
            if field == 1 && wireType == 1 && payload.count - index >= 8 {
                wallTime = Double(bitPattern: payload.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian)
            }
            guard let value = skip(wireType: wireType, field: field, payload, &index, depth: 0) else { return nil }
            if wireType == 2 && isMessageField(field)
                && !isWellFormedMessage(UnsafeRawBufferPointer(rebasing: payload[value.start..<value.end]), depth: 1)
            {
                return nil
            }
        }
        return (wallTime, step)
    }

    /// Any well-formed protobuf message: valid keys, lengths in bounds, groups closed.
    static func isWellFormedMessage(_ bytes: UnsafeRawBufferPointer, depth: Int = 0) -> Bool {
        guard depth <= depthLimit else { return false }
        var index = 0
        while index < bytes.count {
            guard let key = Varint.decode(bytes, &index), key >> 3 != 0 else { return false }
            guard skip(wireType: key & 7, field: key >> 3, bytes, &index, depth: depth) != nil else { return false }
        }
        return true
    }

    /// Skips one field value; for length-delimited values returns its byte range.
    private static func skip(wireType: UInt64, field: UInt64, _ bytes: UnsafeRawBufferPointer, _ index: inout Int, depth: Int)
        -> (start: Int, end: Int)?
    {
        switch wireType {
        case 0:
            guard Varint.decode(bytes, &index) != nil else { return nil }
            return (index, index)
        case 1, 5:
            let size = wireType == 1 ? 8 : 4
            guard bytes.count - index >= size else { return nil }
            index += size
            return (index, index)
        case 2:
            guard let length = Varint.decode(bytes, &index), length <= UInt64(bytes.count - index) else { return nil }
            let start = index
            index += Int(length)
            return (start, index)
        case 3:
            // A group: fields up to the end-group key of the same field number.
            guard depth < depthLimit else { return nil }
            let start = index
            while index < bytes.count {
                guard let key = Varint.decode(bytes, &index), key >> 3 != 0 else { return nil }
                if key & 7 == 4 { return key >> 3 == field ? (start, index) : nil }
                guard skip(wireType: key & 7, field: key >> 3, bytes, &index, depth: depth + 1) != nil else { return nil }
            }
            return nil
        default:
            return nil
        }
    }
}
