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

    /// Checks `payload` like `isEvent` and returns its wall time, step (the last value of
    /// each, as protobuf decoding keeps; 0 when absent) and which member of the `what` oneof
    /// it holds, or nil when it is not an Event.
    ///
    /// Readers call this once per record, so a leading wall_time and step (where writers
    /// put them) are read at fixed places, the common keys are matched whole (a key is
    /// `field << 3 | wire type`) and one-byte varints take a fast path.
    @inline(__always)
    static func scan(_ payload: UnsafeRawBufferPointer) -> EventEnvelope? {
        var envelope = EventEnvelope()
        var index = 0
        let count = payload.count
        if count >= 10, payload[0] == 1 << 3 | 1 {
            envelope.wallTime = Double(bitPattern: UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: 1, as: UInt64.self)))
            index = 9
            if payload[9] == 2 << 3 | 0 {
                index = 10
                guard let step = varint(payload, &index) else { return nil }
                envelope.step = Int64(bitPattern: step)
            }
        }
        while index < count {
            guard let key = varint(payload, &index) else { return nil }
            switch key {
            case 1 << 3 | 1:  // wall_time, fixed64
                guard count - index >= 8 else { return nil }
                envelope.wallTime = Double(bitPattern: UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                index += 8
            case 2 << 3 | 0:  // step, varint
                guard let value = varint(payload, &index) else { return nil }
                envelope.step = Int64(bitPattern: value)
            case 5 << 3 | 2, 6 << 3 | 2, 7 << 3 | 2, 8 << 3 | 2, 10 << 3 | 2:
                // summary, log_message, session_log, tagged_run_metadata, source_metadata:
                // messages, which must be well-formed themselves.
                guard let length = varint(payload, &index), length <= UInt64(count - index) else { return nil }
                let end = index + Int(length)
                let message = UnsafeRawBufferPointer(rebasing: payload[index..<end])
                guard isSingleShortField(message) || isWellFormedMessage(message, depth: 1) else { return nil }
                if key != 10 << 3 | 2 { envelope.what = EventEnvelope.Member(field: UInt8(key >> 3), range: index..<end) }
                index = end
            case 3 << 3 | 2, 4 << 3 | 2, 9 << 3 | 2:
                // file_version, graph_def, meta_graph_def: strings and bytes.
                guard let length = varint(payload, &index), length <= UInt64(count - index) else { return nil }
                let end = index + Int(length)
                envelope.what = EventEnvelope.Member(field: UInt8(key >> 3), range: index..<end)
                index = end
            default:
                guard key >> 3 != 0, skip(wireType: key & 7, field: key >> 3, payload, &index, depth: 0) else { return nil }
            }
        }
        return envelope
    }

    /// Whether `bytes` is exactly one length-delimited field with a one-byte key and length,
    /// such as a summary of one scalar value: well-formed without walking it.
    @inline(__always)
    private static func isSingleShortField(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] & 7 == 2 && bytes[0] >> 3 != 0 && bytes[0] < 0x80 && bytes[1] < 0x80
            && Int(bytes[1]) == bytes.count - 2
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

    /// A varint, with the one-byte case (most keys, lengths and small steps) inline, and
    /// the two- and three-byte cases (steps up to 2^21) without a loop.
    @inline(__always)
    private static func varint(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64? {
        guard index < bytes.count else { return nil }
        let first = bytes[index]
        if first < 0x80 {
            index += 1
            return UInt64(first)
        }
        if bytes.count - index >= 3 {
            let second = bytes[index + 1]
            if second < 0x80 {
                index += 2
                return UInt64(first & 0x7F) | UInt64(second) << 7
            }
            let third = bytes[index + 2]
            if third < 0x80 {
                index += 3
                return UInt64(first & 0x7F) | UInt64(second & 0x7F) << 7 | UInt64(third) << 14
            }
        }
        return Varint.decode(bytes, &index)
    }
}

/// What `EventWireCheck.scan` learns about an Event on its way through: wall time, step, and
/// where the member of the `what` oneof is (the last one, as protobuf decoding keeps).
struct EventEnvelope {
    /// A member of `Event.what`: its field number and the byte range of its value.
    struct Member {
        /// 3 file_version, 4 graph_def, 5 summary, 6 log_message, 7 session_log,
        /// 8 tagged_run_metadata, 9 meta_graph_def.
        var field: UInt8
        var range: Range<Int>
    }

    var wallTime = 0.0
    var step: Int64 = 0
    var what: Member?
}
