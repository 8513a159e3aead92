import Foundation
import TFCore

/// A checkpoint as one input: a 4-byte little-endian index length, the `.index` bytes, then
/// the data file bytes. Properties: every variable the reader lists either reads as a tensor
/// with exactly its shape's element count, or throws; nothing traps.
enum CheckpointReaderTarget {
    static func run(_ bytes: [UInt8]) {
        guard bytes.count >= 4 else { return }
        let length = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        guard length <= bytes.count - 4 else { return }
        let index = Array(bytes[4..<(4 + length)])
        let data = Array(bytes[(4 + length)...])
        guard let reader = try? CheckpointReader(index: index, data: data) else { return }
        for (name, entry) in reader.variables {
            guard let tensor = try? reader.tensor(name) else { continue }
            FuzzCheck.require(tensor.shape == entry.shape, "\(name) read with shape \(tensor.shape), listed \(entry.shape)")
            FuzzCheck.require(tensor.dtype == entry.dtype, "\(name) read as \(tensor.dtype), listed \(String(describing: entry.dtype))")
        }
    }

    /// A small checkpoint saved by `Saver`: a float matrix, an int32 step and a bias vector.
    static func seeds() throws -> [[UInt8]] {
        let graph = Graph()
        _ = try graph.variable(graph.constant(Tensor(floats: [1, 2, 3, 4, 5, 6], shape: [2, 3])), name: "layer/weights")
        _ = try graph.variable(graph.constant(Tensor(floats: [0.5, -0.5], shape: [2])), name: "layer/biases")
        _ = try graph.variable(graph.constant(Tensor(Int32(7))), name: "global_step", trainable: false)
        let session = Session(graph: graph)
        try session.run(graph.globalVariablesInitializer())
        let directory = NSTemporaryDirectory() + "fuzz-seeds-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let prefix = try Saver(graph: graph).save(session, prefix: directory + "/model.ckpt")
        let index = Array(try Data(contentsOf: URL(fileURLWithPath: prefix + ".index")))
        let data = Array(try Data(contentsOf: URL(fileURLWithPath: prefix + ".data-00000-of-00001")))
        let length = UInt32(index.count)
        return [(0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + index + data]
    }
}
