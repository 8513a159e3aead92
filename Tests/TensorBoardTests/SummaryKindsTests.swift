import Foundation
import SwiftProtobuf
import Testing
@testable import TensorBoard
import TFProtos
import TestSupport

/// Sub-run scalars, meshes, custom scalar layouts and embeddings as their plugins read them.
struct SummaryKindsTests {
    @Test func scalarsGoToOneSubRunPerKeyClosedWithTheWriter() throws {
        let writer = try makeWriter()
        for step in 0..<3 {
            try writer.add(scalars: ["train": Float(step), "eval": Float(step) / 2], mainTag: "loss", step: step)
        }
        try writer.flush()
        #expect(try RunReader(path: writer.logDirectory + "/loss/train").scalars(tag: "loss").map(\.value) == [0, 1, 2])
        try writer.close()
        #expect(try RunReader(path: writer.logDirectory + "/loss/eval").scalars(tag: "loss").map(\.value) == [0, 0.5, 1])
        #expect(try EventFileReader.eventFiles(inRun: writer.logDirectory + "/loss/train").count == 1)
        #expect(throws: SummaryWriterError.self) { try writer.add(scalars: ["train": 1], mainTag: "loss", step: 4) }
        #expect(throws: SummaryWriterError.self) { try makeWriter().add(scalars: ["..": 1], mainTag: "loss", step: 0) }
        #expect(throws: SummaryWriterError.self) { try makeWriter().add(scalars: ["a": 1], mainTag: "/abs", step: 0) }
    }

    @Test func aMeshIsThreeTaggedTensorsNamingTheMesh() throws {
        let writer = try makeWriter()
        try writer.add(mesh: [0, 0, 0, 1, 0, 0, 0, 1, 0], faces: [0, 1, 2], colors: [1, 2, 3, 4, 5, 6, 7, 8, 9], tag: "tri", step: 1)
        #expect(throws: SummaryWriterError.self) { try writer.add(mesh: [0, 0, 0], faces: [0, 0, 1], tag: "bad", step: 1) }
        try writer.close()
        let values = try #require(try summaryEvents(of: writer).first?.event().summary.value)
        #expect(values.map(\.tag) == ["tri_VERTEX", "tri_FACE", "tri_COLOR"])
        #expect(values.map(\.tensor.dtype) == [.dtFloat, .dtInt32, .dtUint8])
        for (index, value) in values.enumerated() {
            let data = try Tensorboard_Mesh_MeshPluginData(serializedBytes: [UInt8](value.metadata.pluginData.content))
            #expect(data.name == "tri" && data.contentType.rawValue == index + 1 && data.components == 14)
            #expect(data.shape == [[1, 3, 3], [1, 1, 3], [1, 3, 3]][index] && data.jsonConfig == "{}")
        }
        #expect([UInt8](values[2].tensor.tensorContent) == [1, 2, 3, 4, 5, 6, 7, 8, 9])
    }

    @Test func aCustomScalarsLayoutIsASerializedLayoutUnderTheFixedTag() throws {
        let writer = try makeWriter()
        let layout = CustomScalarsLayout(categories: [
            .init(title: "losses", charts: [
                .multiline(title: "all", tags: ["loss.*"]),
                .margin(title: "band", series: [.init(value: "m", lower: "lo", upper: "hi")]),
            ], closed: true)
        ])
        try writer.add(customScalarsLayout: layout)
        #expect(throws: SummaryWriterError.self) { try writer.add(customScalarsLayout: .init(categories: [])) }
        try writer.close()
        let value = try #require(try summaryEvents(of: writer).first?.event().summary.value.first)
        #expect(value.tag == "custom_scalars__config__" && value.metadata.pluginData.pluginName == "custom_scalars")
        let proto = try Tensorboard_Layout(serializedBytes: [UInt8](value.tensor.stringVal[0]))
        #expect(proto.category[0].title == "losses" && proto.category[0].closed)
        #expect(proto.category[0].chart[0].multiline.tag == ["loss.*"])
        #expect(proto.category[0].chart[1].margin.series[0].upper == "hi")
    }

    @Test func embeddingsAreFilesListedInTheProjectorConfig() throws {
        let writer = try makeWriter()
        let thumbnails = try ImageBatch(pixels: [UInt8](repeating: 9, count: 3 * 4), count: 3, width: 2, height: 2, channels: 1)
        try writer.add(embedding: [[1, 0.5], [0, -2], [0.25, 3]], metadata: ["a", "b", "c"], labelImages: thumbnails, tag: "w/x", step: 7)
        try writer.add(embedding: [[1]], tag: "w/x", step: 8)
        #expect(throws: ProjectorError.self) { try writer.add(embedding: [[1]], tag: "w/x", step: 8) }
        #expect(throws: SummaryWriterError.self) { try writer.add(embedding: [[1, 2], [3]], tag: "r") }
        try writer.close()
        let run = writer.logDirectory
        let config = try Tensorboard_Projector_ProjectorConfig(
            textFormatString: String(contentsOfFile: run + "/projector_config.pbtxt", encoding: .utf8))
        #expect(config.embeddings.map(\.tensorName) == ["w/x:00007", "w/x:00008"])
        let first = config.embeddings[0]
        #expect(first.tensorPath == "00007/w%2fx/tensors.tsv" && first.tensorShape == [3, 2])
        #expect(try String(contentsOfFile: run + "/" + first.tensorPath, encoding: .utf8) == "1.0\t0.5\n0.0\t-2.0\n0.25\t3.0\n")
        #expect(try String(contentsOfFile: run + "/" + first.metadataPath, encoding: .utf8) == "a\nb\nc\n")
        #expect(first.sprite.singleImageDim == [2, 2])
        let sprite = try ImageHeader.read(readFileBytes(run + "/" + first.sprite.imagePath))
        #expect(sprite.width == 4 && sprite.height == 4)  // 2 columns (ceil(sqrt(3))), 2 rows
        #expect(ProjectorFiles.escaped("..") == "%2e%2e")
    }
}
