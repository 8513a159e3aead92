/// Reads TFRecord-framed records from a file or from memory, checking both checksums of
/// every record.
///
/// The reader tells a truncated tail (`RecordError.truncated`, which a writer that is still
/// appending also produces) from damage (`.corruptedLength`, `.corruptedData`), each with the
/// byte offset of the record. After a `.truncated` error the reader stays at that record,
/// so calling `next` again once more bytes were appended picks the record up.
///
/// Memory: the reader holds one buffer of at most the file's size (1 MiB or the largest
/// record, whichever is larger); a damaged length field never makes it allocate more than
/// the file holds.
public final class RecordReader {
    /// The file being read, or `"<memory>"`.
    public let path: String
    /// When false, payload checksums are not computed (length checksums always are).
    @exclusivity(unchecked) public var verifiesPayloadChecksums = true
    /// Byte offset of the next record.
    ///
    /// The reading state is exempt from run-time exclusivity checks: they cost more than the
    /// rest of a small record's framing, and a reader (not `Sendable`) never hands out an
    /// inout access to them.
    @exclusivity(unchecked) public private(set) var offset = 0

    private let file: PosixFile?
    @exclusivity(unchecked) private var buffer: UnsafeMutableRawBufferPointer
    @exclusivity(unchecked) private var bufferStart = 0  // file offset of buffer[0]
    @exclusivity(unchecked) private var bufferEnd = 0  // number of valid bytes in buffer

    private static let preferredBufferSize = 1 << 20

    /// Opens the file at `path`.
    /// - Throws: `RecordError.io` if it cannot be opened.
    public init(path: String) throws(RecordError) {
        do {
            let file = try PosixFile.openForReading(path)
            let size = try file.size()
            self.file = file
            self.path = path
            let capacity = max(RecordFraming.headerSize, min(size, Self.preferredBufferSize))
            buffer = .allocate(byteCount: capacity, alignment: 16)
        } catch {
            throw .io(error)
        }
    }

    /// Reads records from `bytes`.
    public init(bytes: [UInt8]) {
        file = nil
        path = "<memory>"
        buffer = .allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        bufferEnd = bytes.count
    }

    deinit {
        buffer.deallocate()
    }

    /// The next record's payload, or nil at a clean end of the data.
    ///
    /// The view is valid only until the next call on this reader.
    /// - Throws: `RecordError` naming the offset of a truncated or damaged record.
    public func nextPayload() throws(RecordError) -> UnsafeRawBufferPointer? {
        let position = offset - bufferStart
        if bufferEnd - position < RecordFraming.headerSize {
            let available = try fill(from: position, wanting: RecordFraming.headerSize)
            if available == 0 { return nil }
            if available < RecordFraming.headerSize {
                throw .truncated(offset: offset, needed: RecordFraming.headerSize, available: available)
            }
        }
        var start = offset - bufferStart
        let header = UnsafeRawBufferPointer(rebasing: buffer[start..<start + 8])
        let length = UInt64(littleEndian: header.loadUnaligned(as: UInt64.self))
        let storedLengthCRC = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: start + 8, as: UInt32.self))
        let buffered = bufferEnd - start
        if verifiesPayloadChecksums, buffered >= RecordFraming.overhead, length <= UInt64(buffered - RecordFraming.overhead) {
            // The whole record is buffered (if its length is right): both checksums in one
            // call, the length's still checked first.
            return try checkedPayload(at: start, length: Int(length), storedLengthCRC: storedLengthCRC)
        }
        guard CRC32C.maskedChecksum(header) == storedLengthCRC else {
            throw .corruptedLength(offset: offset)
        }
        guard length <= UInt64(Int.max - RecordFraming.overhead) else {
            throw .truncated(offset: offset, needed: Int.max, available: bufferEnd - start)
        }
        let total = Int(length) + RecordFraming.overhead
        if bufferEnd - start < total {
            let available = try fill(from: start, wanting: total)
            if available < total {
                throw .truncated(offset: offset, needed: total, available: available)
            }
            start = offset - bufferStart
        }
        let payload = UnsafeRawBufferPointer(
            rebasing: buffer[start + RecordFraming.headerSize..<start + total - 4])
        if verifiesPayloadChecksums {
            let stored = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: start + total - 4, as: UInt32.self))
            guard CRC32C.maskedChecksum(payload) == stored else {
                throw .corruptedData(offset: offset, length: Int(length))
            }
        }
        offset += total
        return payload
    }

    /// The payload of the record at buffer index `start`, wholly buffered, once both of
    /// its checksums match, and moves past it.
    @inline(__always)
    private func checkedPayload(at start: Int, length: Int, storedLengthCRC: UInt32) throws(RecordError) -> UnsafeRawBufferPointer {
        let total = length + RecordFraming.overhead
        let header = UnsafeRawBufferPointer(rebasing: buffer[start..<start + 8])
        let payload = UnsafeRawBufferPointer(rebasing: buffer[start + RecordFraming.headerSize..<start + total - 4])
        let (lengthCRC, payloadCRC) = CRC32C.maskedChecksums(header, payload)
        guard lengthCRC == storedLengthCRC else {
            throw .corruptedLength(offset: offset)
        }
        let stored = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: start + total - 4, as: UInt32.self))
        guard payloadCRC == stored else {
            throw .corruptedData(offset: offset, length: length)
        }
        offset += total
        return payload
    }

    /// The next record's payload as an array, or nil at a clean end of the data.
    /// - Throws: `RecordError` naming the offset of a truncated or damaged record.
    public func next() throws(RecordError) -> [UInt8]? {
        guard let payload = try nextPayload() else { return nil }
        return Array(payload)
    }

    /// Makes at least `wanted` bytes starting at buffer index `position` available if the
    /// file has them, and returns how many are available from there.
    private func fill(from position: Int, wanting wanted: Int) throws(RecordError) -> Int {
        guard let file else { return bufferEnd - position }
        do {
            // Never allocate more than the file holds, whatever a length field claims.
            let fileSize = try file.size()
            let inFile = fileSize - (bufferStart + position)
            let target = min(wanted, max(inFile, 0))
            if target > buffer.count {
                let larger = UnsafeMutableRawBufferPointer.allocate(
                    byteCount: max(target, min(fileSize, Self.preferredBufferSize)), alignment: 16)
                larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[position..<bufferEnd]))
                buffer.deallocate()
                buffer = larger
            } else if position > 0 {
                let kept = bufferEnd - position
                if kept > 0 {
                    UnsafeMutableRawBufferPointer(rebasing: buffer[0..<kept])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[position..<bufferEnd]))
                }
            }
            bufferEnd -= position
            bufferStart += position
            try file.seek(to: bufferStart + bufferEnd)
            while bufferEnd < target {
                let count = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[bufferEnd...]))
                if count == 0 { break }
                bufferEnd += count
            }
            return bufferEnd
        } catch {
            throw .io(error)
        }
    }
}
