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
    /// The framed records, concatenated: a copy.
    /// - Complexity: O(`byteCount`).
    public var bytes: [UInt8] { Array(storage[..<used]) }
    /// The number of records.
    public var count: Int { recordCount }
    /// Whether the batch holds no record.
    public var isEmpty: Bool { recordCount == 0 }

    /// The records are `storage[..<used]`; the bytes after them are room kept from earlier
    /// growth (what they hold does not matter), so an append writes in place.
    @usableFromInline var storage: [UInt8] = []
    @usableFromInline var used = 0
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
        appendRecord(payloadLength: payload.count) { $0.copyMemory(from: payload) }
    }

    /// Frames `payload` and appends the record.
    public mutating func append(payload: [UInt8]) {
        payload.withUnsafeBytes { append(payload: $0) }
    }

    /// Appends a record framed by `RecordFraming.withFramedRecord` (one copy).
    /// - Complexity: O(record.bytes.count), amortized.
    public mutating func append(_ record: FramedRecord) {
        appendBytes(count: record.bytes.count) { $0.copyMemory(from: record.bytes) }
        recordCount += 1
    }

    /// Frames, in place at the batch's end, the record whose payload `encode` writes (exactly
    /// `payloadLength` bytes) and appends it.
    @inlinable @inline(__always)
    package mutating func appendRecord(
        payloadLength: Int, encodingPayload encode: (UnsafeMutableRawBufferPointer) -> Void
    ) {
        appendBytes(count: payloadLength &+ RecordFraming.overhead) { record in
            RecordFraming.frame(into: record, encodingPayload: encode)
        }
        recordCount += 1
    }

    /// The batch's size in bytes.
    package var byteCount: Int { used }

    /// Appends one record framed by `RecordFraming` and kept in two pieces (the event
    /// writer's ring splits a record at its end); `second` may be empty.
    package mutating func appendFramedRecord(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) {
        appendBytes(count: first.count + second.count) { room in
            room.copyMemory(from: first)
            UnsafeMutableRawBufferPointer(rebasing: room[first.count...]).copyMemory(from: second)
        }
        recordCount += 1
    }

    /// Appends the records of `other`, in order.
    public mutating func append(contentsOf other: RecordBatch) {
        other.withUnsafeBytes { records in appendBytes(count: records.count) { $0.copyMemory(from: records) } }
        recordCount += other.recordCount
    }

    /// Removes every record, keeping the memory for the next ones.
    public mutating func removeAll() {
        used = 0
        recordCount = 0
    }

    /// Calls `body` with the framed records, concatenated.
    func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let outcome = storage.withUnsafeBytes { all in
            Swift.Result { () throws(Failure) -> Result in try body(UnsafeRawBufferPointer(rebasing: all[..<used])) }
        }
        return try outcome.get()
    }

    /// Lets `write` fill the next `count` bytes (growing the storage when it must), then
    /// counts them in.
    @inlinable @inline(__always)
    mutating func appendBytes(count: Int, _ write: (UnsafeMutableRawBufferPointer) -> Void) {
        let start = used
        if storage.count - start < count { grow(toHold: start + count) }
        storage.withUnsafeMutableBytes { all in write(UnsafeMutableRawBufferPointer(rebasing: all[start..<start + count])) }
        used = start + count
    }

    /// Grows the storage to at least `byteCount` bytes, doubling.
    @usableFromInline @inline(never)
    mutating func grow(toHold byteCount: Int) {
        let target = max(byteCount, storage.count * 2, 256)
        storage.append(contentsOf: repeatElement(0, count: target - storage.count))
    }
}
