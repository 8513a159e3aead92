import TFGraph
import TFRecord

/// Why a checkpoint could not be saved or restored. Cases name the file or variable.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// A checkpoint file is missing.
    case missingFile(String)
    /// The `.index` table is damaged (bad footer, block checksum, entry).
    case corruptIndex(String, reason: String)
    /// The checkpoint has no entry for a variable of the graph.
    case missingVariable(String, checkpoint: String)
    /// A variable's dtype differs between graph and checkpoint.
    case dtypeMismatch(String, graph: DType, checkpoint: String)
    /// A variable's shape differs between graph and checkpoint.
    case shapeMismatch(String, graph: [Int], checkpoint: [Int])
    /// A variable's bytes do not match their checksum, or lie outside the data file.
    case corruptData(String, reason: String)
    /// A file system call failed.
    case io(IOError)

    public var description: String {
        switch self {
        case .missingFile(let path):
            return "\(path): checkpoint file missing"
        case .corruptIndex(let path, let reason):
            return "\(path): damaged checkpoint index: \(reason)"
        case .missingVariable(let name, let checkpoint):
            return "variable \(name) is not in checkpoint \(checkpoint)"
        case .dtypeMismatch(let name, let graph, let checkpoint):
            return "variable \(name) is \(graph) in the graph but \(checkpoint) in the checkpoint"
        case .shapeMismatch(let name, let graph, let checkpoint):
            return "variable \(name) has shape \(graph) in the graph but \(checkpoint) in the checkpoint"
        case .corruptData(let name, let reason):
            return "variable \(name): damaged checkpoint data: \(reason)"
        case .io(let error):
            return error.description
        }
    }
}
