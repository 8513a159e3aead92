import Foundation
import SwiftProtobuf
import TFProtos
import TFRecord

/// Saves and restores variables as TensorFlow checkpoints (`tf.compat.v1.train.Saver`):
/// `<prefix>-<step>.index` and `.data-00000-of-00001` in TensorFlow's V2 bundle format, and
/// a text-format `checkpoint` state file naming the latest ones. TensorFlow's
/// `tf.train.load_checkpoint` reads them; `restore` reads TensorFlow's.
///
/// Every file is written under a temporary name, synced and renamed, data before index
/// before state file, so a crash never leaves a checkpoint that the state file names but
/// that cannot be read.
public final class Saver {
    /// The variables saved, under their names (`hidden1/weights`, `global_step`, ...).
    public let variables: [Variable]
    /// How many recent checkpoints to keep; older ones are deleted.
    public let maxToKeep: Int

    /// - Parameters:
    ///   - variables: what to save; every global variable of `graph` by default.
    ///   - maxToKeep: recent checkpoints to keep (0 keeps all).
    public init(graph: Graph, variables: [Variable]? = nil, maxToKeep: Int = 5) {
        self.variables = variables ?? graph.globalVariables
        self.maxToKeep = maxToKeep
    }

    /// Saves every variable's value to `<prefix>-<globalStep>` (or `prefix` without a step)
    /// and records it in the directory's `checkpoint` file.
    /// - Returns: the checkpoint prefix written.
    /// - Throws: `CheckpointError` (I/O) or `SessionError.uninitializedVariable`.
    @discardableResult
    public func save(_ session: Session, prefix: String, globalStep: Int? = nil) throws -> String {
        let checkpoint = globalStep.map { "\(prefix)-\($0)" } ?? prefix
        let entries = try variables.map { variable in
            TensorBundle.Entry(
                name: variable.name, dtype: variable.dtype, shape: variable.shape.knownDimensions ?? [],
                bytes: try session.withVariableBytes(variable) { Array($0) })
        }
        let (data, index) = try TensorBundle.encode(entries)
        try Self.writeAtomically(data, to: TensorBundle.dataPath(checkpoint))
        try Self.writeAtomically(index, to: TensorBundle.indexPath(checkpoint))
        try updateState(directory: (checkpoint as NSString).deletingLastPathComponent, latest: checkpoint)
        return checkpoint
    }

    /// Restores every variable from the checkpoint at `prefix`, checking names, dtypes,
    /// shapes and each tensor's checksum before changing anything.
    /// - Throws: `CheckpointError` naming the file or variable.
    public func restore(_ session: Session, from prefix: String) throws {
        let reader = try CheckpointReader(prefix: prefix)
        var values: [(Variable, ArraySlice<UInt8>)] = []
        for variable in variables {
            guard let entry = reader.variables[variable.name] else { throw CheckpointError.missingVariable(variable.name, checkpoint: prefix) }
            guard entry.dtype == variable.dtype else {
                throw CheckpointError.dtypeMismatch(variable.name, graph: variable.dtype, checkpoint: entry.dtype.map { "\($0)" } ?? "an unsupported dtype")
            }
            let expected = variable.shape.knownDimensions ?? []
            guard entry.shape == expected else {
                throw CheckpointError.shapeMismatch(variable.name, graph: expected, checkpoint: entry.shape)
            }
            values.append((variable, try reader.bytes(variable.name)))
        }
        for (variable, bytes) in values {
            try bytes.withUnsafeBytes { try session.setVariableBytes(variable, $0) }
        }
    }

    /// The latest checkpoint prefix recorded in `directory`'s `checkpoint` file, if any.
    public static func latestCheckpoint(in directory: String) -> String? {
        guard let state = try? readState(directory: directory), !state.modelCheckpointPath.isEmpty else { return nil }
        return resolve(state.modelCheckpointPath, in: directory)
    }

    static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
    }

    static func readState(directory: String) throws -> Tensorflow_CheckpointState {
        let path = (directory as NSString).appendingPathComponent("checkpoint")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try Tensorflow_CheckpointState(textFormatString: text)
    }

    private func updateState(directory: String, latest: String) throws {
        var state = (try? Self.readState(directory: directory)) ?? Tensorflow_CheckpointState()
        let name = (latest as NSString).lastPathComponent
        var paths = state.allModelCheckpointPaths.filter { $0 != name && $0 != latest }
        var times = Array(state.allModelCheckpointTimestamps.suffix(paths.count))
        if times.count != paths.count { times = [] }
        paths.append(name)
        let now = Date().timeIntervalSince1970
        if !times.isEmpty || state.allModelCheckpointTimestamps.isEmpty { times.append(now) }
        var removed: [String] = []
        if maxToKeep > 0 && paths.count > maxToKeep {
            removed = Array(paths.prefix(paths.count - maxToKeep))
            paths.removeFirst(paths.count - maxToKeep)
            if times.count > paths.count { times.removeFirst(times.count - paths.count) }
        }
        state.modelCheckpointPath = name
        state.allModelCheckpointPaths = paths
        state.allModelCheckpointTimestamps = times.count == paths.count ? times : []
        state.lastPreservedTimestamp = state.lastPreservedTimestamp == 0 ? now : state.lastPreservedTimestamp
        try Self.writeAtomically(Array(state.textFormatString().utf8), to: (directory as NSString).appendingPathComponent("checkpoint"))
        for old in removed {
            let prefix = Self.resolve(old, in: directory)
            for path in [TensorBundle.indexPath(prefix), TensorBundle.dataPath(prefix), prefix + ".meta"] {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }

    /// Writes `bytes` to a temporary file beside `path`, syncs it and renames it over `path`.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp\(getpid())"
        do {
            let file = try PosixFile.openForWriting(temporary, exclusive: false)
            try file.writeAll(bytes)
            try file.synchronize()
            try file.close()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CheckpointError.io(error)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(atPath: temporary)
            throw CheckpointError.io(IOError(operation: "rename", path: path, code: code))
        }
    }
}
