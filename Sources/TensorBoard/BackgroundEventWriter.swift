import Foundation
import SwiftProtobuf
import TFProtos
import TFRecord

/// Owns one event file and the thread that writes it.
///
/// A caller serializes its event and frames it (`RecordFraming`) before taking the queue's
/// lock; under the lock it only checks for room, decides whether the event's tags are new
/// in the file, copies the framed record into the queue (a `RecordBatch`) and counts it.
/// Events from one thread therefore keep their order, and the first value of each tag in
/// the file is the one that carries its metadata (see `enqueueScalar` and `enqueue` for how
/// that stays exact when several threads add a new tag at once).
///
/// The worker thread swaps the whole queue for its spare batch and writes it through its
/// `RecordWriter` to the file (the writer's `RecordSink`) with one `write`, so the file only
/// ever holds whole records and a steady stream allocates nothing. It wakes when the queue
/// holds `batchSize` records, when `flush()` asks, on `close()`, and every `flushInterval`
/// seconds even while idle (never, for an infinite interval).
///
/// A failure on the worker (disk full, file deleted) is kept and thrown from every later
/// call, including `close()`.
final class BackgroundEventWriter: Sendable {
    let path: String
    private let file: PosixFile
    private let durability: Durability
    private let flushInterval: Double
    private let capacity: Int
    private let batchSize: Int
    private let queue: ConditionLock<Queue>

    /// Everything the callers and the worker share; only touched holding the lock.
    struct Queue {
        /// Framed records waiting for the worker.
        var pending = RecordBatch()
        /// Every tag with a value in the file or in `pending`.
        var tagsInFile: Set<String> = []
        /// The scalar tags known to be in `tagsInFile`, looked up without `Hasher`.
        var scalarTags = ScalarTagCache()
        var requestedBarrier: UInt64 = 0
        var completedBarrier: UInt64 = 0
        var failure: SummaryWriterError?
        var isClosing = false
        var hasExited = false
    }

    /// Starts the worker for `file`, whose records are all written through a `RecordWriter`
    /// over it from then on.
    init(file: PosixFile, durability: Durability, flushInterval: Double, capacity: Int) {
        self.path = file.path
        self.file = file
        self.durability = durability
        self.flushInterval = flushInterval
        self.capacity = max(capacity, 1)
        self.batchSize = max(self.capacity / 4, 1)
        self.queue = ConditionLock(Queue())
        let worker = Thread { [self] in runWorker(RecordWriter(sink: file)) }
        worker.name = "SummaryWriter \(file.path)"
        worker.start()
    }

    /// Queues a scalar event; blocks while the queue is full.
    ///
    /// The event is encoded and framed on the stack before the lock, without metadata: a
    /// tag's values after its first are the common case. Under the lock, a tag already in
    /// the file takes that record. A tag not yet there sends the caller back out to encode
    /// the variant with metadata; under the lock again, the tag is still new (the record
    /// with metadata is queued and the tag joins the file's tags) unless another thread
    /// queued its first value meanwhile (then the record without metadata is queued).
    /// - Throws: the worker's failure, or `.closed`.
    func enqueueScalar(tag: String, value: Float, step: Int64, wallTime: Double) throws(SummaryWriterError) {
        var utf8Tag = tag
        let result = utf8Tag.withUTF8 { utf8 -> Result<Void, SummaryWriterError> in
            let hash = ScalarTagCache.hash(utf8)
            return ScalarEventEncoding.withRecord(
                tag: utf8, value: value, step: step, wallTime: wallTime, withMetadata: false
            ) { plain -> Result<Void, SummaryWriterError> in
                let queued = Result { () throws(SummaryWriterError) -> Bool in
                    try queue.withLock { (locked) throws(SummaryWriterError) -> Bool in
                        try waitForRoom(locked)
                        if !locked.state.scalarTags.contains(tag, hash: hash) {
                            guard locked.state.tagsInFile.contains(tag) else { return false }
                            locked.state.scalarTags.insert(tag, hash: hash)
                        }
                        append(plain, to: locked)
                        return true
                    }
                }
                guard case .success(false) = queued else { return queued.map { _ in () } }
                return ScalarEventEncoding.withRecord(
                    tag: utf8, value: value, step: step, wallTime: wallTime, withMetadata: true
                ) { first -> Result<Void, SummaryWriterError> in
                    Result { () throws(SummaryWriterError) in
                        try queue.withLock { (locked) throws(SummaryWriterError) in
                            try waitForRoom(locked)
                            let isFirst = locked.state.tagsInFile.insert(tag).inserted
                            locked.state.scalarTags.insert(tag, hash: hash)
                            append(isFirst ? first : plain, to: locked)
                        }
                    }
                }
            }
        }
        try result.get()
    }

    /// Queues any event; in a summary, each tag's metadata is kept only on the tag's first
    /// value in the file. Blocks while the queue is full.
    ///
    /// The event is serialized and framed before the lock, with the metadata stripped from
    /// every value that was not the first of its tag when last looked at (at first, every
    /// value). Under the lock, the values that are first of their tag now are compared
    /// with that guess; when they differ (a new tag, or another thread's value got there
    /// first), the event is encoded again outside the lock with the new guess. A guess can
    /// only lose tags (tags never leave the file), so this ends after at most one more
    /// round per value.
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

