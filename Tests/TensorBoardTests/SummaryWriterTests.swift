import Foundation
import Testing
import TFProtos
import TFRecord
@testable import TensorBoard
import TestSupport

struct SummaryWriterTests {
    @Test func fileNameAndFirstRecord() throws {
        let writer = try makeWriter()
        try writer.close()
        let name = (writer.filePath as NSString).lastPathComponent
        #expect(name.hasPrefix("events.out.tfevents.1700000000.testhost.42."))
        let events = try EventFileReader(path: writer.filePath).readAll()
        #expect(events.count == 1)
        #expect(events[0].decoded.fileVersion == "brain.Event:2")
        #expect(events[0].decoded.wallTime == 1_700_000_000)
        #expect(events[0].decoded.sourceMetadata.writer == SummaryWriter.sourceName)
    }

    @Test func twoWritersNeverShareAFile() throws {
        let directory = makeTemporaryDirectory("two")
        let a = try SummaryWriter(logDirectory: directory, environment: fixedEnvironment)
        let b = try SummaryWriter(logDirectory: directory, environment: fixedEnvironment)
        #expect(a.filePath != b.filePath)
        try a.close()
        try b.close()
        #expect(try EventFileReader.eventFiles(inRun: directory).count == 2)
    }

    @Test func scalarsRoundTripWithMetadataOnlyOnEachTagsFirstValue() throws {
        let writer = try makeWriter()
        for step in 0..<3 {
            try writer.add(scalar: Float(step) * 0.5, tag: "loss", step: step)
            try writer.add(scalar: Double(step), tag: "accuracy", step: step, wallTime: 1234.5)
        }
        try writer.close()
        let events = try summaryEvents(of: writer)
        #expect(events.count == 6)
        let loss = events.filter { $0.decoded.summary.value[0].tag == "loss" }
        #expect(loss.map(\.decoded.step) == [0, 1, 2])
        #expect(loss.map { $0.decoded.summary.value[0].simpleValue } == [0, 0.5, 1])
        #expect(loss.map { $0.decoded.summary.value[0].hasMetadata } == [true, false, false])
        #expect(loss[0].decoded.summary.value[0].metadata.pluginData.pluginName == "scalars")
        #expect(events.filter { $0.decoded.summary.value[0].tag == "accuracy" }.allSatisfy { $0.decoded.wallTime == 1234.5 })
    }

    @Test func histogramsFromValuesAndBuckets() throws {
        let writer = try makeWriter()
        try writer.add(histogram: [1.0, 2.0, 2.5, 4.0], tag: "weights", step: 1, bucketCount: 3)
        let custom = Histogram(buckets: [.init(leftEdge: 0, rightEdge: 1, count: 5)])
        try writer.add(histogram: custom, tag: "weights", step: 2)
        try writer.close()
        let values = try summaryEvents(of: writer).map { $0.decoded.summary.value[0] }
        #expect(values[0].metadata.pluginData.pluginName == "histograms")
        #expect(values[0].tensor.dtype == .dtDouble)
        #expect(values[0].tensor.tensorShape.dim.map(\.size) == [3, 3])
        #expect(values[0].tensor.doubleVal == [1, 2, 1, 2, 3, 2, 3, 4, 1])
        #expect(!values[1].hasMetadata)
        #expect(values[1].tensor.doubleVal == [0, 1, 5])
    }

    @Test func histogramEdgeCases() {
        #expect(Histogram(values: [Float](), bucketCount: 30).buckets.isEmpty)
        #expect(Histogram(values: [3.0, 3.0], bucketCount: 30).buckets == [.init(leftEdge: 2.5, rightEdge: 3.5, count: 2)])
        let withNaN = Histogram(values: [0.0, .nan, 1.0, .infinity], bucketCount: 2)
        #expect(withNaN.buckets.map(\.count) == [1, 2])  // +infinity goes to the last bucket (HistogramTests)
    }

