import struct Foundation.Data
import SwiftProtobuf
import TFProtos

extension SummaryWriter {
    /// Writes the run's graph (`Event.graph_def`), which TensorBoard's graph dashboard shows.
    /// - Throws: `.graphAlreadyWritten` on a second call (TensorBoard shows one per run).
    public func add(graph: Tensorflow_GraphDef, step: Int = 0, wallTime: Double? = nil) throws {
        let bytes: [UInt8]
        do {
            bytes = try graph.serializedBytes()
        } catch {
            throw SummaryWriterError.invalidArgument("the graph could not be serialized: \(error)")
        }
        try add(serializedGraph: bytes, step: step, wallTime: wallTime)
    }

    /// Writes an already-serialized GraphDef as the run's graph.
    public func add(serializedGraph bytes: [UInt8], step: Int = 0, wallTime: Double? = nil) throws {
        try claimGraph()
        var event = Tensorflow_Event()
        event.graphDef = Data(bytes)
        try add(event: event, step: step, wallTime: wallTime)
    }
}
