import TFGraph
import Foundation
import TFProtos
import TFRecord

/// The checkpoint to resume from, and why it was chosen when that is not simply the one
/// the `checkpoint` file names.
public struct CheckpointChoice: Sendable, Equatable {
    /// The checkpoint prefix (`<directory>/model.ckpt-999`).
    public var prefix: String
    /// Why this one, when the `checkpoint` file did not name it (missing, damaged, naming
    /// another run's or an incomplete checkpoint, or an older one than a complete newer one).
    public var note: String?
}

extension Saver {
    /// The newest complete checkpoint in `directory`. The `checkpoint` file's choice is
    /// taken when it names a complete checkpoint inside `directory` and none newer is
    /// complete; otherwise the directory's `<prefix>-<step>.index` files are checked from
    /// the highest step down, each read in full (index, data, every checksum), so a save
    /// killed before its `checkpoint` file was written still resumes.
    /// - Returns: nil when no complete checkpoint is there.
    public static func resumeCheckpoint(in directory: String) -> CheckpointChoice? {
        let named = namedCheckpoint(in: directory)
        let candidates = indexedCheckpoints(in: directory)
        if case .success(let name) = named {
            let step = checkpointStep(name)
            let newer = candidates.filter { $0.step > step && $0.name != name }
            if let found = newer.first(where: { isComplete(CheckpointPaths.join(directory, $0.name)) }) {
                return CheckpointChoice(
                    prefix: CheckpointPaths.join(directory, found.name),
                    note: "the `checkpoint` file names \(name), but \(found.name) is newer and complete (a save was interrupted before the `checkpoint` file was updated)")
            }
            if isComplete(CheckpointPaths.join(directory, name)) {
                return CheckpointChoice(prefix: CheckpointPaths.join(directory, name), note: nil)
            }
        }
        let why: String
        switch named {
        case .success(let name): why = "the `checkpoint` file names \(name), which is missing or damaged"
        case .failure(let problem): why = problem.description
        }
        guard let found = candidates.first(where: { isComplete(CheckpointPaths.join(directory, $0.name)) }) else {
            // None is complete: hand back the one named, so restoring it says what is damaged.
            if case .success(let name) = named, candidates.contains(where: { $0.name == name }) {
                return CheckpointChoice(prefix: CheckpointPaths.join(directory, name), note: nil)
            }
            return nil
        }
        return CheckpointChoice(
            prefix: CheckpointPaths.join(directory, found.name),
            note: "\(why); chose the newest complete checkpoint, \(found.name)")
    }

    /// What the `checkpoint` file names, or why it names nothing usable.
    private static func namedCheckpoint(in directory: String) -> Result<String, StateProblem> {
        let state: Tensorflow_CheckpointState
        do {
            state = try readState(directory: directory)
        } catch let error as IOError where error.code == ENOENT {
            return .failure(StateProblem(description: "there is no `checkpoint` file"))
        } catch let error as IOError {
            return .failure(StateProblem(description: "the `checkpoint` file cannot be read (\(error))"))
        } catch {
            return .failure(StateProblem(description: "the `checkpoint` file is damaged (not a text-format CheckpointState)"))
        }
        guard !state.modelCheckpointPath.isEmpty else {
            return .failure(StateProblem(description: "the `checkpoint` file names no checkpoint"))
        }
        guard let name = CheckpointPaths.localName(state.modelCheckpointPath, in: directory) else {
            return .failure(StateProblem(description: "the `checkpoint` file names \(state.modelCheckpointPath), outside \(directory) (a copied run?); it is ignored"))
        }
        return .success(name)
    }

    /// Checkpoints with an index file in `directory`, highest step first.
    private static func indexedCheckpoints(in directory: String) -> [(name: String, step: Int)] {
        let names = (try? DirectoryListing.names(in: directory)) ?? []
        return names.filter { $0.hasSuffix(".index") && !$0.hasPrefix(".") }
            .map { name in
                let prefix = String(name.dropLast(".index".count))
                return (prefix, checkpointStep(prefix))
            }
            .sorted { $0.step != $1.step ? $0.step > $1.step : $0.name > $1.name }
    }

    /// The step in a name like `model.ckpt-999`, or -1 without one.
    private static func checkpointStep(_ name: String) -> Int {
        guard let dash = name.lastIndex(of: "-") else { return -1 }
        return Int(name[name.index(after: dash)...]) ?? -1
    }

    /// Whether the checkpoint reads in full: index and data files there, every variable's
    /// bytes inside the data file with a matching checksum.
    static func isComplete(_ prefix: String) -> Bool {
        guard let reader = try? CheckpointReader(prefix: prefix) else { return false }
        return reader.variables.keys.allSatisfy { name in
            guard let entry = reader.variables[name], let dtype = entry.dtype, dtype != .string else { return true }
            return (try? reader.bytes(name)) != nil
        }
    }
}

/// Why the `checkpoint` state file names no usable checkpoint.
private struct StateProblem: Error, CustomStringConvertible {
    var description: String
}
