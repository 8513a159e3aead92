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
        #expect(RecordFraming.framed([]) == hexBytes("0000000000000000 29039807 d8ea82a2"))
    }

    /// FORMAT.md §1: the first record of a file, as tensorboard's RecordWriter writes it.
    @Test func fileVersionRecordMatchesFormatVector() {
        let payload = hexBytes("09 00 00 00 40 fc 54 d9 41 1a 0d 62 72 61 69 6e 2e 45 76 65 6e 74 3a 32")
        let expected = hexBytes("18 00 00 00 00 00 00 00 a3 7f 4b 22") + payload + hexBytes("ec ed 8f 9d")
        #expect(RecordFraming.framed(payload) == expected)
    }

    @Test func scalarRecordMatchesFormatVector() {
        let payload = hexBytes("09 00 00 60 40 fc 54 d9 41 10 07 2a 0d 0a 0b 0a 04 6c 6f 73 73 15 00 00 80 3e")
        #expect(RecordFraming.framed(payload) == hexBytes("1a00000000000000 129bd82d") + payload + hexBytes("bf9017bf"))
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
    }

    @Test func writeAfterCloseFails() throws {
        let sink = MemorySink()
        let writer = RecordWriter(sink: sink)
        try writer.close()
        #expect(throws: RecordError.closed) { try writer.write([1]) }
    }
}

struct WholeRecordsPrefixTests {
    @Test func prefixEndsOnARecordBoundary() {
        let records = framedFile([[1, 2, 3], [4], []])  // 19, 17, 16 bytes
        #expect(RecordFraming.wholeRecordsPrefix(records, limit: 0) == 0)
        #expect(RecordFraming.wholeRecordsPrefix(records, limit: 18) == 0)
        #expect(RecordFraming.wholeRecordsPrefix(records, limit: 19) == 19)
        #expect(RecordFraming.wholeRecordsPrefix(records, limit: 40) == 36)
        #expect(RecordFraming.wholeRecordsPrefix(records, limit: records.count) == 52)
    }
}