    /// Frames `payload` outside the lock; under it, waits for room and queues the record
    /// if `accept` (given the queue) says so.
    /// - Returns: whether the record was queued.
    @discardableResult
    private func queueRecord(
        _ payload: [UInt8], accept: (ConditionLock<Queue>.Locked) -> Bool
    ) throws(SummaryWriterError) -> Bool {
        let result = payload.withUnsafeBytes { bytes in
            RecordFraming.withFramedRecord(payload: bytes) { record -> Result<Bool, SummaryWriterError> in
                Result { () throws(SummaryWriterError) -> Bool in
                    try queue.withLock { (locked) throws(SummaryWriterError) -> Bool in
                        try waitForRoom(locked)
                        guard accept(locked) else { return false }
                        append(record, to: locked)
                        return true
                    }
                }
            }
        }
        return try result.get()
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

    /// Waits (holding the lock between waits) until the queue has room. Throws the worker's
    /// failure or `.closed` instead.
    @inline(__always)
    private func waitForRoom(_ locked: ConditionLock<Queue>.Locked) throws(SummaryWriterError) {
        while true {
            if let failure = locked.state.failure { throw failure }
            if locked.state.isClosing { throw .closed }
            if locked.state.pending.count < capacity { return }
            locked.broadcast()
            locked.wait()
        }
    }

    /// Copies a framed record into the queue and wakes the worker when a batch is full.
    @inline(__always)
    private func append(_ record: FramedRecord, to locked: ConditionLock<Queue>.Locked) {
        locked.state.pending.append(record)
        if locked.state.pending.count == batchSize { locked.broadcast() }
    }

    /// Returns once every event queued before the call is written (and synced, if asked).
    func flush() throws(SummaryWriterError) {
        try queue.withLock { (locked) throws(SummaryWriterError) in
            if let failure = locked.state.failure { throw failure }
            if locked.state.isClosing { throw .closed }
            locked.state.requestedBarrier += 1
            let ticket = locked.state.requestedBarrier
            locked.broadcast()
            while locked.state.completedBarrier < ticket && locked.state.failure == nil && !locked.state.hasExited {
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
            locked.state.requestedBarrier += 1
            let ticket = locked.state.requestedBarrier
            locked.broadcast()
            let deadline = ConditionLock<Queue>.monotonicSeconds() + timeout
            while locked.state.completedBarrier < ticket && locked.state.failure == nil && !locked.state.hasExited {
                let left = deadline - ConditionLock<Queue>.monotonicSeconds()
                if left <= 0 { return }
                locked.wait(seconds: left)
            }
        }
    }

    /// Writes everything queued, closes the file and stops the worker. Safe to call twice.
    func close() throws(SummaryWriterError) {
        try queue.withLock { (locked) throws(SummaryWriterError) in
            let alreadyClosing = locked.state.isClosing
            locked.state.isClosing = true
            locked.broadcast()
            while !locked.state.hasExited { locked.wait() }
            if let failure = locked.state.failure { throw failure }
            if alreadyClosing { throw .closed }
        }
    }

    /// The worker: takes the queue in batches and writes them through `writer`.
    private func runWorker(_ writer: RecordWriter<PosixFile>) {
        var batch = RecordBatch()
        while true {
            let (barrier, closing, timed, barrierRequested, failed) = queue.withLock { locked in
                var timed = false
                if locked.state.pending.count < batchSize && locked.state.requestedBarrier == locked.state.completedBarrier
                    && !locked.state.isClosing
                {
                    // An infinite interval waits without a deadline.
                    locked.wait(seconds: flushInterval)
                    timed = true
                }
                swap(&locked.state.pending, &batch)
                locked.broadcast()
                let requested = locked.state.requestedBarrier
                return (
                    requested, locked.state.isClosing, timed, requested != locked.state.completedBarrier,
                    locked.state.failure != nil
                )
            }

            if !failed {
                do throws(SummaryWriterError) {
                    try write(batch, with: writer, synchronize: durability == .disk && (timed || closing || barrierRequested))
                } catch {
                    queue.withLock { $0.state.failure = error }
                }
            }
            batch.removeAll()

            if closing {
                var closeError: IOError?
                do { try writer.close() } catch { closeError = error }
                queue.withLock { locked in
                    if locked.state.failure == nil, let closeError { locked.state.failure = .writeFailed(closeError) }
                    locked.state.completedBarrier = barrier
                    locked.state.hasExited = true
                    locked.broadcast()
                }
                return
            }
            queue.withLock { locked in
                locked.state.completedBarrier = barrier
                locked.broadcast()
            }
        }
    }

    /// Writes a batch with one `write` (a partial write keeps whole records only).
    private func write(_ batch: RecordBatch, with writer: RecordWriter<PosixFile>, synchronize: Bool)
        throws(SummaryWriterError)
    {
        guard file.isStillLinked() else { throw .fileVanished(path: path) }
        do throws(IOError) {
            try writer.write(batch)
            if synchronize { try writer.synchronize() }
        } catch {
            throw .writeFailed(error)
        }
    }
}
