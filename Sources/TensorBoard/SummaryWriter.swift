import Foundation
import SwiftProtobuf
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
/// in `logDirectory`, whose first record is `file_version: "brain.Event:2"`. Events are
/// encoded and written on a background thread: `add` only queues (it blocks while
/// `queueCapacity` events wait), the queue is written at least every `flushInterval`
/// seconds, `flush()` returns once everything added before it is written, and `close()`
/// (or `deinit`) writes the rest and closes the file.
///
/// Any thread may call any method; events added by one thread keep their order. A failure
/// on the background thread (disk full, file deleted) is thrown by the next call and by
/// `close()`.
public final class SummaryWriter: @unchecked Sendable {
    /// The directory holding the event file (TensorBoard's run).
    public let logDirectory: String
    /// The full path of the event file.
    public let filePath: String

    private let core: BackgroundEventWriter
    private let clock: @Sendable () -> Double
    private let state = Condition()
    private var hasGraph = false
    private var hasHParams = false
    private var isClosed = false
    /// Held for the writer's life when it was made `.exclusive` or `.uniqueSubRun`.
    private var runLock: RunLock?

    /// The writer name stored in each file's `source_metadata`.
    public static let sourceName = "swift-tensorboard"

    /// Creates the log directory if needed and a new event file in it.
    ///
    /// - Parameters:
    ///   - logDirectory: the run directory; created with its parents if missing.
    ///   - fileSuffix: appended to the file name (e.g. `".v2"`).
    ///   - flushInterval: seconds between background writes while events trickle in.
    ///   - queueCapacity: events that may wait before `add` blocks.
    ///   - durability: whether `flush()`/`close()` also `fsync`.
    ///   - sharing: `.shared` (default) lets other writers add files to the run;
    ///     `.exclusive` takes the run's `RunLock`; `.uniqueSubRun` takes it or moves to a
    ///     free `run-<n>` sub-directory (then `logDirectory` is that directory).
    ///   - environment: clock, host name and pid (inject fixed ones in tests).
    /// - Throws: `SummaryWriterError.cannotCreateDirectory`, `.runInUse` or `.writeFailed`.
    public convenience init(
        logDirectory: String,
        fileSuffix: String = "",
        flushInterval: Double = 2,
        queueCapacity: Int = 65_536,
        durability: Durability = .operatingSystem,
        sharing: RunSharing = .shared,
        environment: WriterEnvironment = .system
    ) throws {
        guard flushInterval > 0 else {
            throw SummaryWriterError.invalidArgument("flushInterval must be positive, got \(flushInterval)")
        }
        let lock: RunLock?
        switch sharing {
        case .shared: lock = nil
        case .exclusive: lock = try RunLock(directory: logDirectory)
        case .uniqueSubRun: lock = try RunLock.uniqueRun(under: logDirectory)
        }
        let directory = lock?.directory ?? logDirectory
        try LogDirectory.create(directory)
        let now = environment.clock()
        let name = EventFileName.make(
            wallTime: now, hostName: environment.hostName, processID: environment.processID, suffix: fileSuffix)
        let path = (directory as NSString).appendingPathComponent(name)
        let file: PosixFile
        do throws(IOError) {
            file = try PosixFile.openForWriting(path)
        } catch {
            throw SummaryWriterError.writeFailed(error)
        }
        try self.init(
            file: file, logDirectory: directory, createdAt: now, flushInterval: flushInterval,
            queueCapacity: queueCapacity, durability: durability, clock: environment.clock)
        runLock = lock
    }

