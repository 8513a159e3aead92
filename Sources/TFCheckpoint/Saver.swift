import TFRuntime
import TFGraph
import Foundation
import SwiftProtobuf
import TFProtos
import TFRecord

/// Saves and restores variables as TensorFlow checkpoints (`tf.compat.v1.train.Saver`):
/// `<prefix>-<step>.index` and `.data-00000-of-00001` in TensorFlow's V2 bundle format, and
/// a text-format `checkpoint` state file naming the latest ones. TensorFlow's
/// `tf.train.load_checkpoint` reads them; `restore` reads TensorFlow's.
///
/// Like TensorFlow's, a Saver adds its `save/` ops to the graph when it is made (see
/// `SaverGraph`), and each save also writes the meta graph, `<checkpoint>.meta`, from
/// which `tf.compat.v1.train.import_meta_graph` rebuilds the graph and continues training.
///
/// Every file is written under a temporary name, synced and renamed, data before index
/// before meta graph before state file, so a crash never leaves a checkpoint that the state
/// file names but that cannot be read.
public final class Saver {
    /// The variables saved, under their names (`hidden1/weights`, `global_step`, ...).
    public let variables: [Variable]
    /// How many recent checkpoints to keep; older ones are deleted.
    public let maxToKeep: Int
    /// The graph whose meta graph each save writes.
    let graph: Graph
    /// The `save/` ops; nil when there is nothing to save or a variable is another graph's.
    let operations: SaverGraph?

    /// Adds the `save/` ops for `variables` to `graph` (none when `variables` is empty or
    /// holds a variable of another graph; the meta graph then has no SaverDef).
    /// - Parameters:
    ///   - variables: what to save; every global variable of `graph` by default.
    ///   - maxToKeep: recent checkpoints to keep (0 keeps all).
    public init(graph: Graph, variables: [Variable]? = nil, maxToKeep: Int = 5) {
        let variables = variables ?? graph.globalVariables
        self.variables = variables
        self.maxToKeep = maxToKeep
        self.graph = graph
        let ownVariables = !variables.isEmpty && variables.allSatisfy { graph.owns($0.handle.operation) }
        operations = ownVariables ? SaverGraph(graph: graph, variables: variables) : nil
    }

    /// The SaverDef TensorFlow needs to save and restore through the `save/` ops, as a
    /// meta graph carries it; nil when this Saver added none.
    public var saverDef: Tensorflow_SaverDef? { operations?.saverDef(maxToKeep: maxToKeep) }

    /// Saves every variable's value to `<prefix>-<globalStep>` (or `prefix` without a step),
    /// with the graph's meta graph in `<checkpoint>.meta`, and records it in the directory's
    /// `checkpoint` file.
    /// - Parameter writeMetaGraph: false leaves out the `.meta` file (TensorFlow's
    ///   `write_meta_graph=False`).
    /// - Returns: the checkpoint prefix written.
    /// - Throws: `CheckpointError` (I/O), `SessionError.uninitializedVariable`, or
    ///   SwiftProtobuf's `BinaryEncodingError` for a meta graph over protobuf's 2 GB limit.
    @discardableResult
    public func save(_ session: Session, prefix: String, globalStep: Int? = nil, writeMetaGraph: Bool = true) throws -> String {
        let checkpoint = globalStep.map { "\(prefix)-\($0)" } ?? prefix
        let entries = try variables.map { variable in
            TensorBundle.Entry(
                name: variable.name, dtype: variable.dtype, shape: variable.shape.knownDimensions ?? [],
                bytes: try session.withVariableBytes(variable) { Array($0) })
        }
        let (data, index) = try TensorBundle.encode(entries)
        let metaGraph: [UInt8]? = writeMetaGraph ? try graph.metaGraphDef(saver: self).deterministicBytes() : nil
        try Self.writeAtomically(data, to: TensorBundle.dataPath(checkpoint))
        try Self.writeAtomically(index, to: TensorBundle.indexPath(checkpoint))
        if let metaGraph { try Self.writeAtomically(metaGraph, to: CheckpointPaths.metaGraphPath(checkpoint)) }
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

    /// The latest checkpoint prefix recorded in `directory`'s `checkpoint` file, if it names
    /// one inside `directory` (`resumeCheckpoint(in:)` also finds one without that file).
    public static func latestCheckpoint(in directory: String) -> String? {
        guard let state = try? readState(directory: directory), !state.modelCheckpointPath.isEmpty,
              let name = CheckpointPaths.localName(state.modelCheckpointPath, in: directory)
        else { return nil }
        return CheckpointPaths.join(directory, name)
    }

    /// The `checkpoint` state file of `directory`, read only if it is a regular file.
    static func readState(directory: String) throws -> Tensorflow_CheckpointState {
        let bytes = try PosixFile.readContents(CheckpointPaths.join(directory, "checkpoint"))
        return try Tensorflow_CheckpointState(textFormatString: String(decoding: bytes, as: UTF8.self))
    }

    /// Records `latest` in the state file and deletes checkpoints beyond `maxToKeep`. Only
    /// checkpoints inside `directory` are kept in the list or deleted: a state file copied
    /// from another run (TensorFlow writes absolute paths) never makes us delete that run's.
    private func updateState(directory: String, latest: String) throws {
        var state = (try? Self.readState(directory: directory)) ?? Tensorflow_CheckpointState()
        let name = (latest as NSString).lastPathComponent
        let listed = state.allModelCheckpointPaths.map { CheckpointPaths.localName($0, in: directory) }
        var times = state.allModelCheckpointTimestamps.count == listed.count
            ? zip(listed, state.allModelCheckpointTimestamps).filter { $0.0 != nil }.map(\.1) : []
        var paths = listed.compactMap { $0 }
        if let duplicate = paths.firstIndex(of: name) {
            paths.remove(at: duplicate)
            if duplicate < times.count { times.remove(at: duplicate) }
        }
        paths.append(name)
        let now = Date().timeIntervalSince1970
        if times.count == paths.count - 1 { times.append(now) } else { times = [] }
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
        try Self.writeAtomically(Array(state.textFormatString().utf8), to: CheckpointPaths.join(directory, "checkpoint"))
        for old in removed {
            CheckpointPaths.removeCheckpoint(named: old, in: directory)
        }
    }

    /// Writes `bytes` over `path` atomically (`AtomicFile`: an exclusive temporary beside
    /// it, synced, renamed, the directory synced).
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        do throws(IOError) {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw CheckpointError.io(error)
        }
    }
}
