/// The TFRecord framing of one record. All integers are little-endian, with no padding and
/// no file header or footer; records are simply concatenated:
///
///     uint64  length        payload length
///     uint32  length CRC    masked CRC32C of the 8 length bytes
///     bytes   payload       `length` bytes (one serialized Event in an event file)
///     uint32  payload CRC   masked CRC32C of the payload
public enum RecordFraming {
    /// Bytes a record adds around its payload: 8 + 4 + 4.
    public static let overhead = 16
    /// Bytes before the payload.
    public static let headerSize = 12

    /// Appends the framed record for `payload` to `buffer`.
    /// - Complexity: O(payload.count).
    public static func append(_ payload: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        var header = UInt64(payload.count).littleEndian
        let lengthCRC = withUnsafeBytes(of: &header) { CRC32C.maskedChecksum($0) }
        appendInteger(header, to: &buffer)
        appendInteger(lengthCRC.littleEndian, to: &buffer)
        buffer.append(contentsOf: payload)
        appendInteger(CRC32C.maskedChecksum(payload).littleEndian, to: &buffer)
    }

    /// Appends the framed record for `payload` to `buffer`.
    public static func append(_ payload: [UInt8], to buffer: inout [UInt8]) {
        payload.withUnsafeBytes { append($0, to: &buffer) }
    }

    /// The framed record for `payload`.
    public static func framed(_ payload: [UInt8]) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(payload.count + overhead)
        append(payload, to: &buffer)
        return buffer
    }

    @inline(__always)
    private static func appendInteger<T: FixedWidthInteger>(_ value: T, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value) { buffer.append(contentsOf: $0) }
    }

    /// The length of the longest prefix of `records` (concatenated framed records) that ends
    /// on a record boundary and is at most `limit` bytes.
    public static func wholeRecordsPrefix(_ records: [UInt8], limit: Int) -> Int {
        var offset = 0
        records.withUnsafeBytes { bytes in
            while offset + headerSize <= min(limit, bytes.count) {
                let length = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                guard limit - offset >= overhead, length <= UInt64(limit - offset - overhead) else { break }
                let end = offset + overhead + Int(length)
                offset = end
            }
        }
        return offset
    }
}