    @Test func textAndImages() throws {
        let writer = try makeWriter()
        try writer.add(text: "**hello**", tag: "notes", step: 3)
        let image = try SummaryImage(pixels: [0, 255, 128, 64, 1, 2], width: 3, height: 2, channels: 1)
        try writer.add(image: image, tag: "digits", step: 4)
        try writer.close()
        let values = try summaryEvents(of: writer).map { $0.decoded.summary.value[0] }
        #expect(values[0].metadata.pluginData.pluginName == "text")
        #expect(values[0].tensor.dtype == .dtString)
        #expect(values[0].tensor.stringVal == [Data("**hello**".utf8)])
        #expect(values[1].metadata.pluginData.pluginName == "images")
        #expect(values[1].tensor.stringVal.count == 3)
        #expect(values[1].tensor.stringVal[0] == Data("3".utf8))
        #expect(values[1].tensor.stringVal[1] == Data("2".utf8))
        #expect(Array(values[1].tensor.stringVal[2].prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test func badImageSizeIsAClearError() {
        #expect(throws: PNGEncoder.Error.self) {
            try SummaryImage(pixels: [1, 2, 3], width: 2, height: 2, channels: 1)
        }
    }

    @Test func graphOncePerRun() throws {
        let writer = try makeWriter()
        var graph = Tensorflow_GraphDef()
        var node = Tensorflow_NodeDef()
        node.name = "x"
        node.op = "Placeholder"
        graph.node = [node]
        try writer.add(graph: graph)
        #expect(throws: SummaryWriterError.self) { try writer.add(graph: graph) }
        try writer.close()
        let events = try summaryEvents(of: writer)
        #expect(events.count == 1)
        #expect(try Tensorflow_GraphDef(serializedBytes: events[0].decoded.graphDef) == graph)
    }

    @Test func hparamsStartAndEnd() throws {
        let writer = try makeWriter()
        try writer.add(hparams: ["lr": .number(0.01), "optimizer": .string("sgd"), "nesterov": .bool(false)], metrics: ["loss"])
        try writer.add(scalar: 1, tag: "loss", step: 1)
        try writer.close(status: .failure)
        let values = try summaryEvents(of: writer).flatMap(\.decoded.summary.value)
        #expect(values.map(\.tag) == ["_hparams_/experiment", "_hparams_/session_start_info", "loss", "_hparams_/session_end_info"])
        let start = try Tensorboard_Hparams_HParamsPluginData(serializedBytes: values[1].metadata.pluginData.content)
        #expect(start.sessionStartInfo.hparams["lr"]?.numberValue == 0.01)
        #expect(start.sessionStartInfo.hparams["optimizer"]?.stringValue == "sgd")
        let experiment = try Tensorboard_Hparams_HParamsPluginData(serializedBytes: values[0].metadata.pluginData.content)
        #expect(experiment.experiment.hparamInfos.map(\.name) == ["lr", "nesterov", "optimizer"])
        #expect(experiment.experiment.metricInfos.map(\.name.tag) == ["loss"])
        let end = try Tensorboard_Hparams_HParamsPluginData(serializedBytes: values[3].metadata.pluginData.content)
        #expect(end.sessionEndInfo.status == .failure)
    }

    @Test func serializedSummaryAndSessionLog() throws {
        let writer = try makeWriter()
        var summary = Tensorflow_Summary()
        var value = Tensorflow_Summary.Value()
        value.tag = "merged"
        value.simpleValue = 2
        summary.value = [value]
        try writer.add(serializedSummary: try summary.serializedBytes(), step: 5)
        #expect(throws: SummaryWriterError.self) { try writer.add(serializedSummary: [0xFF, 0xFF], step: 6) }
        try writer.add(sessionLog: .start, step: 10)
        try writer.close()
        let events = try summaryEvents(of: writer)
        #expect(events[0].decoded.summary.value[0].simpleValue == 2)
        #expect(events[1].decoded.sessionLog.status == .start)
        #expect(events[1].decoded.step == 10)
    }
}
