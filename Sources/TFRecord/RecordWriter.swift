/// Writes TFRecord-framed records to a sink. Each record (or batch of records) is framed in
/// memory and handed to the sink in one write, so a reader never sees half a header.
///
/// The layout of one record is documented on `RecordFraming`.
public final class RecordWriter {
    private let sink: any RecordSink
    private var buffer: [UInt8] = []

    /// Bytes written through this writer so far.
    public private(set) var bytesWritten = 0

    /// Creates a writer over `sink`.
    public init(sink: any RecordSink) {
        self.sink = sink
    }

    /// Frames `payload` and writes it as one record.
    /// - Throws: what the sink throws; the record is then not in the file.
    public func write(_ payload: UnsafeRawBufferPointer) throws {
        buffer.removeAll(keepingCapacity: true)
        RecordFraming.append(payload, to: &buffer)
        try writeFramed(buffer)
    }

    /// Frames `payload` and writes it as one record.
    public func write(_ payload: [UInt8]) throws {
        try payload.withUnsafeBytes { try write($0) }
    }

    /// Writes bytes that already hold whole framed records (see `RecordFraming.append`).
    public func writeFramed(_ records: [UInt8]) throws {
        try records.withUnsafeBytes { try sink.writeAll($0) }
        bytesWritten += records.count
    }

    /// Forces everything written to stable storage.
    public func synchronize() throws { try sink.synchronize() }

    /// Closes the sink.
    public func close() throws { try sink.close() }
}
