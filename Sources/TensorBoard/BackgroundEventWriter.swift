import Foundation
import SwiftProtobuf
import TFProtos
import TFRecord

/// Owns one event file and the thread that writes it.
///
/// Callers encode each event as a framed record straight into a shared byte queue under
/// one lock (so events from one thread keep their order, and the first value of each tag
/// in the file is the one that carries its metadata). The worker thread swaps the whole
/// queue for its spare buffer and writes it with one `write`, so the file only ever holds
/// whole records and a steady stream allocates nothing. It wakes when the queue holds
/// `batchSize` records, when `flush()` asks, on `close()`, and every `flushInterval`
/// seconds even while idle (never, for an infinite interval). Scalars take a hand-written encoder (`ScalarEventEncoding`);
/// the bench's `writer-scalars` row measures the whole path.
///
/// A failure on the worker (disk full, file deleted) is kept and thrown from every later
/// call, including `close()`.
final class BackgroundEventWriter: @unchecked Sendable {
    let path: String
    private let file: PosixFile
    private let durability: Durability
    private let flushInterval: Double
    private let capacity: Int
    private let batchSize: Int

    // Guarded by `condition`. The lock already makes every access exclusive, so the state
    // `add(scalar:)` touches opts out of Swift's dynamic (per-access, runtime) exclusivity
    // checks.
    private let condition = Condition()
    /// Framed records waiting for the worker, and how many.
    @exclusivity(unchecked) private var pending: [UInt8] = []
    @exclusivity(unchecked) private var pendingCount = 0
    @exclusivity(unchecked) private var tagsInFile: Set<String> = []
    /// The scalar tags known to be in `tagsInFile`, looked up without hashing with `Hasher`.
    @exclusivity(unchecked) private var scalarTags = ScalarTagCache()
    private var requestedBarrier: UInt64 = 0
    private var completedBarrier: UInt64 = 0
    @exclusivity(unchecked) private var failure: SummaryWriterError?
    @exclusivity(unchecked) private var isClosing = false
    private var hasExited = false


    init(file: PosixFile, durability: Durability, flushInterval: Double, capacity: Int) {
        self.path = file.path
        self.file = file
        self.durability = durability
        self.flushInterval = flushInterval
        self.capacity = max(capacity, 1)
        self.batchSize = max(self.capacity / 4, 1)
        let worker = Thread { [self] in runWorker() }
        worker.name = "SummaryWriter \(file.path)"
        worker.start()
    }

    /// Queues a scalar event; blocks while the queue is full.
    /// - Throws: the worker's failure, or `.closed`.
    func enqueueScalar(tag: String, value: Float, step: Int64, wallTime: Double) throws(SummaryWriterError) {
        try condition.withLock { () throws(SummaryWriterError) in
            try waitForRoom()
            ScalarEventEncoding.appendRecord(
                tag: tag, value: value, step: step, wallTime: wallTime, tags: &scalarTags,
                isNewInFile: { tagsInFile.insert($0).inserted }, to: &pending)
            recordQueued()
        }
    }

    /// Queues any event; a summary keeps each tag's metadata only on the tag's first value
    /// in the file. Blocks while the queue is full.
    /// - Throws: the worker's failure, `.closed`, or `.invalidArgument` if it cannot be encoded.
    func enqueue(_ event: Tensorflow_Event) throws(SummaryWriterError) {
        try condition.withLock { () throws(SummaryWriterError) in
            try waitForRoom()
            var event = event
            var newTags: [String] = []
            if case .summary(var summary) = event.what {
                newTags = keepMetadataOnFirstValuePerTag(&summary)
                event.summary = summary
            }
            guard let payload: [UInt8] = try? event.serializedBytes() else {
                // Nothing was queued, so those tags' first values are still to come.
                for tag in newTags { tagsInFile.remove(tag) }
                throw .invalidArgument("an event could not be serialized")
            }
            RecordFraming.append(payload, to: &pending)
            recordQueued()
        }
    }

    /// Waits (holding the lock between waits) until the queue has room. Throws the worker's
    /// failure or `.closed` instead.
    private func waitForRoom() throws(SummaryWriterError) {
        while true {
            if let failure { throw failure }
            if isClosing { throw .closed }
            if pendingCount < capacity { return }
            condition.broadcast()
            condition.wait()
        }
    }

