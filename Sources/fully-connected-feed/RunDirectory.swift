import Foundation
import TFCore

/// The log directory: never wiped by accident.
enum RunDirectory {
    /// Whether `directory` holds event files or checkpoints from an earlier run.
    static func hasEarlierRun(_ directory: String) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.contains { $0.contains("tfevents") || $0 == "checkpoint" || $0.hasPrefix("model.ckpt") }
    }

    /// Checks the directory against `--overwrite` / `--resume`, clearing it for
    /// `--overwrite`. Returns the checkpoint to resume from, if any.
    static func prepare(_ options: FullyConnectedFeed) throws -> String? {
        let directory = options.logDir
        if options.resume {
            guard let latest = Saver.latestCheckpoint(in: directory) else {
                throw TrainingFailure(message: "--resume: no checkpoint in \(directory) (no `checkpoint` file naming one); run without --resume to start")
            }
            return latest
        }
        guard hasEarlierRun(directory) else { return nil }
        guard options.overwrite else {
            throw TrainingFailure(message: """
                \(directory) already holds a run (event files or checkpoints). Pass --overwrite to \
                delete it, --resume to continue from its latest checkpoint, or choose another --log-dir
                """)
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.contains("tfevents") || name == "checkpoint" || name.hasPrefix("model.ckpt") {
            do {
                try FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
            } catch {
                throw TrainingFailure(message: "--overwrite: cannot delete \(name) in \(directory): \(error.localizedDescription)")
            }
        }
        return nil
    }
}
