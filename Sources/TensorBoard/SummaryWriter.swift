import Foundation
import SwiftProtobuf
import Synchronization
import TFProtos
import TFRecord

/// Writes TensorBoard event files: scalars, histograms, images, text, a graph, hparams.
///
///     let writer = try SummaryWriter(logDirectory: "runs/exp1")
///     try writer.add(scalar: 0.25, tag: "loss", step: 7)
///     try writer.close()
///
/// Then `tensorboard --logdir runs` shows run `exp1`.
///
/// Each writer creates one new file, `events.out.tfevents.<secs>.<host>.<pid>.<n><suffix>`,
/// in `logDirectory`, whose first record is `file_version: "brain.Event:2"`. `add` encodes
/// the event and frames it as a TFRecord record on the caller's thread, straight into the
/// writer's queue (a scalar of a tag already in the file queues only its fields, which the
/// background thread encodes), blocking while the queue is full (see `queueCapacity`); a
/// background thread writes the queue to the file, one `write` per batch, at least every
/// `flushInterval` seconds. `flush()` returns once everything added before it is written, and `close()`
/// (or `deinit`) writes the rest and closes the file.
///
/// Any thread may call any method; events added by one thread keep their order. A failure
/// on the background thread (disk full, file deleted) is thrown by the next call and by
/// `close()`.
///
/// Bad input never stops the process: every `add` either writes the value with a documented
/// meaning or throws `SummaryWriterError.invalidArgument` (or the summary's own error type,
/// e.g. `PNGEncoder.Error`) saying what is wrong, and writes nothing for that call; values
/// added before and after it are kept. Tags must be non-empty; steps may be any `Int`;
/// wall times must be finite; scalars may be NaN or ±inf (TensorBoard plots them).
///
/// How the process ends decides what reaches the file:
/// - `close()`, or the last reference going away (`deinit`): everything added.
/// - `exit()` from any thread, or returning from `main`: everything added before the exit
///   starts. An `atexit` handler flushes every writer still open (waiting at most 10 s
///   for each), as tensorboardX does; the writer is not closed, so an hparams session
///   stays without an end status.
/// - `SIGKILL`, `_exit()`/`_Exit()`, `abort()`, a crash (a trap, `fatalError`), or a signal
///   whose default action ends the process (`SIGINT`, `SIGTERM`, ... with no handler):
///   nothing runs at exit, so only what was already written survives, i.e. everything
///   before the last `flush()` and what the background thread wrote, at most
///   `flushInterval` seconds old. Programs that want more handle `SIGINT`/`SIGTERM`
///   themselves and `close()` (the `fully-connected-feed` program does).
public final class SummaryWriter: Sendable {
    /// The directory holding the event file (TensorBoard's run).
    public let logDirectory: String
    /// The full path of the event file.
    public let filePath: String

    private let core: BackgroundEventWriter
    private let clock: WriterClock
    private let state = Mutex(OnceState())
    /// Held for the writer's life when it was made `.exclusive` or `.uniqueSubRun`.
    private let runLock: RunLock?
    /// The writers of `add(scalars:)`'s sub-runs, flushed and closed with this one.
    let subRuns = SubRunWriters()

    /// What may happen once per writer.
    private struct OnceState {
        var hasGraph = false
        var hasHParams = false
        var isClosed = false
    }

    /// The writer name stored in each file's `source_metadata`.
    public static let sourceName = "swift-tensorboard"