    private func recordQueued() {
        pendingCount += 1
        if pendingCount == batchSize { condition.broadcast() }
    }

    /// Returns once every event queued before the call is written (and synced, if asked).
    func flush() throws(SummaryWriterError) {
        try condition.withLock { () throws(SummaryWriterError) in
            if let failure { throw failure }
            if isClosing { throw .closed }
            requestedBarrier += 1
            let ticket = requestedBarrier
            condition.broadcast()
            while completedBarrier < ticket && failure == nil && !hasExited {
                condition.wait()
            }
            if let failure { throw failure }
        }
    }

    /// Like `flush()`, but waits at most `timeout` seconds and reports nothing: what the
    /// exit handler calls, where a hung file system must not hang the process's exit.
    func flush(waitingAtMost timeout: Double) {
        condition.withLock {
            if failure != nil || isClosing || hasExited { return }
            requestedBarrier += 1
            let ticket = requestedBarrier
            condition.broadcast()
            let deadline = Condition.monotonicSeconds() + timeout
            while completedBarrier < ticket && failure == nil && !hasExited {
                let left = deadline - Condition.monotonicSeconds()
                if left <= 0 { return }
                condition.wait(seconds: left)
            }
        }
    }

    /// Writes everything queued, closes the file and stops the worker. Safe to call twice.
    func close() throws(SummaryWriterError) {
        try condition.withLock { () throws(SummaryWriterError) in
            let alreadyClosing = isClosing
            isClosing = true
            condition.broadcast()
            while !hasExited { condition.wait() }
            if let failure { throw failure }
            if alreadyClosing { throw .closed }
        }
    }

    private func runWorker() {
        var batch: [UInt8] = []
        while true {
            var barrier: UInt64 = 0
            var closing = false
            var timed = false
            var barrierRequested = false
            condition.withLock {
                if pendingCount < batchSize && requestedBarrier == completedBarrier && !isClosing {
                    // Condition.wait(seconds:) waits without a deadline for an infinite interval.
                    condition.wait(seconds: flushInterval)
                    timed = true
                }
                swap(&pending, &batch)
                pendingCount = 0
                barrier = requestedBarrier
                barrierRequested = requestedBarrier != completedBarrier
                closing = isClosing
                condition.broadcast()
            }

            let failed = condition.withLock { failure != nil }
            if !failed {
                do throws(SummaryWriterError) {
                    try write(batch, synchronize: durability == .disk && (timed || closing || barrierRequested))
                } catch {
                    condition.withLock { failure = error }
                }
            }
            batch.removeAll(keepingCapacity: true)

            if closing {
                var closeError: IOError?
                do { try file.close() } catch { closeError = error }
                condition.withLock {
                    if failure == nil, let closeError { failure = .writeFailed(closeError) }
                    completedBarrier = barrier
                    hasExited = true
                    condition.broadcast()
                }
                return
            }
            condition.withLock {
                completedBarrier = barrier
                condition.broadcast()
            }
        }
    }

    /// Writes framed records with one `write` (a partial write keeps whole records only).
    private func write(_ batch: [UInt8], synchronize: Bool) throws(SummaryWriterError) {
        guard file.isStillLinked() else { throw .fileVanished(path: path) }
        do throws(IOError) {
            if !batch.isEmpty {
                try file.writeAll(batch) { RecordFraming.wholeRecordsPrefix(batch, limit: $0) }
            }
            if synchronize { try file.synchronize() }
        } catch {
            throw .writeFailed(error)
        }
    }

    /// TensorBoard reads a tag's plugin from its first value in each file and ignores later
    /// metadata, so only the first value of a tag keeps it.
    /// Returns the tags seen for the first time.
    private func keepMetadataOnFirstValuePerTag(_ summary: inout Tensorflow_Summary) -> [String] {
        var newTags: [String] = []
        for index in summary.value.indices {
            if tagsInFile.insert(summary.value[index].tag).inserted {
                newTags.append(summary.value[index].tag)
            } else {
                summary.value[index].clearMetadata()
            }
        }
        return newTags
    }
}
