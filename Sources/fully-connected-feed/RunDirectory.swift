import Foundation
import ProgramSupport
import TensorBoard
import TFCore
import TFRecord

/// The log directory: never wiped by accident, and only of what this program wrote.
enum RunDirectory {
    /// Checks the directory against `--overwrite` / `--resume`, clearing it for
    /// `--overwrite`. Returns the checkpoint to resume from, if any. The caller holds the
    /// directory's `RunLock`.
    static func prepare(_ options: FullyConnectedFeed) throws -> CheckpointChoice? {
        let directory = options.logDir
        if options.resume {
            guard let choice = Saver.resumeCheckpoint(in: directory) else {
                throw TrainingFailure(message: """
                    --resume: no checkpoint in \(directory) to resume from (no `checkpoint` file naming one, and \
                    no complete model.ckpt-<step> files); run without --resume to start
                    """)
            }
            return choice
        }
        let contents = try RunContents(directory: directory)
        guard contents.hasEarlierRun else { return nil }
        guard options.overwrite else {
            throw TrainingFailure(message: """
                \(directory) already holds a run (event files or checkpoints). Pass --overwrite to \
                delete it, --resume to continue from its latest checkpoint, or choose another --log-dir
                """)
        }
        guard contents.foreign.isEmpty else {
            let list = contents.foreign.map { "\($0.name) (\($0.why))" }.joined(separator: ", ")
            throw TrainingFailure(message: """
                --overwrite deletes only files fully-connected-feed wrote, and \(directory) also holds \
                \(list); nothing was deleted. Move those away, or choose another --log-dir
                """)
        }
        for name in contents.ours {
            let path = (directory as NSString).appendingPathComponent(name)
            guard unlink(path) == 0 || errno == ENOENT else {
                throw TrainingFailure(message: "--overwrite: cannot delete \(path): \(IOError(operation: "unlink", path: path, code: errno).reason)")
            }
        }
        return nil
    }
}
