import SwiftProtobuf
import Testing
import TFProtos
import TFRecord
@testable import TensorBoard
import TestSupport

/// The hand-written scalar encoder must produce exactly swift-protobuf's bytes, framed
/// exactly as `RecordWriter` frames them.
struct ScalarEventEncodingTests {
    static func referencePayload(tag: String, value: Float, step: Int64, wallTime: Double, metadata: Bool) throws -> [UInt8] {
        var item = Tensorflow_Summary.Value()
        item.tag = tag
        item.simpleValue = value
        if metadata { item.metadata = PluginMetadata.make(plugin: "scalars") }
        var event = Tensorflow_Event()
        event.wallTime = wallTime
        event.step = step
        event.summary.value = [item]
        return try event.serializedBytes()
    }

    /// The framed record the writer queues for this scalar, framed as its queue frames it
    /// (`RecordFraming.frame(into:)`, through a `RecordBatch`).
    static func fastRecord(tag: String, value: Float, step: Int64, wallTime: Double, metadata: Bool) -> [UInt8] {
        let payload = ScalarEventEncoding.payload(tag: tag, value: value, step: step, wallTime: wallTime, withMetadata: metadata)
        var batch = RecordBatch()
        payload.withUnsafeBytes { bytes in batch.appendRecord(payloadLength: bytes.count) { $0.copyMemory(from: bytes) } }
        return batch.bytes
    }

    @Test(arguments: [
        ("loss", Float(0.25), Int64(7), 1_700_000_001.5),
        ("", 0, 0, 0),
        ("a/b c:[0]", -Float.infinity, -1, 1.0),
        ("ünïcode/標籤", Float.nan, Int64.max, 1e9),
        (String(repeating: "x", count: 300), Float.greatestFiniteMagnitude, 1 << 40, -5),
    ])
    func matchesSwiftProtobufAndRecordWriter(tag: String, value: Float, step: Int64, wallTime: Double) throws {
        for metadata in [false, true] {
            let reference = try Self.referencePayload(tag: tag, value: value, step: step, wallTime: wallTime, metadata: metadata)
            #expect(ScalarEventEncoding.payload(tag: tag, value: value, step: step, wallTime: wallTime, withMetadata: metadata) == reference)
            #expect(Self.fastRecord(tag: tag, value: value, step: step, wallTime: wallTime, metadata: metadata) == framedFile([reference]))
        }
    }

    /// The worker's encoding of a queued scalar (the tag's shared tail, then the event's own
    /// fields) frames the same bytes as the caller's, for tags whose lengths need one and
    /// two varint bytes, and steps and wall times of every varint length and sign.
    @Test func appendedEventFromTheSharedTailMatchesTheRecord() {
        let tags = ["l", "loss", "train/loss_000", String(repeating: "t", count: 127), String(repeating: "t", count: 128),
                    "ünïcode/標籤", String(repeating: "y", count: 20_000)]
        let steps: [Int64] = [0, 1, 127, 128, 16_383, 16_384, 1 << 35, -1, .min, .max]
        let wallTimes = [0, -0.0, 1e-300, 1_700_000_001.5, -5, .greatestFiniteMagnitude]
        for tag in tags {
            var utf8Tag = tag
            let tail = utf8Tag.withUTF8 { ScalarEventEncoding.sharedTail(tag: $0) }
            for step in steps {
                for wallTime in wallTimes {
                    let value = Float(step & 0xFFFF) * 0.5
                    var batch = RecordBatch()
                    batch.append(payload: [1, 2, 3])  // not at the batch's start
                    tail.withUnsafeBytes { tail in
                        ScalarEventEncoding.appendEvent(tail: tail, value: value, step: step, wallTime: wallTime, to: &batch)
                    }
                    let expected = framedFile([[1, 2, 3]])
                        + Self.fastRecord(tag: tag, value: value, step: step, wallTime: wallTime, metadata: false)
                    #expect(batch.bytes == expected, "tag of \(tag.utf8.count) bytes, step \(step), wall time \(wallTime)")
                    #expect(batch.count == 2)
                }
            }
        }
    }

    @Test func formatVectorPayload() {
        let payload = hexBytes("09 00 00 60 40 fc 54 d9 41 10 07 2a 0d 0a 0b 0a 04 6c 6f 73 73 15 00 00 80 3e")
        #expect(ScalarEventEncoding.payload(tag: "loss", value: 0.25, step: 7, wallTime: 1_700_000_001.5, withMetadata: false) == payload)
        #expect(Self.fastRecord(tag: "loss", value: 0.25, step: 7, wallTime: 1_700_000_001.5, metadata: false)
            == hexBytes("1a00000000000000 129bd82d") + payload + hexBytes("bf9017bf"))
    }

    @Test func laterEventsOfATagAreAtMost44Bytes() throws {
        #expect(Self.fastRecord(tag: "loss", value: 1, step: 999_999, wallTime: 1_700_000_000.123, metadata: false).count <= 44)
    }
}
