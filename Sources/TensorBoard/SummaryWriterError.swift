import TFRecord

/// Why a `SummaryWriter` call failed.
public enum SummaryWriterError: Error, CustomStringConvertible {
    /// The log directory could not be created or is not a directory.
    case cannotCreateDirectory(path: String, reason: String)
    /// The event file could not be written (disk full, permissions, ...). Events added
    /// before the failure and flushed are in the file; later ones are not.
    case writeFailed(IOError)
    /// The event file was deleted or replaced while the writer was running.
    case fileVanished(path: String)
    /// `add`, `flush` or `close` was called after `close()`.
    case closed
    /// A value cannot be written as asked; the message says why.
    case invalidArgument(String)
    /// A graph was already written by this writer; TensorBoard shows one graph per run.
    case graphAlreadyWritten
    /// `add(hparams:)` was already called on this writer: TensorBoard's hparams dashboard
    /// treats a run as one session with one set of hyperparameters (it reads only the
    /// first `session_start_info` of a run), so a second set would be ignored.
    case hparamsAlreadyWritten
    /// Another live writer holds the run directory's `RunLock` (its pid when known).
    case runInUse(directory: String, holder: Int32?)

    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason):
            return "cannot create log directory \(path): \(reason)"
        case .writeFailed(let error):
            return "writing events failed: \(error)"
        case .fileVanished(let path):
            return "the event file \(path) was deleted or replaced while the writer was running; "
                + "events after that were not written. Create a new SummaryWriter to continue"
        case .closed:
            return "the SummaryWriter is closed; create a new one to write more events"
        case .invalidArgument(let message):
            return message
        case .graphAlreadyWritten:
            return "a graph was already written to this run; TensorBoard shows one graph per run"
        case .hparamsAlreadyWritten:
            return "add(hparams:) was already called on this writer, and TensorBoard shows one set of "
                + "hyperparameters per run (an hparams session); write each trial to its own run with a "
                + "SummaryWriter for another log directory, e.g. runs/exp1/trial-2"
        case .runInUse(let directory, let holder):
            let who = holder.map { "process \($0)" } ?? "another writer"
            return "\(who) is writing to \(directory) (it holds \(directory)/\(RunLock.fileName)); "
                + "wait for it to finish, or choose another log directory"
        }
    }
}

/// How far `flush()` and `close()` push events.
public enum Durability: Sendable {
    /// Into the operating system (`write`): survives the process being killed.
    case operatingSystem
    /// Onto the disk (`fsync`): also survives a machine crash; slower.
    case disk
}