    /// Creates the log directory if needed and a new event file in it.
    ///
    /// - Parameters:
    ///   - logDirectory: the run directory; created with its parents if missing.
    ///   - fileSuffix: appended to the file name (e.g. `".v2"`).
    ///   - flushInterval: seconds between background writes while events trickle in; must
    ///     be positive. `.infinity` (or anything over 31 years) turns the timer off: events
    ///     are then written when a quarter of the queue (at most 256 KiB) has filled, on
    ///     `flush()`, `close()` and at exit. Intervals under 1 ms count as 1 ms.
    ///   - queueCapacity: the queue's size in units of 64 bytes, at least 4 KiB and at most
    ///     1 GiB in all. A scalar of one of the file's first 4096 tags takes 48 bytes after
    ///     the tag's first value, whatever the tag's length; any other event its record
    ///     rounded up to 8, plus 16. `add` blocks while the queue is full, and an event it
    ///     queues as a record larger than a quarter of the queue is held outside it and
    ///     written before its `add` returns. At least 1.
    ///   - durability: whether `flush()`/`close()` also `fsync`.
    ///   - sharing: `.shared` (default) lets other writers add files to the run;
    ///     `.exclusive` takes the run's `RunLock`; `.uniqueSubRun` takes it or moves to a
    ///     free `run-<n>` sub-directory (then `logDirectory` is that directory).
    ///   - environment: clock, host name and pid (inject fixed ones in tests).
    /// - Throws: `SummaryWriterError.invalidArgument` for an empty `logDirectory` or one
    ///   holding NUL, a `fileSuffix` holding `/` or NUL, a NaN, zero or negative
    ///   `flushInterval`, a `queueCapacity` below 1, or a clock that is not finite;
    ///   `.cannotCreateDirectory`, `.runInUse` or `.writeFailed`.
    public convenience init(
        logDirectory: String,
        fileSuffix: String = "",
        flushInterval: Double = 2,
        queueCapacity: Int = 65_536,
        durability: Durability = .operatingSystem,
        sharing: RunSharing = .shared,
        environment: WriterEnvironment = .system
    ) throws {
        guard flushInterval > 0 else {  // also NaN
            throw SummaryWriterError.invalidArgument(
                "flushInterval must be a positive number of seconds (or .infinity for no timer), got \(flushInterval)")
        }
        guard !logDirectory.isEmpty, !logDirectory.contains("\0") else {
            throw SummaryWriterError.invalidArgument(
                "logDirectory must be a non-empty path without NUL characters, got \(logDirectory.debugDescription); "
                    + "pass a run directory such as \"runs/exp1\"")
        }
        guard !fileSuffix.contains("/"), !fileSuffix.contains("\0") else {
            throw SummaryWriterError.invalidArgument(
                "fileSuffix must be part of a file name (no \"/\" or NUL), got \(fileSuffix.debugDescription); "
                    + "put directories in logDirectory")
        }
        guard queueCapacity >= 1 else {
            throw SummaryWriterError.invalidArgument("queueCapacity must be at least 1 event, got \(queueCapacity)")
        }
        let now = environment.clock()
        guard now.isFinite, abs(now) < 1e15 else {
            throw SummaryWriterError.invalidArgument(
                "the writer's clock returned \(now); it must return seconds since the epoch (WriterEnvironment.clock)")
        }
        let lock: RunLock?
        switch sharing {
        case .shared: lock = nil
        case .exclusive: lock = try RunLock(directory: logDirectory)
        case .uniqueSubRun: lock = try RunLock.uniqueRun(under: logDirectory)
        }
        let directory = lock?.directory ?? logDirectory
        try LogDirectory.create(directory)
        let name = try EventFileName.make(
            wallTime: now, hostName: environment.hostName, processID: environment.processID, suffix: fileSuffix)
        let path = (directory as NSString).appendingPathComponent(name)
        let file: PosixFile
        do throws(IOError) {
            file = try PosixFile.openForWriting(path)
        } catch {
            throw SummaryWriterError.writeFailed(error)
        }
        try self.init(
            file: file, logDirectory: directory, createdAt: now, flushInterval: max(flushInterval, 0.001),
            queueCapacity: queueCapacity, durability: durability, clock: environment.writerClock, runLock: lock)
        subRuns.configure(.init(
            fileSuffix: fileSuffix, flushInterval: flushInterval, queueCapacity: queueCapacity, durability: durability,
            environment: environment))
    }

