import Foundation
import SwiftProtobuf
import TFProtos
import TFRecord

/// Owns one event file and the thread that writes it.
///
/// Callers append `PendingEvent`s to a bounded queue under one lock (so events from one
/// thread keep their order). The worker thread takes the whole queue at once, encodes it
/// into one buffer and writes that buffer with one `write`, so the file only ever holds
/// whole records. It wakes when the queue reaches `batchSize`, when `flush()` asks, on
/// `close()`, and every `flushInterval` seconds even while idle.
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

    // Guarded by `condition`.
    private let condition = Condition()
    private var pending: [PendingEvent] = []
    private var requestedBarrier: UInt64 = 0
    private var completedBarrier: UInt64 = 0
    private var failure: SummaryWriterError?
    private var isClosing = false
    private var hasExited = false

    // Touched only by the worker thread.
    private var encoded: [UInt8] = []
    private var tagsInFile: Set<String> = []
    private var lastScalarTag: String?

    init(file: PosixFile, durability: Durability, flushInterval: Double, capacity: Int) {
        self.path = file.path
        self.file = file
        self.durability = durability
        self.flushInterval = flushInterval
        self.capacity = max(capacity, 1)
        self.batchSize = max(self.capacity / 4, 1)
        pending.reserveCapacity(self.capacity)
        let worker = Thread { [self] in runWorker() }
        worker.name = "SummaryWriter \(file.path)"
        worker.start()
    }

    /// Queues one event; blocks while the queue is full.
    /// - Throws: the worker's failure, or `.closed`.
    func enqueue(_ event: PendingEvent) throws(SummaryWriterError) {
        try condition.withLock { () throws(SummaryWriterError) in
            while true {
                if let failure { throw failure }
                if isClosing { throw .closed }
                if pending.count < capacity { break }
                condition.broadcast()
                condition.wait()
            }
            pending.append(event)
            if pending.count == batchSize { condition.broadcast() }
        }
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
        var batch: [PendingEvent] = []
        batch.reserveCapacity(capacity)
        while true {
            var barrier: UInt64 = 0
            var closing = false
            var timed = false
            var barrierRequested = false
            condition.withLock {
                if pending.count < batchSize && requestedBarrier == completedBarrier && !isClosing {
                    condition.wait(seconds: flushInterval)
                    timed = true
                }
                swap(&pending, &batch)
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

    private func write(_ batch: [PendingEvent], synchronize: Bool) throws(SummaryWriterError) {
        encoded.removeAll(keepingCapacity: true)
        for event in batch {
            switch event {
            case .scalar(let tag, let value, let step, let wallTime):
                // Most scalars repeat the previous tag; skip the set lookup for those.
                let isFirst = tag != lastScalarTag && tagsInFile.insert(tag).inserted
                lastScalarTag = tag
                ScalarEventEncoding.appendRecord(
                    tag: tag, value: value, step: step, wallTime: wallTime, withMetadata: isFirst,
                    to: &encoded)
            case .event(var event):
                if case .summary(var summary) = event.what {
                    keepMetadataOnFirstValuePerTag(&summary)
                    event.summary = summary
                }
                guard let payload: [UInt8] = try? event.serializedBytes() else {
                    throw .invalidArgument("an event could not be serialized")
                }
                RecordFraming.append(payload, to: &encoded)
            }
        }
        guard file.isStillLinked() else { throw .fileVanished(path: path) }
        do throws(IOError) {
            if !encoded.isEmpty {
                let batch = encoded
                try file.writeAll(batch) { RecordFraming.wholeRecordsPrefix(batch, limit: $0) }
            }
            if synchronize { try file.synchronize() }
        } catch {
            throw .writeFailed(error)
        }
    }

    /// TensorBoard reads a tag's plugin from its first value in each file and ignores later
    /// metadata, so only the first value of a tag keeps it.
    private func keepMetadataOnFirstValuePerTag(_ summary: inout Tensorflow_Summary) {
        for index in summary.value.indices {
            if !tagsInFile.insert(summary.value[index].tag).inserted {
                summary.value[index].clearMetadata()
            }
        }
    }
}
