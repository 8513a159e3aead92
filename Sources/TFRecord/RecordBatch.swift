/// Framed records held in memory until a `RecordWriter` hands them to its sink in one write.
///
///     var batch = RecordBatch()
///     batch.append(payload: first)
///     batch.append(payload: second)
///     try writer.write(batch)             // one sink write for both records
///
/// Records are framed as they are appended (`RecordFraming`), so `bytes` is always a
/// sequence of whole records. `removeAll()` keeps the capacity: a batch refilled to a size
/// it reached before allocates nothing.
public struct RecordBatch: Sendable {
    /// The framed records, concatenated.
    public var bytes: [UInt8] { storage }
    /// The number of records.
    public var count: Int { recordCount }
    /// Whether the batch holds no record.
    public var isEmpty: Bool { recordCount == 0 }

    @usableFromInline var storage: [UInt8] = []
    @usableFromInline var recordCount = 0

    /// An empty batch.
    public init() {}

    /// A batch of the records framing `payloads`, in order.
    public init(payloads: [[UInt8]]) {
        for payload in payloads { append(payload: payload) }
    }

    /// Frames `payload` and appends the record.
    /// - Complexity: O(payload.count), amortized.
    public mutating func append(payload: UnsafeRawBufferPointer) {
        let start = storage.count
        storage.append(contentsOf: repeatElement(0, count: RecordFraming.headerSize))
        storage.append(contentsOf: payload)
        storage.append(contentsOf: repeatElement(0, count: RecordFraming.footerSize))
        storage.withUnsafeMutableBytes { all in
            RecordFraming.frameInPlace(UnsafeMutableRawBufferPointer(rebasing: all[start...]))
        }
        recordCount += 1
    }

    /// Frames `payload` and appends the record.
    public mutating func append(payload: [UInt8]) {
        payload.withUnsafeBytes { append(payload: $0) }
    }

    /// Appends a record framed by `RecordFraming.withFramedRecord` (one copy).
    /// - Complexity: O(record.bytes.count), amortized.
    @inlinable
    public mutating func append(_ record: FramedRecord) {
        guard let base = record.bytes.baseAddress else { return }
        storage.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: record.bytes.count))
        recordCount += 1
    }

    /// The batch's size in bytes.
    package var byteCount: Int { storage.count }

    /// Appends one record framed by `RecordFraming` and kept in two pieces (the event
    /// writer's ring splits a record at its end); `second` may be empty.
    package mutating func appendFramedRecord(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) {
        if let base = first.baseAddress {
            storage.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: first.count))
        }
        if let base = second.baseAddress, second.count > 0 {
            storage.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: second.count))
        }
        recordCount += 1
    }

    /// Appends the records of `other`, in order.
    public mutating func append(contentsOf other: RecordBatch) {
        storage.append(contentsOf: other.storage)
        recordCount += other.recordCount
    }

    /// Removes every record, keeping the memory for the next ones.
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        recordCount = 0
    }
}
