import Foundation
import Testing
import TFRecord
import TestSupport

struct RecordReaderTests {
    static let payloads: [[UInt8]] = [Array("first".utf8), Array("second record".utf8), Array("third!".utf8)]

    /// Byte offsets of the records in `framedFile(payloads)`.
    static var offsets: [Int] {
        var result: [Int] = []
        var offset = 0
        for payload in payloads {
            result.append(offset)
            offset += payload.count + 16
        }
        return result
    }

    static func readAll(_ bytes: [UInt8]) throws(RecordError) -> [[UInt8]] {
        let reader = RecordReader(bytes: bytes)
        var out: [[UInt8]] = []
        while let payload = try reader.next() { out.append(payload) }
        return out
    }

    @Test func cleanFileReadsEveryRecord() throws {
        #expect(try Self.readAll(framedFile(Self.payloads)) == Self.payloads)
        #expect(try Self.readAll([]) == [])
    }

    /// A flipped byte in each region of the middle record gives the right error and offset.
    @Test(arguments: [
        ("length", 0), ("length", 7), ("length CRC", 8), ("length CRC", 11),
        ("payload", 12), ("payload", 24), ("payload CRC", 25), ("payload CRC", 28),
    ])
    func flippedByteIsFound(region: String, at index: Int) throws {
        var bytes = framedFile(Self.payloads)
        let start = Self.offsets[1]
        bytes[start + index] ^= 0x40
        let expected: RecordError =
            index < 12
            ? .corruptedLength(offset: start)
            : .corruptedData(offset: start, length: Self.payloads[1].count)
        #expect(throws: expected) { try Self.readAll(bytes) }
    }

    /// A damaged length that still ends inside the data (shorter, or longer by less than
    /// what follows) is a damaged length, not a damaged payload.
    @Test(arguments: [-1, -13, 1, 5])
    func lengthDamagedWithinTheDataIsCorruptedLength(change: Int) throws {
        var bytes = framedFile(Self.payloads)
        let start = Self.offsets[1]
        bytes[start] = UInt8(Self.payloads[1].count + change)
        #expect(throws: RecordError.corruptedLength(offset: start)) { try Self.readAll(bytes) }
    }

    @Test func truncationAtEveryOffsetOfTheLastRecordIsATruncatedTail() throws {
        let bytes = framedFile(Self.payloads)
        let last = Self.offsets[2]
        for cut in (last + 1)..<bytes.count {
            let truncated = Array(bytes[..<cut])
            let needed = cut - last < 12 ? 12 : Self.payloads[2].count + 16
            #expect(throws: RecordError.truncated(offset: last, needed: needed, available: cut - last)) {
                try Self.readAll(truncated)
            }
        }
        #expect(try Self.readAll(Array(bytes[..<last])) == Array(Self.payloads[0..<2]))
    }

    @Test func hugeLengthDoesNotAllocateAndIsReportedAsTruncated() throws {
        // A length field claiming 2^60 bytes with a valid length checksum.
        let length = UInt64(1) << 60
        var bytes: [UInt8] = withUnsafeBytes(of: length.littleEndian) { Array($0) }
        let crc = bytes.withUnsafeBytes { CRC32C.maskedChecksum($0) }
        withUnsafeBytes(of: crc.littleEndian) { bytes += $0 }
        bytes += [1, 2, 3]
        let directory = makeTemporaryDirectory("huge")
        let path = directory + "/records"
        try writeFileBytes(bytes, to: path)
        let reader = try RecordReader(path: path)
        #expect(throws: RecordError.truncated(offset: 0, needed: Int(length) + 16, available: 15)) {
            try reader.next()
        }
    }

    @Test func readerPicksUpARecordCompletedLater() throws {
        let directory = makeTemporaryDirectory("tail")
        let path = directory + "/records"
        let bytes = framedFile(Self.payloads)
        let split = Self.offsets[2] + 5
        try writeFileBytes(Array(bytes[..<split]), to: path)
        let reader = try RecordReader(path: path)
        #expect(try reader.next() == Self.payloads[0])
        #expect(try reader.next() == Self.payloads[1])
        #expect(throws: RecordError.self) { try reader.next() }
        let handle = try PosixFile.openForWriting(path, exclusive: false, append: true)
        try handle.writeAll(Array(bytes[split...]))
        try handle.close()
        #expect(try reader.next() == Self.payloads[2])
        #expect(try reader.next() == nil)
    }

    @Test func largeRecordsThroughTheFileBuffer() throws {
        let directory = makeTemporaryDirectory("large")
        let path = directory + "/records"
        let payloads = [[UInt8](repeating: 1, count: 3 << 20), [2, 3], [UInt8](repeating: 4, count: 1 << 20)]
        try writeFileBytes(framedFile(payloads), to: path)
        let reader = try RecordReader(path: path)
        var read: [[UInt8]] = []
        while let payload = try reader.next() { read.append(payload) }
        #expect(read == payloads)
    }

    @Test func missingFileIsAnIOError() {
        #expect {
            _ = try RecordReader(path: "/nonexistent/file")
        } throws: { error in
            guard case .io(let io) = error as? RecordError else { return false }
            return io.operation == "open" && io.path == "/nonexistent/file"
        }
    }
}
