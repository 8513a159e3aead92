import TFRecord

/// Encodes a scalar event without building protobuf messages: the hot path of
/// `SummaryWriter.add(scalar:)`. It writes the payload only; the record around it is framed
/// by `RecordFraming`, as every record is.
///
/// The bytes are those swift-protobuf writes for
/// `Event{wall_time, step, summary{value{tag, simple_value, metadata?}}}` (a test checks
/// this): fields in number order, proto3 defaults omitted, `simple_value` always written
/// because it is a oneof member.
enum ScalarEventEncoding {
    /// `SummaryMetadata{plugin_data{plugin_name: "scalars"}}` as field 9 of Summary.Value.
    static let scalarsMetadataField: [UInt8] =
        [0x4A, 0x0B, 0x0A, 0x09, 0x0A, 0x07] + Array("scalars".utf8)

    /// The serialized event (the payload alone): what the writer frames for a tag's value
    /// it queues as a record; for tests.
    static func payload(tag: String, value: Float, step: Int64, wallTime: Double, withMetadata: Bool) -> [UInt8] {
        var tag = tag
        return tag.withUTF8 { payload(tag: $0, value: value, step: step, wallTime: wallTime, withMetadata: withMetadata) }
    }

    private static func payload(
        tag: UnsafeBufferPointer<UInt8>, value: Float, step: Int64, wallTime: Double, withMetadata: Bool
    ) -> [UInt8] {
        let layout = Layout(tagCount: tag.count, step: step, wallTime: wallTime, withMetadata: withMetadata)
        var event = [UInt8](repeating: 0, count: layout.eventLength)
        event.withUnsafeMutableBytes { encode(layout, tag: tag, value: value, step: step, wallTime: wallTime, into: $0) }
        return event
    }

    /// The bytes every metadata-free event of `tag` ends with, but for the value's 4: the
    /// summary field (`Summary{value{tag, simple_value}}`) up to `simple_value`'s key, which
    /// depend on the tag alone. The writer keeps them with the tag (`ScalarTagTable`), and
    /// `appendEvent` frames an event from them.
    static func sharedTail(tag: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        Array(payload(tag: tag, value: 0, step: 0, wallTime: 0, withMetadata: false).dropLast(4))
    }

    /// Frames the metadata-free scalar event whose `sharedTail` is `tail` and appends the
    /// record to `batch`: the record of `payload(..., withMetadata: false)`.
    @inline(__always)
    static func appendEvent(
        tail: UnsafeRawBufferPointer, value: Float, step: Int64, wallTime: Double, to batch: inout RecordBatch
    ) {
        let length = headLength(step: step, wallTime: wallTime) &+ tail.count &+ 4
        batch.appendRecord(payloadLength: length) { payload in
            guard let base = payload.baseAddress else { return }
            var out = Writer(base: base.assumingMemoryBound(to: UInt8.self))
            out.head(step: step, wallTime: wallTime)
            out.bytes(tail)
            out.littleEndian(value.bitPattern)
        }
    }

    /// The sizes of the nested messages, computed before anything is written.
    struct Layout {
        let tagCount: Int
        let withMetadata: Bool
        let valueLength: Int
        let summaryLength: Int
        let eventLength: Int

        @inline(__always)
        init(tagCount: Int, step: Int64, wallTime: Double, withMetadata: Bool) {
            self.tagCount = tagCount
            self.withMetadata = withMetadata
            let tagField = tagCount == 0 ? 0 : 1 + varintSize(UInt64(tagCount)) + tagCount
            valueLength = tagField + 5 + (withMetadata ? scalarsMetadataField.count : 0)
            summaryLength = 1 + varintSize(UInt64(valueLength)) + valueLength
            eventLength = headLength(step: step, wallTime: wallTime) + 1 + varintSize(UInt64(summaryLength)) + summaryLength
        }
    }

    /// Writes the event's `layout.eventLength` bytes into `payload`.
    @inline(__always)
    static func encode(
        _ layout: Layout, tag: UnsafeBufferPointer<UInt8>, value: Float, step: Int64, wallTime: Double,
        into payload: UnsafeMutableRawBufferPointer
    ) {
        guard let base = payload.baseAddress else { return }
        var out = Writer(base: base.assumingMemoryBound(to: UInt8.self))
        out.head(step: step, wallTime: wallTime)
        out.byte(0x2A)
        out.varint(UInt64(layout.summaryLength))
        out.byte(0x0A)
        out.varint(UInt64(layout.valueLength))
        if !tag.isEmpty {
            out.byte(0x0A)
            out.varint(UInt64(tag.count))
            out.bytes(UnsafeRawBufferPointer(tag))
        }
        out.byte(0x15)
        out.littleEndian(value.bitPattern)
        if layout.withMetadata {
            scalarsMetadataField.withUnsafeBytes { out.bytes($0) }
        }
    }

    /// The bytes of the event's `wall_time` and `step` fields (each omitted at its default).
    @inline(__always)
    static func headLength(step: Int64, wallTime: Double) -> Int {
        (wallTime != 0 ? 9 : 0) &+ (step != 0 ? 1 &+ varintSize(UInt64(bitPattern: step)) : 0)
    }

    /// Writes little-endian integers, varints and bytes forward from a pointer (the
    /// payload buffer, sized exactly by `Layout`).
    private struct Writer {
        var position: UnsafeMutablePointer<UInt8>

        init(base: UnsafeMutablePointer<UInt8>) { position = base }

        /// The event's `wall_time` and `step` fields (`headLength` bytes).
        @inline(__always) mutating func head(step: Int64, wallTime: Double) {
            if wallTime != 0 {
                byte(0x09)
                littleEndian(wallTime.bitPattern)
            }
            if step != 0 {
                byte(0x10)
                varint(UInt64(bitPattern: step))
            }
        }

        @inline(__always) mutating func byte(_ value: UInt8) {
            position.pointee = value
            position += 1
        }

        @inline(__always) mutating func littleEndian<T: FixedWidthInteger>(_ value: T) {
            UnsafeMutableRawPointer(position).storeBytes(of: value.littleEndian, as: T.self)
            position += MemoryLayout<T>.size
        }

        @inline(__always) mutating func varint(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                byte(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            byte(UInt8(value))
        }

        @inline(__always) mutating func bytes(_ source: UnsafeRawBufferPointer) {
            guard let base = source.baseAddress else { return }
            UnsafeMutableRawPointer(position).copyMemory(from: base, byteCount: source.count)
            position += source.count
        }
    }

    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
    }
}
