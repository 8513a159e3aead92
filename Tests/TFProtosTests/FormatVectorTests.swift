import Foundation
import SwiftProtobuf
import Testing
import TFProtos
import TestSupport

/// Decodes every payload vector of FORMAT.md §1 and §6 with the generated types, and
/// re-encodes them to the same bytes.
struct FormatVectorTests {
    @Test func fileVersionEvent() throws {
        let bytes = hexBytes("09 00 00 00 40 fc 54 d9 41 1a 0d 62 72 61 69 6e 2e 45 76 65 6e 74 3a 32")
        let event = try Tensorflow_Event(serializedBytes: bytes)
        #expect(event.wallTime == 1_700_000_000.0)
        #expect(event.fileVersion == "brain.Event:2")
        #expect(try event.serializedBytes() == bytes)
    }

    @Test func simpleValueEvent() throws {
        let bytes = hexBytes("09 00 00 60 40 fc 54 d9 41 10 07 2a 0d 0a 0b 0a 04 6c 6f 73 73 15 00 00 80 3e")
        let event = try Tensorflow_Event(serializedBytes: bytes)
        #expect(event.wallTime == 1_700_000_001.5)
        #expect(event.step == 7)
        #expect(event.summary.value[0].tag == "loss")
        #expect(event.summary.value[0].simpleValue == 0.25)
        #expect(try event.serializedBytes() == bytes)
    }

    @Test func tensorScalarEvent() throws {
        let bytes = hexBytes(
            "09 00 00 60 40 fc 54 d9 41 10 07 2a 1f 0a 1d 0a 04 6c 6f 73 73 42 08 08 01 2a 04 00 00 80 3e "
                + "4a 0b 0a 09 0a 07 73 63 61 6c 61 72 73")
        let event = try Tensorflow_Event(serializedBytes: bytes)
        let value = event.summary.value[0]
        #expect(value.tensor.dtype == .dtFloat)
        #expect(value.tensor.floatVal == [0.25])
        #expect(value.tensor.tensorShape.dim.isEmpty)
        #expect(value.metadata.pluginData.pluginName == "scalars")
        #expect(value.metadata.pluginData.content.isEmpty)
    }

    @Test func bundleHeaderAndEntries() throws {
        let header = try Tensorflow_BundleHeaderProto(serializedBytes: hexBytes("08 01 1a 02 08 01"))
        #expect(header.numShards == 1)
        #expect(header.endianness == .little)
        #expect(header.version.producer == 1)

        let step = try Tensorflow_BundleEntryProto(serializedBytes: hexBytes("08 09 12 00 28 08 35 ea b2 04 3e"))
        #expect(step.dtype == .dtInt64)
        #expect(step.hasShape && step.shape.dim.isEmpty)
        #expect(step.size == 8)
        #expect(step.crc32C == 0x3E04_B2EA)

        let weights = try Tensorflow_BundleEntryProto(
            serializedBytes: hexBytes("08 01 12 04 12 02 08 02 20 08 28 08 35 59 3c e5 35"))
        #expect(weights.dtype == .dtFloat)
        #expect(weights.shape.dim.map(\.size) == [2])
        #expect(weights.offset == 8)
        #expect(weights.size == 8)
        #expect(weights.crc32C == 0x35E5_3C59)
        #expect(try weights.serializedBytes() == hexBytes("08 01 12 04 12 02 08 02 20 08 28 08 35 59 3c e5 35"))
    }

    @Test func checkpointStateTextFormat() throws {
        let text = """
            model_checkpoint_path: "ckpt-3"
            all_model_checkpoint_paths: "ckpt-2"
            all_model_checkpoint_paths: "ckpt-3"
            all_model_checkpoint_timestamps: 1795932931.2745442
            all_model_checkpoint_timestamps: 1795932931.286276
            last_preserved_timestamp: 1795932930.15389
            """
        let state = try Tensorflow_CheckpointState(textFormatString: text)
        #expect(state.modelCheckpointPath == "ckpt-3")
        #expect(state.allModelCheckpointPaths == ["ckpt-2", "ckpt-3"])
        #expect(state.allModelCheckpointTimestamps.count == 2)
    }

    @Test func graphDefFieldNumbers() throws {
        var node = Tensorflow_NodeDef()
        node.name = "a"
        node.op = "Const"
        node.input = ["^b"]
        var attr = Tensorflow_AttrValue()
        attr.type = .dtFloat
        node.attr["dtype"] = attr
        var graph = Tensorflow_GraphDef()
        graph.node = [node]
        graph.versions.producer = 27
        // node(1){name(1) "a", op(2) "Const", input(3) "^b", attr(5){key "dtype", value{type(6) 1}}},
        // versions(4){producer 27}
        let expected = hexBytes(
            "0a 1b 0a 01 61 12 05 43 6f 6e 73 74 1a 02 5e 62 2a 0b 0a 05 64 74 79 70 65 12 02 30 01 22 02 08 1b")
        #expect(try graph.serializedBytes() == expected)
    }
}
