import struct Foundation.Data
import SwiftProtobuf
import TFProtos

extension SummaryWriter {
    /// Writes a meta graph (`Event.meta_graph_def`), as TensorFlow 1's `FileWriter` does
    /// beside the graph: the graph with its saver and collections, for tools that rebuild
    /// the model from the event file. TensorBoard's dashboards show only `add(graph:)`'s
    /// graph, so write both, once per run.
    /// - Throws: `.invalidArgument` when the meta graph cannot be serialized.
    public func add(metaGraph: Tensorflow_MetaGraphDef, step: Int = 0, wallTime: Double? = nil) throws {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        let bytes: [UInt8]
        do {
            bytes = try metaGraph.serializedBytes(options: options)
        } catch {
            throw SummaryWriterError.invalidArgument("the meta graph could not be serialized: \(error)")
        }
        try add(serializedMetaGraph: bytes, step: step, wallTime: wallTime)
    }

    /// Writes an already-serialized MetaGraphDef (`Event.meta_graph_def`).
    /// - Throws: `.invalidArgument` when the bytes do not parse as a MetaGraphDef.
    public func add(serializedMetaGraph bytes: [UInt8], step: Int = 0, wallTime: Double? = nil) throws {
        do {
            _ = try Tensorflow_MetaGraphDef(serializedBytes: bytes)
        } catch {
            throw SummaryWriterError.invalidArgument(
                "the \(bytes.count) bytes are not a serialized MetaGraphDef (\(error)); pass MetaGraphDef.serializedBytes() "
                    + "or use add(metaGraph:)")
        }
        var event = Tensorflow_Event()
        event.metaGraphDef = Data(bytes)
        try add(event: event, step: step, wallTime: wallTime)
    }
}
