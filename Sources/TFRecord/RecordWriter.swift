/// Writes TFRecord-framed records to a sink: each record, or each `RecordBatch` of records,
/// reaches the sink in one `writeAll`, so a reader never sees half a header.
///
///     let writer = RecordWriter(sink: try PosixFile.openForWriting("data.tfrecord"))
///     try writer.write(payload)         // framed, then one write
///     try writer.close()
///
/// Every record this package writes takes this path: the event writer's background thread
/// writes its queue as a `RecordBatch` through one, `tfevents repair` writes the records it
/// keeps through one, and the tests build their files through one. The layout of a record
/// is documented on `RecordFraming`, the one place that frames.
///
/// A writer is used from one thread at a time (it is not `Sendable`).
public final class RecordWriter<Sink: RecordSink> {
    /// Where the records go.
    public let sink: Sink
    /// Reused for single records, so a steady stream of them allocates nothing.
    private var scratch = RecordBatch()

    /// Bytes written through this writer so far.
    public private(set) var bytesWritten = 0
    /// Records written through this writer so far.
    public private(set) var recordsWritten = 0

    /// Creates a writer over `sink`.
    public init(sink: Sink) {
        self.sink = sink
    }

    /// Frames `payload` and writes it as one record.
    /// - Throws: what the sink throws; the record is then not in the file.
    public func write(_ payload: UnsafeRawBufferPointer) throws(Sink.Failure) {
        scratch.removeAll()
        scratch.append(payload: payload)
        try write(scratch)
    }

    /// Frames `payload` and writes it as one record.
    /// - Throws: what the sink throws; the record is then not in the file.
    public func write(_ payload: [UInt8]) throws(Sink.Failure) {
        try payload.withBytes { (bytes) throws(Sink.Failure) in try write(bytes) }
    }

    /// Writes every record of `batch` with one `writeAll` (nothing for an empty batch).
    /// - Throws: what the sink throws; the sink then keeps at most a prefix of whole records.
    public func write(_ batch: RecordBatch) throws(Sink.Failure) {
        guard !batch.isEmpty else { return }
        try batch.withUnsafeBytes { (bytes) throws(Sink.Failure) in try sink.writeAll(bytes) }
        bytesWritten += batch.byteCount
        recordsWritten += batch.count
    }

    /// Forces everything written to stable storage.
    public func synchronize() throws(Sink.Failure) { try sink.synchronize() }

    /// Closes the sink.
    public func close() throws(Sink.Failure) { try sink.close() }
}
