import Foundation
import Testing
import TFRecord
import TestSupport

struct RecordWriterTests {
    @Test func recordIsLengthPlusSixteen() throws {
        for size in [0, 1, 24, 1000] {
            let sink = MemorySink()
            try RecordWriter(sink: sink).write([UInt8](repeating: 7, count: size))
            #expect(sink.bytes.count == 8 + 4 + size + 4)
        }
    }

    @Test func emptyRecordBytes() {
        #expect(framedFile([[]]) == hexBytes("0000000000000000 29039807 d8ea82a2"))
    }

    /// FORMAT.md §1: the first record of a file, as tensorboard's RecordWriter writes it.
    @Test func fileVersionRecordMatchesFormatVector() {
        let payload = hexBytes("09 00 00 00 40 fc 54 d9 41 1a 0d 62 72 61 69 6e 2e 45 76 65 6e 74 3a 32")
        let expected = hexBytes("18 00 00 00 00 00 00 00 a3 7f 4b 22") + payload + hexBytes("ec ed 8f 9d")
        #expect(framedFile([payload]) == expected)
    }

    @Test func scalarRecordMatchesFormatVector() {
        let payload = hexBytes("09 00 00 60 40 fc 54 d9 41 10 07 2a 0d 0a 0b 0a 04 6c 6f 73 73 15 00 00 80 3e")
        #expect(framedFile([payload]) == hexBytes("1a00000000000000 129bd82d") + payload + hexBytes("bf9017bf"))
    }

    @Test func fiftyRecordsRoundTrip() throws {
        let sink = MemorySink()
        let writer = RecordWriter(sink: sink)
        let payloads = (0..<50).map { index in [UInt8](repeating: UInt8(index), count: index * 3) }
        for payload in payloads { try writer.write(payload) }
        let reader = RecordReader(bytes: sink.bytes)
        var read: [[UInt8]] = []
        while let payload = try reader.next() { read.append(payload) }
        #expect(read == payloads)
        #expect(writer.recordsWritten == 50 && writer.bytesWritten == sink.bytes.count)
    }

    @Test func writeAfterCloseFails() throws {
        let sink = MemorySink()
        let writer = RecordWriter(sink: sink)
        try writer.close()
        #expect(throws: RecordError.closed) { try writer.write([1]) }
    }

