import Synchronization

/// Where framed records go. A `RecordWriter` hands its sink each record, or each
/// `RecordBatch`, in one `writeAll` call, so a sink only ever receives whole records.
///
/// The sinks of this package: `PosixFile` (a file; the event writer's), `AtomicFile` (a file
/// replaced all at once; `tfevents repair`'s) and `MemorySink` (memory; tests, and files
/// built in memory).
public protocol RecordSink: AnyObject {
    /// What the sink throws.
    associatedtype Failure: Error

    /// Writes all of `bytes` (one or more whole records) or throws; after a failure the
    /// destination holds at most the whole records that reached it, never part of one.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws(Failure)
    /// Forces written bytes to stable storage.
    func synchronize() throws(Failure)
    /// Finishes the sink; later writes fail.
    func close() throws(Failure)
}

/// A file is a sink: a write that fails part way (disk full, file-size limit) is cut back
/// to the whole records it wrote.
extension PosixFile: RecordSink {
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        try writeAll(bytes, keeping: { RecordFraming.wholeRecordsPrefix(bytes, limit: $0) })
    }
}

/// A sink that keeps everything in memory; for tests and for building files in memory.
/// Any thread may use it (a lock guards its contents).
public final class MemorySink: RecordSink, Sendable {
    private struct Contents {
        var bytes: [UInt8] = []
        var isClosed = false
    }

    private let contents = Mutex(Contents())

    public init() {}

    /// Everything written so far.
    public var bytes: [UInt8] { contents.withLock { $0.bytes } }
    /// Whether `close()` was called.
    public var isClosed: Bool { contents.withLock { $0.isClosed } }

    /// Appends `bytes`.
    /// - Throws: `RecordError.closed` after `close()`.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(RecordError) {
        try contents.withLock { (contents) throws(RecordError) in
            guard !contents.isClosed else { throw .closed }
            contents.bytes.append(contentsOf: bytes)
        }
    }

    /// Does nothing: memory has no stable storage to reach.
    public func synchronize() throws(RecordError) {}

    /// Refuses later writes.
    public func close() throws(RecordError) {
        contents.withLock { $0.isClosed = true }
    }
}
