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

    /// Appends one framed scalar event record to `buffer`.
    static func appendRecord(
        tag: String, value: Float, step: Int64, wallTime: Double, withMetadata: Bool,
        to buffer: inout [UInt8]
    ) {
        var tag = tag
        tag.withUTF8 { tagBytes in
            let tagField = tagBytes.isEmpty ? 0 : 1 + varintSize(UInt64(tagBytes.count)) + tagBytes.count
            let valueLength = tagField + 5 + (withMetadata ? scalarsMetadataField.count : 0)
            let summaryLength = 1 + varintSize(UInt64(valueLength)) + valueLength
            let stepBits = UInt64(bitPattern: step)
            let eventLength =
                (wallTime != 0 ? 9 : 0) + (step != 0 ? 1 + varintSize(stepBits) : 0)
                + 1 + varintSize(UInt64(summaryLength)) + summaryLength

            // Grow once, then write through a pointer: no per-byte capacity checks.
            let start = buffer.count
            let total = RecordFraming.overhead + eventLength
            buffer.append(contentsOf: repeatElement(0, count: total))
            buffer.withUnsafeMutableBufferPointer { whole in
                var out = Writer(base: whole.baseAddress! + start)
                let lengthField = UInt64(eventLength)
                out.littleEndian(lengthField)
                out.littleEndian(withUnsafeBytes(of: lengthField.littleEndian) { CRC32C.maskedChecksum($0) })
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
            }
        }
    }

    /// Writes little-endian integers, varints and bytes forward from a pointer.
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