    /// The three ways to frame (a writer's single record, a batch, a record encoded in
    /// place) give the same bytes, across the small lengths whose length CRC comes from a
    /// table and the larger ones computed on the spot.
    @Test func everyFramingPathGivesTheSameBytes() throws {
        for size in [0, 1, 7, 44, 255, 256, 257, 4096, 70_000] {
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ size) }
            let single = framedFile([payload])
            let batched = RecordBatch(payloads: [payload]).bytes
            let inPlace = RecordFraming.withFramedRecord(payloadLength: size, encodingPayload: { buffer in
                payload.withUnsafeBytes { buffer.copyMemory(from: $0) }
            }) { record in (Array(record.bytes), Array(record.payload)) }
            var appended = RecordBatch()
            payload.withUnsafeBytes { bytes in RecordFraming.withFramedRecord(payload: bytes) { appended.append($0) } }
            #expect(batched == single, "size \(size)")
            #expect(inPlace.0 == single, "size \(size)")
            #expect(inPlace.1 == payload, "size \(size)")
            #expect(appended.bytes == single, "size \(size)")
            #expect(try RecordReader(bytes: single).next() == payload)
        }
    }

    /// A batch reaches the sink in one write, holding every record in order.
    @Test func aBatchIsOneSinkWrite() throws {
        let sink = CountingSink()
        let writer = RecordWriter(sink: sink)
        let payloads = (0..<100).map { [UInt8](repeating: UInt8($0), count: $0) }
        var batch = RecordBatch(payloads: payloads)
        #expect(batch.count == 100)
        try writer.write(batch)
        #expect(sink.writes == [batch.bytes])
        batch.removeAll()
        #expect(batch.isEmpty && batch.bytes.isEmpty)
        try writer.write(batch)  // an empty batch writes nothing
        #expect(sink.writes.count == 1)
        #expect(framedFile(payloads) == sink.writes[0])
    }

    /// A batch emptied and refilled writes in the room it kept: what it held before never
    /// shows, whichever way the new records are appended, and appending one batch to
    /// another copies its records only.
    @Test func aRefilledBatchHoldsOnlyItsNewRecords() throws {
        var batch = RecordBatch(payloads: (0..<50).map { [UInt8](repeating: 0xEE, count: 100 + $0) })
        batch.removeAll()
        batch.append(payload: [1, 2])
        [UInt8]([3, 4, 5]).withUnsafeBytes { bytes in batch.appendRecord(payloadLength: 3) { $0.copyMemory(from: bytes) } }
        framedFile([[6, 7, 8]]).withUnsafeBytes { record in
            batch.appendFramedRecord(UnsafeRawBufferPointer(rebasing: record[..<5]), UnsafeRawBufferPointer(rebasing: record[5...]))
        }
        #expect(batch.count == 3 && batch.bytes == framedFile([[1, 2], [3, 4, 5], [6, 7, 8]]))
        #expect(batch.byteCount == batch.bytes.count)
        var other = RecordBatch(payloads: [[9]])
        other.append(contentsOf: batch)
        #expect(other.count == 4 && other.bytes == framedFile([[9], [1, 2], [3, 4, 5], [6, 7, 8]]))
        let sink = CountingSink()
        try RecordWriter(sink: sink).write(batch)
        #expect(sink.writes == [batch.bytes])
    }

    /// The file sink: records written through a `RecordWriter` over a `PosixFile` read back.
    @Test func fileSinkRoundTrip() throws {
        let path = makeTemporaryDirectory("record-file") + "/records.tfrecord"
        let writer = RecordWriter(sink: try PosixFile.openForWriting(path))
        try writer.write([1, 2, 3])
        try writer.write(RecordBatch(payloads: [[4], [5, 6]]))
        try writer.synchronize()
        try writer.close()
        #expect(try readFileBytes(path) == framedFile([[1, 2, 3], [4], [5, 6]]))
    }

    /// `PosixFile` is `Sendable` for real: writers on many threads over one file take turns,
    /// and every record arrives whole, each thread's in order.
    @Test func fileSinkTakesWritesFromManyThreads() throws {
        let path = makeTemporaryDirectory("record-threads") + "/records.tfrecord"
        let file = try PosixFile.openForWriting(path)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            let writer = RecordWriter(sink: file)
            for index in 0..<300 { try? writer.write([UInt8](repeating: UInt8(thread), count: 1 + index % 50) + [UInt8(index % 256)]) }
        }
        try file.close()
        #expect(file.isClosed)
        let reader = try RecordReader(path: path)
        var perThread = [[UInt8]](repeating: [], count: 8)
        while let payload = try reader.next() { perThread[Int(payload[0])].append(payload[payload.count - 1]) }
        for thread in 0..<8 { #expect(perThread[thread] == (0..<300).map { UInt8($0 % 256) }) }
    }

    /// An `AtomicFile` sink holds the records back until `close()` commits them.
    @Test func atomicFileSinkCommitsOnClose() throws {
        let path = makeTemporaryDirectory("record-atomic") + "/records.tfrecord"
        try writeFileBytes([9, 9], to: path)
        let writer = RecordWriter(sink: try AtomicFile(replacing: path))
        try writer.write([1, 2])
        #expect(try readFileBytes(path) == [9, 9])
        try writer.close()
        #expect(try readFileBytes(path) == framedFile([[1, 2]]))
    }

    /// `MemorySink` is `Sendable` for real: writes from many threads all arrive, whole.
    @Test func memorySinkTakesWritesFromManyThreads() throws {
        let sink = MemorySink()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            let writer = RecordWriter(sink: sink)
            for index in 0..<500 { try? writer.write([UInt8(thread), UInt8(truncatingIfNeeded: index)]) }
        }
        let reader = RecordReader(bytes: sink.bytes)
        var perThread = [[UInt8]](repeating: [], count: 8)
        while let payload = try reader.next() { perThread[Int(payload[0])].append(payload[1]) }
        for thread in 0..<8 { #expect(perThread[thread] == (0..<500).map { UInt8(truncatingIfNeeded: $0) }) }
    }
}

/// Keeps each `writeAll` separately.
final class CountingSink: RecordSink {
    var writes: [[UInt8]] = []
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws(RecordError) { writes.append(Array(bytes)) }
    func synchronize() throws(RecordError) {}
    func close() throws(RecordError) {}
}

struct WholeRecordsPrefixTests {
    @Test func prefixEndsOnARecordBoundary() {
        let records = framedFile([[1, 2, 3], [4], []])  // 19, 17, 16 bytes
        #expect(RecordFraming.wholeRecordsPrefix(records, limit: 0) == 0)
        #expect(RecordFraming.wholeRecordsPrefix(records, limit: 18) == 0)
        #expect(RecordFraming.wholeRecordsPrefix(records, limit: 19) == 19)
        #expect(RecordFraming.wholeRecordsPrefix(records, limit: 40) == 36)
        #expect(RecordFraming.wholeRecordsPrefix(records, limit: records.count) == 52)
        // A limit past the end never counts a record the bytes do not hold.
        #expect(RecordFraming.wholeRecordsPrefix(Array(records[..<40]), limit: 1000) == 36)
    }
}
