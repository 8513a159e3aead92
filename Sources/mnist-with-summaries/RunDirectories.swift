import Foundation
import TFRecord
import TensorBoard

/// The log directory's two runs, `train` and `test`: locked while training, never wiped by
/// accident. `--overwrite` deletes only the runs' event files (names with `tfevents`), and
/// nothing when anything else is in them.
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
            for run in [train, test] { try Self.prepare(run, overwrite: overwrite) }
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

    private static func prepare(_ run: String, overwrite: Bool) throws {
        let names: [String]
        do throws(IOError) {
            names = try DirectoryListing.names(in: run)
        } catch where error.code == ENOENT {
            return
        } catch {
            throw TrainingFailure(message: "cannot read \(run): \(error.reason)")
        }
        let events = names.filter { $0.contains("tfevents") }
        guard !events.isEmpty else { return }
        guard overwrite else {
            throw TrainingFailure(message: """
                \(run) already holds a run (\(events.count) event files). Pass --overwrite to delete them, \
                or choose another --log-dir
                """)
        }
        for name in events {
            let path = (run as NSString).appendingPathComponent(name)
            guard unlink(path) == 0 || errno == ENOENT else {
                throw TrainingFailure(message: "--overwrite: cannot delete \(path): \(IOError(operation: "unlink", path: path, code: errno).reason)")
            }
        }
    }
}
