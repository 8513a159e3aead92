import Foundation
import Testing
import TFProtos
import TFRecord
@testable import TensorBoard
import TestSupport

struct SummaryWriterMetaGraphTests {
    /// `Event.meta_graph_def` (field 9) holds the serialized meta graph, beside the graph.
    @Test func metaGraphIsWrittenAsItsOwnEvent() throws {
        let writer = try makeWriter()
        var meta = Tensorflow_MetaGraphDef()
        var node = Tensorflow_NodeDef()
        node.name = "x"
        node.op = "Placeholder"
        meta.graphDef.node = [node]
        meta.saverDef.restoreOpName = "save/restore_all"
        var train = Tensorflow_CollectionDef()
        train.nodeList.value = ["GradientDescent"]
        meta.collectionDef["train_op"] = train
        try writer.add(graph: meta.graphDef)
        try writer.add(metaGraph: meta, step: 3)
        try writer.close()
        let events = try summaryEvents(of: writer)
        #expect(events.count == 2)
        #expect(events[1].decoded.step == 3)
        #expect(try Tensorflow_MetaGraphDef(serializedBytes: events[1].decoded.metaGraphDef) == meta)
        #expect(try RunReader(path: writer.filePath).graphNodes()?.map(\.name) == ["x"])
    }

    @Test func bytesThatAreNoMetaGraphAreRefused() throws {
        let writer = try makeWriter()
        #expect {
            try writer.add(serializedMetaGraph: [0xFF, 0xFF, 0xFF])
        } throws: { error in
            guard case .invalidArgument(let message) = error as? SummaryWriterError else { return false }
            return message.contains("not a serialized MetaGraphDef")
        }
        try writer.close()
        #expect(try summaryEvents(of: writer).isEmpty)
    }
}