    /// A writer over an open file (tests use `/dev/full` to get a real disk-full error).
    /// The first record is written here, through a `RecordWriter` over `file`, so a file
    /// that cannot be written fails the initializer.
    init(
        file: PosixFile, logDirectory: String, createdAt now: Double, flushInterval: Double,
        queueCapacity: Int, durability: Durability, clock: WriterClock,
        runLock: RunLock? = nil
    ) throws {
        self.logDirectory = logDirectory
        self.filePath = file.path
        self.clock = clock
        self.runLock = runLock
        var first = Tensorflow_Event()
        first.wallTime = now
        first.fileVersion = "brain.Event:2"
        first.sourceMetadata.writer = Self.sourceName
        let firstPayload: [UInt8] = try first.serializedBytes()
        do throws(IOError) {
            try RecordWriter(sink: file).write(firstPayload)
        } catch {
            throw SummaryWriterError.writeFailed(error)
        }
        core = try BackgroundEventWriter(
            file: file, durability: durability, flushInterval: flushInterval, capacity: queueCapacity)
        LiveWriters.register(self)
    }

    deinit {
        _ = try? closeIfOpen(status: nil)
        LiveWriters.unregister(ObjectIdentifier(self))
    }

    /// Adds a scalar (stored as float32, as TensorBoard reads it).
    ///
    /// - Parameters:
    ///   - scalar: the value; NaN and ±inf are written as they are (TensorBoard shows them).
    ///   - tag: the series name, non-empty; `/` groups tags in the UI.
    ///   - step: the x coordinate, any `Int`; keep it increasing per tag.
    ///   - wallTime: seconds since the epoch, finite; now if nil.
    /// - Throws: `SummaryWriterError.invalidArgument` for an empty tag or a non-finite
    ///   wall time; `.closed` or the background failure.
    public func add(scalar: Float, tag: String, step: Int, wallTime: Double? = nil) throws {
        try SummaryValidation.checkTag(tag)
        try core.enqueueScalar(tag: tag, value: scalar, step: Int64(step), wallTime: try resolvedWallTime(wallTime))
    }

    /// Adds a scalar of any floating-point type (stored as float32: values beyond float32's
    /// range become ±inf, as in TensorFlow). Inlinable, so a `Double` from another module
    /// is converted in the caller's code, not through generic witnesses.
    @inlinable
    public func add<Value: BinaryFloatingPoint>(scalar: Value, tag: String, step: Int, wallTime: Double? = nil) throws {
        try add(scalar: Float(scalar), tag: tag, step: step, wallTime: wallTime)
    }

    /// Adds a built `Summary`, such as the one a merged summary op returns. The first value
    /// of each tag in the file keeps its metadata; later ones are written without it.
    /// - Throws: `SummaryWriterError.invalidArgument` when a value's tag is empty or the wall
    ///   time is not finite; `.closed` or the background failure.
    public func add(summary: Tensorflow_Summary, step: Int, wallTime: Double? = nil) throws {
        for value in summary.value { try SummaryValidation.checkTag(value.tag) }
        var event = Tensorflow_Event()
        event.summary = summary
        try add(event: event, step: step, wallTime: wallTime)
    }

    /// Adds a serialized `Summary` protobuf (what `tf.summary.merge_all` evaluates to).
    /// - Throws: `SummaryWriterError.invalidArgument` if the bytes are not a Summary.
    public func add(serializedSummary bytes: [UInt8], step: Int, wallTime: Double? = nil) throws {
        let summary: Tensorflow_Summary
        do {
            summary = try Tensorflow_Summary(serializedBytes: bytes)
        } catch {
            throw SummaryWriterError.invalidArgument(
                "the \(bytes.count) bytes are not a serialized tensorflow.Summary (\(error)); pass what a summary op "
                    + "returns, or build a Summary and use add(summary:)")
        }
        try add(summary: summary, step: step, wallTime: wallTime)
    }