    /// A writer over an open file (tests use `/dev/full` to get a real disk-full error).
    init(
        file: PosixFile, logDirectory: String, createdAt now: Double, flushInterval: Double,
        queueCapacity: Int, durability: Durability, clock: @escaping @Sendable () -> Double
    ) throws {
        self.logDirectory = logDirectory
        self.filePath = file.path
        self.clock = clock
        var first = Tensorflow_Event()
        first.wallTime = now
        first.fileVersion = "brain.Event:2"
        first.sourceMetadata.writer = Self.sourceName
        let firstRecord = RecordFraming.framed(try first.serializedBytes())
        do throws(IOError) {
            try file.writeAll(firstRecord)
        } catch {
            throw SummaryWriterError.writeFailed(error)
        }
        core = BackgroundEventWriter(
            file: file, durability: durability, flushInterval: flushInterval, capacity: queueCapacity)
    }

    deinit {
        _ = try? closeIfOpen(status: nil)
    }

    /// Adds a scalar (stored as float32, as TensorBoard reads it).
    ///
    /// - Parameters:
    ///   - scalar: the value.
    ///   - tag: the series name; `/` groups tags in the UI.
    ///   - step: the x coordinate; keep it increasing per tag.
    ///   - wallTime: seconds since the epoch; now if nil.
    /// - Throws: `SummaryWriterError` if the writer is closed or failed.
    public func add(scalar: Float, tag: String, step: Int, wallTime: Double? = nil) throws {
        try core.enqueueScalar(tag: tag, value: scalar, step: Int64(step), wallTime: wallTime ?? clock())
    }

    /// Adds a scalar of any floating-point type (stored as float32). Inlinable, so a
    /// `Double` from another module is converted in the caller's code, not through generic
    /// witnesses.
    @inlinable
    public func add<Value: BinaryFloatingPoint>(scalar: Value, tag: String, step: Int, wallTime: Double? = nil) throws {
        try add(scalar: Float(scalar), tag: tag, step: step, wallTime: wallTime)
    }

    /// Adds a built `Summary`, such as the one a merged summary op returns. The first value
    /// of each tag in the file keeps its metadata; later ones are written without it.
    public func add(summary: Tensorflow_Summary, step: Int, wallTime: Double? = nil) throws {
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
            throw SummaryWriterError.invalidArgument("the bytes are not a serialized Summary: \(error)")
        }
        try add(summary: summary, step: step, wallTime: wallTime)
    }

    /// Adds a session marker. `.start` at a step tells TensorBoard's Python loader to drop
    /// later-stepped events of a previous attempt (used when resuming from a checkpoint).
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

    /// Adds any event; `step` and `wallTime` (now if nil) are set on it.
    public func add(event: Tensorflow_Event, step: Int, wallTime: Double? = nil) throws {
        var event = event
        event.step = Int64(step)
        event.wallTime = wallTime ?? clock()
        try core.enqueue(event)
    }

    /// Returns once every event added before the call is in the file (and on disk when the
    /// writer was made with `.disk` durability).
    /// - Throws: the background failure, if any, or `.closed`.
    public func flush() throws {
        try core.flush()
    }

    /// Writes everything added, ends an hparams session with `status` (success by default
    /// when `add(hparams:)` was called), and closes the file.
    /// - Throws: the background failure, if any, or `.closed` when already closed.
    public func close(status: HParamsSessionStatus? = nil) throws {
        guard try closeIfOpen(status: status) else { throw SummaryWriterError.closed }
    }

    @discardableResult
    private func closeIfOpen(status: HParamsSessionStatus?) throws -> Bool {
        let (wasClosed, endSession) = state.withLock { () -> (Bool, Bool) in
            defer { isClosed = true }
            return (isClosed, hasHParams)
        }
        if wasClosed { return false }
        defer { runLock?.release() }
        if endSession {
            _ = try? core.enqueue(HParamsSummary.sessionEndEvent(status: status ?? .success, at: clock()))
        }
        try core.close()
        return true
    }

    /// Records that a graph was written; throws if one already was.
    func claimGraph() throws {
        try state.withLock {
            if hasGraph { throw SummaryWriterError.graphAlreadyWritten }
            hasGraph = true
        }
    }

    func markHParamsWritten() {
        state.withLock { hasHParams = true }
    }

    func now() -> Double { clock() }
}
