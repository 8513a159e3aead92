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

    /// The framed record the writer queues for this scalar.
    static func fastRecord(tag: String, value: Float, step: Int64, wallTime: Double, metadata: Bool) -> [UInt8] {
        var tag = tag
        return tag.withUTF8 { utf8 in
            ScalarEventEncoding.withRecord(tag: utf8, value: value, step: step, wallTime: wallTime, withMetadata: metadata) {
                Array($0.bytes)
            }
        }
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