    /// Adds a session marker. In TensorBoard's Python loader (and `RunReader`), a run's
    /// *second and later* `.start` at step S drops the run's earlier events at steps >= S,
    /// the events of an attempt that was killed after its last checkpoint; the run's first
    /// `.start` drops nothing, so a program that resumes writes one when it first starts
    /// too, as TensorFlow 1's Supervisor does. TensorBoard's Rust loader ignores markers and
    /// lets a tag's later value at step S replace its kept values at steps >= S instead.
    public func add(
        sessionLog status: Tensorflow_SessionLog.SessionStatus, step: Int, checkpointPath: String = "",
        message: String = "", wallTime: Double? = nil
    ) throws {
        var event = Tensorflow_Event()
        event.sessionLog.status = status
        event.sessionLog.checkpointPath = checkpointPath
        event.sessionLog.msg = message
        try add(event: event, step: step, wallTime: wallTime)
    }

    /// Adds any event; `step` and `wallTime` (now if nil) are set on it. The event's
    /// contents are written as given (only `add`'s typed forms check them).
    /// - Throws: `SummaryWriterError.invalidArgument` for a non-finite wall time or an event
    ///   that cannot be serialized; `.closed` or the background failure.
    public func add(event: Tensorflow_Event, step: Int, wallTime: Double? = nil) throws {
        var event = event
        event.step = Int64(step)
        event.wallTime = try resolvedWallTime(wallTime)
        try core.enqueue(event)
    }

    /// `wallTime`, or the clock's now, checked to be finite.
    private func resolvedWallTime(_ wallTime: Double?) throws(SummaryWriterError) -> Double {
        let time = wallTime ?? clock.now()
        try SummaryValidation.checkWallTime(time)
        return time
    }

    /// Returns once every event added before the call is in the file (and on disk when the
    /// writer was made with `.disk` durability).
    /// - Throws: the background failure, if any, or `.closed`.
    public func flush() throws {
        try core.flush()
        try subRuns.flushAll()
    }

    /// Writes everything added, ends an hparams session with `status` (success by default
    /// when `add(hparams:)` was called), and closes the file.
    /// - Throws: the background failure, if any, or `.closed` when already closed.
    public func close(status: HParamsSessionStatus? = nil) throws {
        guard try closeIfOpen(status: status) else { throw SummaryWriterError.closed }
    }

    @discardableResult
    private func closeIfOpen(status: HParamsSessionStatus?) throws -> Bool {
        let (wasClosed, endSession) = state.withLock { state -> (Bool, Bool) in
            defer { state.isClosed = true }
            return (state.isClosed, state.hasHParams)
        }
        if wasClosed { return false }
        LiveWriters.unregister(ObjectIdentifier(self))
        defer { runLock?.release() }
        if endSession {
            _ = try? core.enqueue(HParamsSummary.sessionEndEvent(status: status ?? .success, at: clock.now()))
        }
        let subRunFailure = subRuns.closeAll()
        try core.close()
        if let subRunFailure { throw subRunFailure }
        return true
    }

    /// Runs `write` once per writer: throws `alreadyWritten` if a call already succeeded
    /// or is running; a call that throws leaves the slot free for another try.
    private func once(
        _ slot: WritableKeyPath<OnceState, Bool>, alreadyWritten: SummaryWriterError,
        _ write: () throws -> Void
    ) throws {
        try state.withLock { (state) throws(SummaryWriterError) in
            if state[keyPath: slot] { throw alreadyWritten }
            state[keyPath: slot] = true
        }
        do {
            try write()
        } catch {
            state.withLock { $0[keyPath: slot] = false }
            throw error
        }
    }

    /// Writes the run's graph with `write`; throws if one already was.
    func writingGraph(_ write: () throws -> Void) throws {
        try once(\.hasGraph, alreadyWritten: .graphAlreadyWritten, write)
    }

    /// Writes the run's hparams session start with `write`; throws if one already was.
    func writingHParams(_ write: () throws -> Void) throws {
        try once(\.hasHParams, alreadyWritten: .hparamsAlreadyWritten, write)
    }

    /// Flushes for the exit handler (`LiveWriters`): at most `timeout` seconds, no errors.
    func flushForExit(timeout: Double) {
        core.flush(waitingAtMost: timeout)
    }

    func now() -> Double { clock.now() }
}
