import Foundation

/// TensorBoard's rules for dropping the events of an abandoned attempt when a run restarts
/// (its Python loader, `plugin_event_accumulator.py`; the one loader that reads
/// `file_version` and `SessionLog`), applied to the events of a run in reading order:
///
/// - Once a `file_version` of 2 or more (`"brain.Event:2"`) has been read, a
///   `SessionLog.START` at step S is a restart: every value read so far with step >= S is
///   dropped, for every tag. The run's first START is the session's start, not a restart,
///   and drops nothing.
/// - Before any such `file_version` (files of older writers), a summary event whose step is
///   below the previous summary event's step drops the earlier values with step >= its step
///   of the tags it holds.
struct RestartPurge {
    /// What to drop before an event's own values are kept.
    enum Drop: Equatable {
        case none
        /// Values of every tag with step >= `from`.
        case everyTag(from: Int64)
        /// Values of the tags in this event with step >= `from`.
        case eventTags(from: Int64)
    }

    private var fileVersion: Double?
    private var sawSessionStart = false
    private var mostRecentStep: Int64 = -1

    /// Notes a `file_version` record, e.g. `"brain.Event:2"`.
    mutating func fileVersion(_ text: String) {
        let number = text.range(of: "brain.Event:", options: .backwards).map { String(text[$0.upperBound...]) } ?? text
        fileVersion = Double(number) ?? -1
    }

    /// What a `SessionLog` event with `status` (1 = START) at `step` drops.
    mutating func sessionLog(status: UInt64, step: Int64) -> Drop {
        guard usesSessionLog, status == 1 else { return .none }
        if !sawSessionStart {
            sawSessionStart = true
            return .none
        }
        return .everyTag(from: step)
    }

    /// What a summary event at `step` drops (and remembers its step).
    mutating func summary(step: Int64) -> Drop {
        defer { mostRecentStep = step }
        return !usesSessionLog && step < mostRecentStep ? .eventTags(from: step) : .none
    }

    /// Whether a `file_version` of 2 or more has been read (an unparsable one counts as -1).
    private var usesSessionLog: Bool { (fileVersion ?? 0) >= 2 }
}
