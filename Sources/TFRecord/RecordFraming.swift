/// The TFRecord framing of one record. All integers are little-endian, with no padding and
/// no file header or footer; records are simply concatenated:
///
///     uint64  length        payload length
///     uint32  length CRC    masked CRC32C of the 8 length bytes
///     bytes   payload       `length` bytes (one serialized Event in an event file)
///     uint32  payload CRC   masked CRC32C of the payload
///
/// `frameInPlace` below is the only code in the package that writes this layout. Records
/// reach a file one way: framed here (through `withFramedRecord` or `RecordBatch`),
/// collected in a `RecordBatch`, and handed by a `RecordWriter` to a `RecordSink`.
public enum RecordFraming {
    /// Bytes a record adds around its payload: 8 + 4 + 4.
    public static let overhead = 16
    /// Bytes before the payload.
    public static let headerSize = 12
    /// Bytes after the payload.
    public static let footerSize = 4

    /// Frames a payload encoded in place: `encode` writes exactly `payloadLength` bytes into
    /// the buffer it is given, the header and footer are filled in around them, and `body`
    /// receives the whole record. The record lives in temporary memory (on the stack unless
    /// it is large), so framing a small record allocates nothing.
    ///
    /// - Parameters:
    ///   - payloadLength: the payload's size in bytes.
    ///   - encode: writes the payload; its buffer is exactly `payloadLength` bytes.
    ///   - body: receives the framed record, valid only during the call.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws.
    /// - Complexity: O(payloadLength), plus what `encode` and `body` cost.
    @inlinable @inline(__always)
    public static func withFramedRecord<Result, Failure: Error>(
        payloadLength: Int,
        encodingPayload encode: (UnsafeMutableRawBufferPointer) -> Void,
        _ body: (FramedRecord) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withUnsafeTemporaryAllocation(byteCount: payloadLength + overhead, alignment: 8) {
            record throws(Failure) -> Result in
            frame(into: record, encodingPayload: encode)
            return try body(FramedRecord(bytes: UnsafeRawBufferPointer(record)))
        }
    }

    /// Frames a payload encoded in place in `record`, memory the caller provides of exactly
    /// the record's size (payload plus `overhead`): `encode` writes the payload into the
    /// buffer it is given, and the header and footer are filled in around it.
    @inlinable @inline(__always)
    package static func frame(
        into record: UnsafeMutableRawBufferPointer, encodingPayload encode: (UnsafeMutableRawBufferPointer) -> Void
    ) {
        encode(UnsafeMutableRawBufferPointer(rebasing: record[headerSize..<record.count - footerSize]))
        frameInPlace(record)
    }

    /// Frames `payload` (copied into temporary memory) and hands the record to `body`.
    /// - Complexity: O(payload.count).
    @inlinable
    public static func withFramedRecord<Result, Failure: Error>(
        payload: UnsafeRawBufferPointer, _ body: (FramedRecord) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withFramedRecord(
            payloadLength: payload.count, encodingPayload: { $0.copyMemory(from: payload) }, body)
    }

    /// Writes the header and the footer of `record`, whose payload (`record.count - overhead`
    /// bytes at offset `headerSize`) is already in place.
    @inlinable @inline(__always)
    static func frameInPlace(_ record: UnsafeMutableRawBufferPointer) {
        let payloadLength = record.count - overhead
        let length = UInt64(payloadLength)
        record.storeBytes(of: length.littleEndian, toByteOffset: 0, as: UInt64.self)
        record.storeBytes(of: lengthChecksum(length).littleEndian, toByteOffset: 8, as: UInt32.self)
        let payload = UnsafeRawBufferPointer(rebasing: record[headerSize..<headerSize + payloadLength])
        record.storeBytes(
            of: CRC32C.maskedChecksum(payload).littleEndian, toByteOffset: headerSize + payloadLength, as: UInt32.self)
    }

    /// The masked CRC of the 8-byte length field: from a table for payloads shorter than
    /// 256 bytes (every scalar event with a tag under about 200 bytes), so a small record
    /// computes one CRC rather than two.
    @inlinable @inline(__always)
    static func lengthChecksum(_ length: UInt64) -> UInt32 {
        if length < UInt64(smallLengthChecksums.count) {
            return smallLengthChecksums.withUnsafeBufferPointer { $0[Int(truncatingIfNeeded: length)] }
        }
        return withUnsafeBytes(of: length.littleEndian) { CRC32C.maskedChecksum($0) }
    }

    @usableFromInline
    static let smallLengthChecksums: [UInt32] = (0..<256).map { length in
        withUnsafeBytes(of: UInt64(length).littleEndian) { CRC32C.maskedChecksum($0) }
    }

    /// The length of the longest prefix of `records` (concatenated framed records) that ends
    /// on a record boundary and is at most `limit` bytes. Only the length fields are read.
    public static func wholeRecordsPrefix(_ records: UnsafeRawBufferPointer, limit: Int) -> Int {
        var offset = 0
        let end = min(limit, records.count)
        while offset + headerSize <= end {
            let length = UInt64(littleEndian: records.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            guard end - offset >= overhead, length <= UInt64(end - offset - overhead) else { break }
            offset += overhead + Int(length)
        }
        return offset
    }

    /// The length of the longest prefix of `records` that ends on a record boundary and is
    /// at most `limit` bytes.
    public static func wholeRecordsPrefix(_ records: [UInt8], limit: Int) -> Int {
        records.withUnsafeBytes { wholeRecordsPrefix($0, limit: limit) }
    }
}

/// One framed record, borrowed from `RecordFraming.withFramedRecord`: valid only during the
/// call that received it. Only `RecordFraming` makes one, so its bytes are always a whole,
/// correctly framed record.
public struct FramedRecord {
    /// The record: header, payload and footer.
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The payload inside the record.
    public var payload: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[RecordFraming.headerSize..<bytes.count - RecordFraming.footerSize])
    }
}
