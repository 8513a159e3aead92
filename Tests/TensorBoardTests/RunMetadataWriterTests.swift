import Foundation
import Testing
import TFProtos
@testable import TensorBoard
import TestSupport

/// `SummaryWriter.add(runMetadata:tag:step:)` writes TensorFlow's tagged run metadata event.
struct RunMetadataWriterTests {
    @Test func runMetadataIsWrittenAsATaggedEvent() throws {
        var node = Tensorflow_NodeExecStats()
        node.nodeName = "layer1/Wx_plus_b/MatMul"
        node.allStartMicros = 1_700_000_000_000_000
        node.allEndRelMicros = 42
        var device = Tensorflow_DeviceStepStats()
        device.device = "/job:localhost/replica:0/task:0/device:CPU:0"
        device.nodeStats = [node]
        var metadata = Tensorflow_RunMetadata()
        metadata.stepStats.devStats = [device]

        let writer = try SummaryWriter(logDirectory: makeTemporaryDirectory("run-metadata"), environment: fixedEnvironment)
        try writer.add(runMetadata: metadata, tag: "step099", step: 99)
        #expect(throws: SummaryWriterError.self) { try writer.add(runMetadata: metadata, tag: "") }
        #expect(throws: SummaryWriterError.self) { try writer.add(serializedRunMetadata: [0xFF, 0xFF], tag: "step199") }
        try writer.close()

        let reader = try EventFileReader(path: writer.filePath)
        var tagged: [Tensorflow_Event] = []
        while let record = try reader.next() {
            let event = try record.event()
            if case .taggedRunMetadata = event.what { tagged.append(event) }
        }
        #expect(tagged.count == 1)
        #expect(tagged.first?.step == 99 && tagged.first?.taggedRunMetadata.tag == "step099")
        let decoded = try Tensorflow_RunMetadata(serializedBytes: tagged.first?.taggedRunMetadata.runMetadata ?? Data())
        #expect(decoded == metadata)
    }
}
