#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SwiftProtobuf
import Synchronization
import TFProtos
import TFRecord

/// Owns one event file and the thread that writes it.
///
/// Callers frame their events straight into a `RecordRing`, the queue: a scalar of a tag
/// already in the file takes one atomic add to reserve its entry, a few stores of its
/// fields and one release store to commit it, and no lock (the worker encodes it).
/// Entries are written in the order they were reserved, so events from one thread keep
/// their order, and the first value of each tag in the file is the
/// one that carries its metadata: a value that may be its tag's first takes the lock, where
/// the set of tags in the file is decided, and reserves its entry before its tag is made
/// known to lock-free callers (`ScalarTagTable`), so their entries come after it.
///
/// The worker thread takes the committed entries in order into a `RecordBatch`, releases
/// their room to the callers, and writes the batch through its `RecordWriter` to the file
/// (the writer's `RecordSink`) with one `write`, so the file only ever holds whole records.
/// It wakes when a batch (a quarter of the ring, at most 256 KiB) has filled, when
/// `flush()` asks, when a caller waits for room, on `close()`, and every `flushInterval`
/// seconds even while idle (never, for an infinite interval). A caller blocks while the
/// ring is full. A record too large for the ring (over a quarter of it) is held outside
/// it, and its `add` returns once it is written (a scalar of a known tag is never queued
/// as a record: its entry holds its fields, whatever the tag).
///
/// A failure on the worker (disk full, file deleted) is kept and thrown by every call that
/// begins after it is recorded (a call racing with it may still be accepted, and its event
/// dropped with the rest of the queue), including `close()`; the worker keeps taking
/// entries (dropping them) so that no caller blocks.
final class BackgroundEventWriter: Sendable {
    let path: String
    private let file: PosixFile
    private let durability: Durability
    private let flushInterval: Double
    private let ring: RecordRing
    /// Bytes of queued entries that wake the worker, and the size past which it writes
    /// what it has taken: a quarter of the ring, at most `maximumBatchBytes` (a power of
    /// two).
    private let batchBytes: Int
    private let tagTable = ScalarTagTable()
    /// Set once `failure` is: callers check it without the lock.
    private let hasFailed = Atomic<Bool>(false)
    private let queue: ConditionLock<State>

    /// What callers and the worker share besides the ring; only touched holding the lock.
    struct State {
        /// Every tag with a value in the file or in the ring.
        var tagsInFile: Set<String> = []
        /// Ring positions below which a caller waits for the entries to be in the file.
        var writeTarget: UInt64 = 0
        /// ... and synchronized to disk (`flush()` with `.disk` durability).
        var syncTarget: UInt64 = 0
        /// Every entry below this position is in the file (or dropped after a failure).
        var written: UInt64 = 0
        /// ... and, with `.disk` durability, synchronized (what `flush()` waits for); `written`
        /// otherwise.
        var synced: UInt64 = 0
        /// Callers waiting for room in the ring.
        var roomWaiters = 0
        var failure: SummaryWriterError?
        var isClosing = false
        /// The end of the last entry accepted before `close()`.
        var closedAt: UInt64 = 0
        var hasExited = false
    }

    /// The most bytes of entries that wake the worker: it then follows a large queue closely
    /// (a smaller backlog to write at `close()`), at a cost of one wake-up per 5000 scalars.
    static let maximumBatchBytes = 1 << 18

    /// The ring's size for a queue of `capacity` units of 64 bytes, at most 1 GiB.
    static func ringBytes(forCapacity capacity: Int) -> Int {
        min(max(capacity, 1), 1 << 24) * 64
    }

    /// Starts the worker for `file`, whose records are all written through a `RecordWriter`
    /// over it from then on.
    /// - Throws: `.invalidArgument` if the memory for a queue of `capacity` events cannot
    ///   be had.
    init(file: PosixFile, durability: Durability, flushInterval: Double, capacity: Int) throws(SummaryWriterError) {
        let bytes = Self.ringBytes(forCapacity: capacity)
        guard let ring = RecordRing(minimumCapacity: bytes) else {
            throw .invalidArgument(
                "a queue of \(capacity) events needs \(bytes) bytes of memory, which the system refused; "
                    + "pass a smaller queueCapacity")
        }
        self.path = file.path
        self.file = file
        self.durability = durability
        self.flushInterval = flushInterval
        self.ring = ring
        batchBytes = min(ring.capacity / 4, Self.maximumBatchBytes)
        queue = ConditionLock(State())
        let worker = Thread { [self] in runWorker(RecordWriter(sink: file)) }
        worker.name = "SummaryWriter \(file.path)"
        worker.start()
    }

    // MARK: Adding

