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

    /// Frames the scalar event in temporary memory (on the stack for all but huge tags) and
    /// hands the record to `body`; nothing is allocated for tags of ordinary length.
    /// - Parameter withMetadata: whether the value carries the `scalars` plugin metadata
    ///   (the tag's first value in the file does).
    @inline(__always)
    static func withRecord<Result, Failure: Error>(
        tag: UnsafeBufferPointer<UInt8>, value: Float, step: Int64, wallTime: Double, withMetadata: Bool,
        _ body: (FramedRecord) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let layout = Layout(tagCount: tag.count, step: step, wallTime: wallTime, withMetadata: withMetadata)
        return try RecordFraming.withFramedRecord(
            payloadLength: layout.eventLength,
            encodingPayload: { payload in
                encode(layout, tag: tag, value: value, step: step, wallTime: wallTime, into: payload)
            },
            body)
    }

    /// The serialized event (the payload alone), for tests and callers without a queue.
    static func payload(tag: String, value: Float, step: Int64, wallTime: Double, withMetadata: Bool) -> [UInt8] {
        var tag = tag
        return tag.withUTF8 { utf8 in
            withRecord(tag: utf8, value: value, step: step, wallTime: wallTime, withMetadata: withMetadata) {
                Array($0.payload)
            }
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
            eventLength =
                (wallTime != 0 ? 9 : 0) + (step != 0 ? 1 + varintSize(UInt64(bitPattern: step)) : 0)
                + 1 + varintSize(UInt64(summaryLength)) + summaryLength
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
        if wallTime != 0 {
            out.byte(0x09)
            out.littleEndian(wallTime.bitPattern)
        }
        if step != 0 {
            out.byte(0x10)
            out.varint(UInt64(bitPattern: step))
        }
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

    /// Writes little-endian integers, varints and bytes forward from a pointer (the
    /// payload buffer, sized exactly by `Layout`).
    private struct Writer {
        var position: UnsafeMutablePointer<UInt8>

        init(base: UnsafeMutablePointer<UInt8>) { position = base }

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

/// The scalar tags whose first value (the one carrying the `scalars` metadata) is already
/// queued, so that `add(scalar:)` decides "metadata or not" without hashing the tag with
/// `Hasher` and without a dictionary: an open-addressing table keyed by a cheap hash of the
/// tag's UTF-8 bytes (computed by the caller before it takes the lock), in front of the
/// writer's `Set` of tags in the file.
///
/// Only tags known to be in the file are cached, so a miss (a new tag, a full cache) just
/// asks the set. The cache stops growing at `maximumCount` tags; beyond that the rest take
/// the set's path every time.
struct ScalarTagCache {
    static let maximumCount = 4096

    private struct Slot {
        var hash: UInt64 = 0
        var tag: String?
    }

    private var slots = [Slot](repeating: Slot(), count: 64)
    private var count = 0

    /// Whether `tag`, whose `hash(_:)` is `hash`, is cached as already in the file.
    @inline(__always)
    func contains(_ tag: String, hash: UInt64) -> Bool {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while let known = slots[index].tag {
            if slots[index].hash == hash && known == tag { return true }
            index = (index + 1) & mask
        }
        return false
    }

    /// Caches `tag` (hash `hash`), which the caller knows is in the file, unless the cache
    /// is full or already holds it.
    mutating func insert(_ tag: String, hash: UInt64) {
        guard count < Self.maximumCount else { return }
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while let known = slots[index].tag {
            if slots[index].hash == hash && known == tag { return }
            index = (index + 1) & mask
        }
        slots[index] = Slot(hash: hash, tag: tag)
        count += 1
        if count * 2 > slots.count { grow() }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot.tag != nil {
            var index = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[index].tag != nil { index = (index + 1) & mask }
            slots[index] = slot
        }
    }

    /// A multiply-xor hash over the bytes read as 8-byte words, then one 4-, 2- and 1-byte
    /// word for the tail, mixed with the length. Each load starts at a multiple of its own
    /// size, so it never straddles two of the 8-byte stores a small string's bytes were just
    /// copied to the stack with (a straddling load cannot be forwarded from the stores and
    /// waits for both). Not collision-resistant, and it needs not be: equal hashes are
    /// confirmed with `==`.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = UInt64(bytes.count) &* multiplier
        guard let base = bytes.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
            hash ^= hash >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        if bytes.count - offset >= 4 {
            tail = UInt64(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            offset += 4
        }
        if bytes.count - offset >= 2 {
            tail = tail << 16 | UInt64(raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            offset += 2
        }
        if bytes.count - offset >= 1 {
            tail = tail << 8 | UInt64(base[offset])
        }
        hash = (hash ^ tail) &* multiplier
        return hash ^ (hash >> 32)
    }
}
