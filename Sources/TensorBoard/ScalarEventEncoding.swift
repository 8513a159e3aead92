import TFRecord

/// Encodes a scalar event and its TFRecord framing straight into a byte buffer, without
/// building protobuf messages: the hot path of `SummaryWriter.add(scalar:)`.
///
/// The bytes are those swift-protobuf writes for
/// `Event{wall_time, step, summary{value{tag, simple_value, metadata?}}}` (a test checks
/// this): fields in number order, proto3 defaults omitted, `simple_value` always written
/// because it is a oneof member.
enum ScalarEventEncoding {
    /// `SummaryMetadata{plugin_data{plugin_name: "scalars"}}` as field 9 of Summary.Value.
    static let scalarsMetadataField: [UInt8] =
        [0x4A, 0x0B, 0x0A, 0x09, 0x0A, 0x07] + Array("scalars".utf8)

    /// The masked CRC of the 8-byte length field for payloads shorter than 256 bytes (every
    /// scalar event with a tag under ~200 bytes), so each record computes one CRC, not two.
    static let lengthChecksums: [UInt32] = (0..<256).map { length in
        withUnsafeBytes(of: UInt64(length).littleEndian) { CRC32C.maskedChecksum($0) }
    }

    /// Appends one framed scalar event record to `buffer`.
    static func appendRecord(
        tag: String, value: Float, step: Int64, wallTime: Double, withMetadata: Bool,
        to buffer: inout [UInt8]
    ) {
        var tag = tag
        tag.withUTF8 { tagBytes in
            appendRecord(tagBytes: tagBytes, value: value, step: step, wallTime: wallTime, withMetadata: withMetadata, to: &buffer)
        }
    }

    /// Appends one framed scalar event record to `buffer`, the tag's metadata on its first
    /// value only: `tags` answers for the tags it has seen, `isNewInFile` for the others
    /// (the writer's set of tags, which summaries share).
    @inline(__always)
    static func appendRecord(
        tag: String, value: Float, step: Int64, wallTime: Double, tags: inout ScalarTagCache,
        isNewInFile: (String) -> Bool, to buffer: inout [UInt8]
    ) {
        var utf8 = tag
        utf8.withUTF8 { tagBytes in
            let isFirst = tags.isFirstValue(of: tag, utf8: tagBytes, isNewInFile: isNewInFile)
            appendRecord(tagBytes: tagBytes, value: value, step: step, wallTime: wallTime, withMetadata: isFirst, to: &buffer)
        }
    }

    /// Encodes the record into a temporary buffer (on the stack for all but huge tags), then
    /// appends it with one copy.
    @inline(__always)
    static func appendRecord(
        tagBytes: UnsafeBufferPointer<UInt8>, value: Float, step: Int64, wallTime: Double, withMetadata: Bool,
        to buffer: inout [UInt8]
    ) {
        let tagField = tagBytes.isEmpty ? 0 : 1 + varintSize(UInt64(tagBytes.count)) + tagBytes.count
        let valueLength = tagField + 5 + (withMetadata ? scalarsMetadataField.count : 0)
        let summaryLength = 1 + varintSize(UInt64(valueLength)) + valueLength
        let stepBits = UInt64(bitPattern: step)
        let eventLength =
            (wallTime != 0 ? 9 : 0) + (step != 0 ? 1 + varintSize(stepBits) : 0)
            + 1 + varintSize(UInt64(summaryLength)) + summaryLength
        let total = RecordFraming.overhead + eventLength
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: total) { record in
            guard let base = record.baseAddress else { return }
            var out = Writer(base: base)
            let lengthField = UInt64(eventLength)
            out.littleEndian(lengthField)
            out.littleEndian(
                eventLength < lengthChecksums.count
                    ? lengthChecksums[eventLength]
                    : withUnsafeBytes(of: lengthField.littleEndian) { CRC32C.maskedChecksum($0) })
            let payload = out.position
            if wallTime != 0 {
                out.byte(0x09)
                out.littleEndian(wallTime.bitPattern)
            }
            if step != 0 {
                out.byte(0x10)
                out.varint(stepBits)
            }
            out.byte(0x2A)
            out.varint(UInt64(summaryLength))
            out.byte(0x0A)
            out.varint(UInt64(valueLength))
            if !tagBytes.isEmpty {
                out.byte(0x0A)
                out.varint(UInt64(tagBytes.count))
                out.bytes(UnsafeRawBufferPointer(tagBytes))
            }
            out.byte(0x15)
            out.littleEndian(value.bitPattern)
            if withMetadata {
                scalarsMetadataField.withUnsafeBytes { out.bytes($0) }
            }
            out.littleEndian(CRC32C.maskedChecksum(UnsafeRawBufferPointer(start: payload, count: eventLength)))
            buffer.append(contentsOf: UnsafeBufferPointer(start: base, count: total))
        }
    }

    /// Writes little-endian integers, varints and bytes forward from a pointer (the
    /// temporary record buffer, sized exactly by `appendRecord`).
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
/// tag's UTF-8 bytes, in front of the writer's `Set` of tags in the file.
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

    /// Whether this value of `tag` (`utf8` are its bytes) is its first in the file;
    /// `isNewInFile` records a tag the cache does not know in the writer's set.
    @inline(__always)
    mutating func isFirstValue(
        of tag: String, utf8: UnsafeBufferPointer<UInt8>, isNewInFile: (String) -> Bool
    ) -> Bool {
        let hash = Self.hash(utf8)
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while let known = slots[index].tag {
            if slots[index].hash == hash && known == tag { return false }
            index = (index + 1) & mask
        }
        let isNew = isNewInFile(tag)
        if count < Self.maximumCount {
            slots[index] = Slot(hash: hash, tag: tag)
            count += 1
            if count * 2 > slots.count { grow() }
        }
        return isNew
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
