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

            let lengthField = UInt64(eventLength).littleEndian
            appendLittleEndian(lengthField, to: &buffer)
            appendLittleEndian(withUnsafeBytes(of: lengthField) { CRC32C.maskedChecksum($0) }, to: &buffer)
            let payloadStart = buffer.count

            if wallTime != 0 {
                buffer.append(0x09)
                appendLittleEndian(wallTime.bitPattern, to: &buffer)
            }
            if step != 0 {
                buffer.append(0x10)
                appendVarint(stepBits, to: &buffer)
            }
            buffer.append(0x2A)
            appendVarint(UInt64(summaryLength), to: &buffer)
            buffer.append(0x0A)
            appendVarint(UInt64(valueLength), to: &buffer)
            if !tagBytes.isEmpty {
                buffer.append(0x0A)
                appendVarint(UInt64(tagBytes.count), to: &buffer)
                buffer.append(contentsOf: tagBytes)
            }
            buffer.append(0x15)
            appendLittleEndian(value.bitPattern, to: &buffer)
            if withMetadata {
                buffer.append(contentsOf: scalarsMetadataField)
            }

            let payloadCRC = buffer.withUnsafeBytes {
                CRC32C.maskedChecksum(UnsafeRawBufferPointer(rebasing: $0[payloadStart...]))
            }
            appendLittleEndian(payloadCRC, to: &buffer)
        }
    }

    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
    }

    @inline(__always)
    static func appendVarint(_ value: UInt64, to buffer: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        buffer.append(UInt8(value))
    }

    @inline(__always)
    static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }
}
