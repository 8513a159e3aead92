import Synchronization

/// Event file names: `events.out.tfevents.<10-digit seconds>.<host>.<pid>.<counter><suffix>`.
///
/// TensorBoard only requires `tfevents` in the name, and orders a run's files by name, so
/// the zero-padded timestamp keeps name order chronological; the pid and a per-process
/// counter keep two writers from ever choosing the same name.
public enum EventFileName {
    private static let counter = Atomic<Int>(0)

    /// A fresh name for a file created at `wallTime` (seconds since the epoch).
    /// - Throws: `SummaryWriterError.invalidArgument` when `wallTime` is not finite or beyond
    ///   what an Int64 of seconds holds.
    public static func make(wallTime: Double, hostName: String, processID: Int32, suffix: String = "")
        throws(SummaryWriterError) -> String
    {
        guard let whole = Int64(exactly: wallTime.rounded(.down)) else {
            throw .invalidArgument(
                "an event file name needs a wall time in seconds since the epoch, got \(wallTime); pass the current time")
        }
        let sequence = counter.add(1, ordering: .relaxed).oldValue
        let seconds = String(whole)
        let padded = String(repeating: "0", count: max(0, 10 - seconds.count)) + seconds
        let host = hostName.replacingSlashes()
        return "events.out.tfevents.\(padded).\(host).\(processID).\(sequence)\(suffix)"
    }

    /// Whether TensorBoard would load a file of this name.
    public static func isEventFile(_ name: String) -> Bool {
        name.contains("tfevents") && !name.hasSuffix(".profile-empty")
    }
}

extension String {
    fileprivate func replacingSlashes() -> String {
        String(map { $0 == "/" ? "_" : $0 })
    }
}
