import Foundation
import ProgramSupport
import TFRecord
import TensorBoard

/// The log directory's two runs, `train` and `test`: locked while training, never wiped by
/// accident. `--overwrite` deletes only event files this package's programs provably wrote,
/// and nothing when anything else that looks like a run is in them.
struct RunDirectories {
    let train: String
    let test: String
    private var locks: [RunLock] = []

    /// Locks both runs and checks (or, with `overwrite`, clears) them.
    init(_ root: String, overwrite: Bool) throws {
        train = (root as NSString).appendingPathComponent("train")
        test = (root as NSString).appendingPathComponent("test")
        for run in [train, test] { locks.append(try Self.lock(run)) }
        do {
            // Both runs are checked before either is cleared: a refusal deletes nothing.
            let clearings = try [train, test].compactMap { try Self.check($0, overwrite: overwrite) }
            for clear in clearings { try clear() }
        } catch {
            release()
            throw error
        }
    }

    func release() {
        for lock in locks { lock.release() }
    }

    private static func lock(_ run: String) throws -> RunLock {
        do {
            return try RunLock(directory: run)
        } catch SummaryWriterError.runInUse(_, let holder) {
            let who = holder.map { "process \($0)" } ?? "another process"
            throw TrainingFailure(message: "\(who) is already training into \(run); wait for it to finish, or choose another --log-dir")
        } catch {
            throw TrainingFailure(message: "cannot write to --log-dir: \(run): \(error)")
        }
    }

    /// Checks one run. Without `overwrite`, an earlier run in it is an error; with it, the
    /// run's event files may be deleted if every run-like file in it is an event file this
    /// package's programs provably wrote (`RunContents`): returns what deletes them, or nil
    /// when there is nothing to delete.
    private static func check(_ run: String, overwrite: Bool) throws -> (() throws -> Void)? {
        let contents = try RunContents(directory: run)
        guard contents.hasEarlierRun else { return nil }
        guard overwrite else {
            throw TrainingFailure(message: """
                \(run) already holds a run (\(contents.ours.count + contents.foreign.count) event files or \
                checkpoints). Pass --overwrite to delete it, or choose another --log-dir
                """)
        }
        // This program writes event files only: a checkpoint here is someone else's.
        let foreign = contents.foreign + contents.ours.filter { !RunContents.isEventFileName($0) }.map {
            (name: $0, why: "a checkpoint file; mnist-with-summaries writes none")
        }
        guard foreign.isEmpty else {
            let list = foreign.map { "\($0.name) (\($0.why))" }.joined(separator: ", ")
            throw TrainingFailure(message: """
                --overwrite deletes only event files mnist-with-summaries wrote, and \(run) also holds \
                \(list); nothing was deleted. Move those away, or choose another --log-dir
                """)
        }
        return {
            for name in contents.ours {
                let path = (run as NSString).appendingPathComponent(name)
                guard unlink(path) == 0 || errno == ENOENT else {
                    throw TrainingFailure(message: "--overwrite: cannot delete \(path): \(IOError(operation: "unlink", path: path, code: errno).reason)")
                }
            }
        }
    }
}
