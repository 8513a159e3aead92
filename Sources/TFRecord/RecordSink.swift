/// Where framed records go. The file sink is `PosixFile`; tests pass an in-memory sink.
public protocol RecordSink: AnyObject {
    /// Writes all of `bytes` (one or more whole records) or throws, leaving no part of them.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws
    /// Forces written bytes to stable storage.
    func synchronize() throws
    /// Releases the sink; later writes fail.
    func close() throws
}

/// A file is a sink: a failed write is cut back to the whole records it wrote.
extension PosixFile: RecordSink {
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        let records = Array(bytes)
        try writeAll(records) { RecordFraming.wholeRecordsPrefix(records, limit: $0) }
    }
}

/// A sink that keeps everything in memory; for tests and for building files in memory.
public final class MemorySink: RecordSink, @unchecked Sendable {
    /// Everything written so far.
    public private(set) var bytes: [UInt8] = []
    /// Whether `close()` was called.
    public private(set) var isClosed = false

    public init() {}

    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard !isClosed else { throw RecordError.closed }
        self.bytes.append(contentsOf: bytes)
    }

    public func synchronize() throws {}

    public func close() throws { isClosed = true }
}