    /// Queues a scalar event; blocks while the queue is full.
    ///
    /// A tag in `tagTable` (its first value is queued) takes a scalar entry of the ring:
    /// the table's copy of the bytes the tag's events end with, the value, step and wall
    /// time, which the worker encodes without metadata. No lock, no encoding on the caller.
    /// Any other tag takes `enqueueScalarLocked`.
    /// - Throws: the worker's failure, or `.closed`.
    func enqueueScalar(tag: String, value: Float, step: Int64, wallTime: Double) throws(SummaryWriterError) {
        if hasFailed.load(ordering: .relaxed) { try throwFailure() }
        var utf8Tag = tag
        let result = utf8Tag.withUTF8 { utf8 -> Result<Void, SummaryWriterError> in
            let hash = ScalarTagTable.hash(utf8)
            guard let tail = tagTable.find(utf8, hash: hash) else {
                return Result { () throws(SummaryWriterError) in
                    try enqueueScalarLocked(tag: tag, utf8: utf8, hash: hash, value: value, step: step, wallTime: wallTime)
                }
            }
            guard let slot = ring.reserveScalar() else { return .failure(.closed) }
            if !ring.hasRoom(for: slot) { queue.withLock { waitForRoom(slot, $0) } }
            ring.fillScalar(slot, RecordRing.ScalarFields(tail: tail, value: value, step: step, wallTime: wallTime))
            if crossesBatch(slot) { queue.withLock { $0.broadcast() } }
            return .success(())
        }
        try result.get()
    }

    /// The scalar of a tag not (yet) in `tagTable`: under the lock, with the metadata if it
    /// is the tag's first value in the file; then the tag joins `tagTable`.
    private func enqueueScalarLocked(
        tag: String, utf8: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Float, step: Int64, wallTime: Double
    ) throws(SummaryWriterError) {
        try queue.withLock { (locked) throws(SummaryWriterError) in
            try checkOpen(locked)
            let isFirst = locked.state.tagsInFile.insert(tag).inserted
            let layout = ScalarEventEncoding.Layout(
                tagCount: utf8.count, step: step, wallTime: wallTime, withMetadata: isFirst)
            try put(payloadLength: layout.eventLength, holding: locked) { payload in
                ScalarEventEncoding.encode(layout, tag: utf8, value: value, step: step, wallTime: wallTime, into: payload)
            }
            // Only now: a caller that finds the tag in the table reserves after this entry.
            tagTable.insert(utf8, hash: hash) { ScalarEventEncoding.sharedTail(tag: utf8) }
        }
    }

    /// Queues any event; in a summary, each tag's metadata is kept only on the tag's first
    /// value in the file. Blocks while the queue is full.
    ///
    /// The event is serialized before the lock, with the metadata stripped from every value
    /// that was not the first of its tag when last looked at (at first, every value). Under
    /// the lock, the values that are first of their tag now are compared with that guess;
    /// when they differ (a new tag, or another thread's value got there first), the event is
    /// encoded again outside the lock with the new guess. A guess can only lose tags (tags
    /// never leave the file), so this ends after at most one more round per value.
    /// - Throws: the worker's failure, `.closed`, or `.invalidArgument` if it cannot be encoded.
    func enqueue(_ event: Tensorflow_Event) throws(SummaryWriterError) {
        guard case .summary(let summary) = event.what, !summary.value.isEmpty else {
            let payload = try Self.serialized(event)
            try queueRecord(payload) { _ in true }
            return
        }
        let hasMetadata = summary.value.map(\.hasMetadata)
        var keepsMetadata = [Bool](repeating: false, count: summary.value.count)
        while true {
            var stripped = summary
            for index in summary.value.indices where !keepsMetadata[index] && hasMetadata[index] {
                stripped.value[index].clearMetadata()
            }
            var encoded = event
            encoded.summary = stripped
            let payload = try Self.serialized(encoded)
            var firsts: [Bool] = []
            let queued = try queueRecord(payload) { locked in
                firsts = Self.firstValuesOfTheirTag(summary, in: locked.state.tagsInFile)
                let matches = firsts.indices.allSatisfy { index in
                    !hasMetadata[index] || firsts[index] == keepsMetadata[index]
                }
                guard matches else { return false }
                for index in firsts.indices where firsts[index] { locked.state.tagsInFile.insert(summary.value[index].tag) }
                return true
            }
            if queued { return }
            keepsMetadata = firsts
        }
    }

    /// Under the lock, queues the record of `payload` if `accept` (given the locked state)
    /// says so.
    /// - Returns: whether the record was queued.
    @discardableResult
    private func queueRecord(
        _ payload: [UInt8], accept: (ConditionLock<State>.Locked) -> Bool
    ) throws(SummaryWriterError) -> Bool {
        try queue.withLock { (locked) throws(SummaryWriterError) -> Bool in
            try checkOpen(locked)
            guard accept(locked) else { return false }
            let queued = payload.withUnsafeBytes { bytes in
                Result { () throws(SummaryWriterError) in
                    try put(payloadLength: bytes.count, holding: locked) { $0.copyMemory(from: bytes) }
                }
            }
            try queued.get()
            return true
        }
    }

