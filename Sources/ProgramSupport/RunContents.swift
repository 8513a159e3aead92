import Foundation
import TFCore
import TFProtos
import TFRecord
import TensorBoard

/// What a log directory holds of a run, split into files this package's programs wrote (and
/// so may delete for `--overwrite`) and files that only look like a run's.
///
/// A file is ours when it is a regular file of this user (not a link), directly in the
/// directory, named as these programs name their files, and for an event file, its first
/// record names this writer (`source_metadata.writer`) or it is empty. Checkpoint files
/// carry no writer's mark (TensorFlow's Saver writes the same names and format, and
/// `--resume` takes its checkpoints as ours), so they count by name and, for the
/// `checkpoint` state file, by parsing as one; `mnist-with-summaries`, which writes no
/// checkpoints, treats every checkpoint file as another program's.
public struct RunContents {
    /// Names these programs wrote.
    public var ours: [String] = []
    /// Run-like names it did not write (or cannot prove it did), with the reason.
    public var foreign: [(name: String, why: String)] = []

    /// Whether event files or checkpoints of any run are there.
    public var hasEarlierRun: Bool { !ours.isEmpty || !foreign.isEmpty }

    /// Reads the directory (which may not exist yet).
    /// - Throws: `TrainingFailure` if it exists but cannot be listed.
    public init(directory: String) throws {
        let names: [String]
        do throws(IOError) {
            names = try DirectoryListing.names(in: directory)
        } catch where error.code == ENOENT {
            return
        } catch {
            throw TrainingFailure(message: "cannot read --log-dir \(directory): \(error.reason)")
        }
        for name in names where Self.isRunLike(name) {
            let path = (directory as NSString).appendingPathComponent(name)
            if let why = Self.notOurs(name, path: path) {
                foreign.append((name, why))
            } else {
                ours.append(name)
            }
        }
    }

    /// Names TensorBoard or TensorFlow would treat as part of a run.
    public static func isRunLike(_ name: String) -> Bool {
        name.contains("tfevents") || name == "checkpoint" || name.hasPrefix("model.ckpt")
    }

    /// Why `name` is not provably ours, or nil when it is.
    public static func notOurs(_ name: String, path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return "cannot be examined" }
        guard info.st_mode & S_IFMT == S_IFREG else { return PosixFile.kind(ofMode: info.st_mode) }
        guard info.st_uid == geteuid() else { return "owned by another user" }
        if name == "checkpoint" {
            guard let bytes = try? PosixFile.readContents(path),
                  (try? Tensorflow_CheckpointState(textFormatString: String(decoding: bytes, as: UTF8.self))) != nil
            else { return "not a checkpoint state file" }
            return nil
        }
        if name.hasPrefix("model.ckpt") {
            return isCheckpointFileName(name) ? nil : "not a name this program gives checkpoints"
        }
        guard isEventFileName(name) else { return "not a name this program gives event files" }
        guard info.st_size > 0 else { return nil }
        guard let reader = try? RecordReader(path: path), let first = try? reader.nextPayload(),
              let event = try? Tensorflow_Event(serializedBytes: Array(first)),
              event.sourceMetadata.writer == SummaryWriter.sourceName
        else { return "written by another program" }
        return nil
    }

    /// `model.ckpt-<step>.index`, `.data-00000-of-00001` or `.meta`.
    public static func isCheckpointFileName(_ name: String) -> Bool {
        for suffix in [".index", ".data-00000-of-00001", ".meta"] where name.hasSuffix(suffix) {
            let step = name.dropFirst("model.ckpt-".count).dropLast(suffix.count)
            return name.hasPrefix("model.ckpt-") && !step.isEmpty && step.allSatisfy { $0.isASCII && $0.isNumber }
        }
        return false
    }

    /// `events.out.tfevents.<10 digits>.<host>.<pid>.<counter>` (`EventFileName.make`).
    public static func isEventFileName(_ name: String) -> Bool {
        let prefix = "events.out.tfevents."
        guard name.hasPrefix(prefix) else { return false }
        let rest = name.dropFirst(prefix.count)
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count >= 10 else { return false }
        let numeric = { (part: Substring) in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
        return numeric(parts[0]) && numeric(parts[parts.count - 2]) && numeric(parts[parts.count - 1])
    }
}
