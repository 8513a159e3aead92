import struct Foundation.Data
import SwiftProtobuf
import TFProtos

extension SummaryWriter {
    /// Writes the run's graph (`Event.graph_def`), which TensorBoard's graph dashboard shows.
    /// - Throws: `.graphAlreadyWritten` on a second call (TensorBoard shows one per run); a
    ///   call that throws writes nothing and leaves room for another.
    public func add(graph: Tensorflow_GraphDef, step: Int = 0, wallTime: Double? = nil) throws {
        let bytes: [UInt8]
        do {
            bytes = try graph.serializedBytes()
        } catch {
            throw SummaryWriterError.invalidArgument("the graph could not be serialized: \(error)")
        }
        try add(serializedGraph: bytes, step: step, wallTime: wallTime)
    }

    /// Writes an already-serialized GraphDef as the run's graph. Empty bytes are an empty
    /// GraphDef (the graph dashboard shows no nodes).
    /// - Throws: `.invalidArgument` when the bytes do not parse as a GraphDef (TensorBoard's
    ///   graph dashboard would fail on them), `.graphAlreadyWritten` on a second graph.
    public func add(serializedGraph bytes: [UInt8], step: Int = 0, wallTime: Double? = nil) throws {
        do {
            _ = try Tensorflow_GraphDef(serializedBytes: bytes)
        } catch {
            throw SummaryWriterError.invalidArgument(
                "the \(bytes.count) bytes are not a serialized GraphDef (\(error)); pass GraphDef.serializedBytes() "
                    + "or use add(graph:)")
        }
        try writingGraph {
            var event = Tensorflow_Event()
            event.graphDef = Data(bytes)
            try add(event: event, step: step, wallTime: wallTime)
        }
    }
}