    /// Reserves an entry, waits for its room, frames the payload `encode` writes into it,
    /// and wakes the worker when the entry fills a batch; an entry held outside the ring is
    /// waited for until written. The caller holds the lock (`locked`).
    private func put(
        payloadLength: Int, holding locked: ConditionLock<State>.Locked,
        encode: (UnsafeMutableRawBufferPointer) -> Void
    ) throws(SummaryWriterError) {
        guard let slot = ring.reserve(payloadLength: payloadLength) else { throw .closed }
        if !ring.hasRoom(for: slot) { waitForRoom(slot, locked) }
        ring.fill(slot, encodingPayload: encode)
        if slot.isIndirect {
            try waitUntilWritten(slot, locked)
        } else if crossesBatch(slot) {
            locked.broadcast()
        }
    }

    /// Asks the worker to write the entries up to `slot`'s end and waits (releasing the lock
    /// meanwhile) until it has: how an entry held outside the ring bounds the memory its
    /// caller's records take. The caller holds the lock (`locked`).
    /// - Throws: the worker's failure.
    private func waitUntilWritten(_ slot: RecordRing.Slot, _ locked: ConditionLock<State>.Locked) throws(SummaryWriterError) {
        locked.state.writeTarget = max(locked.state.writeTarget, slot.end)
        locked.broadcast()
        while locked.state.written < slot.end && locked.state.failure == nil && !locked.state.hasExited {
            locked.wait()
        }
        if let failure = locked.state.failure { throw failure }
    }

    /// Waits (releasing the lock meanwhile) until the worker has released the ring's bytes
    /// `slot` needs.
    private func waitForRoom(_ slot: RecordRing.Slot, _ locked: ConditionLock<State>.Locked) {
        while !ring.hasRoom(for: slot) {
            locked.state.roomWaiters += 1
            locked.broadcast()
            locked.wait()
            locked.state.roomWaiters -= 1
        }
    }

    /// Whether `slot` ends in a later batch (`batchBytes`) than it starts in: the
    /// positions differ in a bit from the batch size's up (a power of two), which costs no
    /// division.
    @inline(__always)
    private func crossesBatch(_ slot: RecordRing.Slot) -> Bool {
        slot.position ^ slot.end >= UInt64(batchBytes)
    }

    /// Throws the worker's failure, or `.closed` once `close()` has begun.
    private func checkOpen(_ locked: ConditionLock<State>.Locked) throws(SummaryWriterError) {
        if let failure = locked.state.failure { throw failure }
        if locked.state.isClosing { throw .closed }
    }

    private func throwFailure() throws(SummaryWriterError) {
        try queue.withLock { (locked) throws(SummaryWriterError) in try checkOpen(locked) }
    }

    private static func serialized(_ event: Tensorflow_Event) throws(SummaryWriterError) -> [UInt8] {
        do {
            return try event.serializedBytes()
        } catch {
            throw .invalidArgument("an event could not be serialized (\(error))")
        }
    }

    /// For each value of `summary`, whether it is the first value of its tag in the file:
    /// its tag is not in `tagsInFile` and not on an earlier value of the same summary.
    private static func firstValuesOfTheirTag(_ summary: Tensorflow_Summary, in tagsInFile: Set<String>) -> [Bool] {
        var seenHere: Set<String> = []
        return summary.value.map { value in
            !tagsInFile.contains(value.tag) && seenHere.insert(value.tag).inserted
        }
    }

    // MARK: Flushing and closing

    /// Returns once every event queued before the call is written (and synced, if asked).
    func flush() throws(SummaryWriterError) {
        try queue.withLock { (locked) throws(SummaryWriterError) in
            try checkOpen(locked)
            let target = requestFlush(locked)
            while locked.state.synced < target && locked.state.failure == nil && !locked.state.hasExited {
                locked.wait()
            }
            if let failure = locked.state.failure { throw failure }
        }
    }

    /// Like `flush()`, but waits at most `timeout` seconds and reports nothing: what the
    /// exit handler calls, where a hung file system must not hang the process's exit.
    func flush(waitingAtMost timeout: Double) {
        queue.withLock { locked in
            if locked.state.failure != nil || locked.state.isClosing || locked.state.hasExited { return }
            let target = requestFlush(locked)
            let deadline = ConditionLock<State>.monotonicSeconds() + timeout
            while locked.state.synced < target && locked.state.failure == nil && !locked.state.hasExited {
                let left = deadline - ConditionLock<State>.monotonicSeconds()
                if left <= 0 { return }
                locked.wait(seconds: left)
            }
        }
    }

    /// Asks the worker to write (and, with `.disk` durability, sync) every entry reserved so
    /// far; returns the position `synced` must reach.
    private func requestFlush(_ locked: ConditionLock<State>.Locked) -> UInt64 {
        let target = ring.reservedEnd
        locked.state.writeTarget = max(locked.state.writeTarget, target)
        locked.state.syncTarget = max(locked.state.syncTarget, target)
        locked.broadcast()
        return target
    }

    /// Writes everything queued, closes the file and stops the worker. Safe to call twice.
    func close() throws(SummaryWriterError) {
        try queue.withLock { (locked) throws(SummaryWriterError) in
            let alreadyClosing = locked.state.isClosing
            if !alreadyClosing {
                locked.state.isClosing = true
                locked.state.closedAt = ring.close()
            }
            locked.broadcast()
            while !locked.state.hasExited { locked.wait() }
            if let failure = locked.state.failure { throw failure }
            if alreadyClosing { throw .closed }
        }
    }

    // MARK: The worker

    /// The worker: takes the ring's entries in batches and writes them through `writer`.
    private func runWorker(_ writer: RecordWriter<PosixFile>) {
        var batch = RecordBatch()
        var position: UInt64 = 0
        while true {
            let (target, closing, timed, syncRequested) = queue.withLock { locked in
                var timed = false
                if !hasWork(locked, after: position) {
                    // An infinite interval waits without a deadline.
                    locked.wait(seconds: flushInterval)
                    timed = true
                }
                let closing = locked.state.isClosing
                // Compared with what is synced, not with `position`: a flush whose entries an
                // earlier round wrote without syncing still needs its sync.
                let syncRequested = locked.state.syncTarget > locked.state.synced
                return (closing ? locked.state.closedAt : ring.reservedEnd, closing, timed, syncRequested)
            }
            position = take(from: position, to: target, into: &batch, writer: writer)
            let synchronize = durability == .disk && (timed || closing || syncRequested)
            write(&batch, with: writer, synchronize: synchronize)
            let synced = durability != .disk || synchronize
            var closeError: IOError?
            if closing {
                do { try writer.close() } catch { closeError = error }
            }
            queue.withLock { locked in
                if locked.state.failure == nil, let closeError { record(.writeFailed(closeError), locked) }
                locked.state.written = position
                if synced { locked.state.synced = position }
                locked.state.hasExited = closing
                locked.broadcast()
            }
            if closing { return }
        }
    }

    /// Whether the worker has anything to do before its next timed wake-up.
    private func hasWork(_ locked: ConditionLock<State>.Locked, after position: UInt64) -> Bool {
        locked.state.isClosing || locked.state.writeTarget > position || locked.state.syncTarget > locked.state.synced
            || locked.state.roomWaiters > 0 || ring.reservedEnd - position >= UInt64(batchBytes)
    }

    /// Takes every entry from `position` to `target` into `batch` (written whenever it holds
    /// a batch's worth), releasing their room as it goes; returns `target`. An entry still
    /// being filled is waited for, after waking the callers (its own may be waiting for the
    /// room just released).
    private func take(
        from position: UInt64, to target: UInt64, into batch: inout RecordBatch, writer: RecordWriter<PosixFile>
    ) -> UInt64 {
        var position = position
        var idleRounds = 0
        while position < target {
            let reached = ring.take(from: position, to: target, into: &batch, byteLimit: batchBytes)
            if reached == position {
                // The room taken so far is released: wake a caller waiting for it, once.
                if idleRounds == 0 { queue.withLock { $0.broadcast() } }
                idleRounds += 1
                if idleRounds > 64 { sched_yield() }
                continue
            }
            idleRounds = 0
            position = reached
            ring.release(upTo: position)
            if batch.byteCount >= batchBytes { write(&batch, with: writer, synchronize: false) }
        }
        return position
    }

    /// Writes `batch` with one `write` (a partial write keeps whole records only) unless the
    /// writer has failed, then empties it. A failure is recorded for every later call.
    private func write(_ batch: inout RecordBatch, with writer: RecordWriter<PosixFile>, synchronize: Bool) {
        defer { batch.removeAll() }
        guard !hasFailed.load(ordering: .relaxed), !batch.isEmpty || synchronize else { return }
        do throws(SummaryWriterError) {
            guard file.isStillLinked() else { throw .fileVanished(path: path) }
            do throws(IOError) {
                try writer.write(batch)
                if synchronize { try writer.synchronize() }
            } catch {
                throw .writeFailed(error)
            }
        } catch {
            queue.withLock { record(error, $0) }
        }
    }

    /// Keeps `failure` for every later call.
    private func record(_ failure: SummaryWriterError, _ locked: ConditionLock<State>.Locked) {
        locked.state.failure = failure
        hasFailed.store(true, ordering: .relaxed)
        locked.broadcast()
    }
}
