import Foundation
import Synchronization
import Testing
@testable import TensorBoard
import TestSupport

/// The writer's queue under contention: many threads, tiny queues, scalars mixed with
/// records held outside the ring, `flush()` and `close()` from other threads, and a file that
/// vanishes mid-run. Every `add` that returned is in the file, in its thread's order;
/// nothing that threw is; nothing hangs (threads run under a deadline, so a hang fails the
/// test instead of the suite).
struct WriterQueueStressTests {
    /// What each thread saw: the steps whose `add` returned, and any unexpected error.
    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var accepted: [[Int]]
        private var problems: [String] = []
        init(threads: Int) { accepted = Array(repeating: [], count: threads) }
        func accept(_ step: Int, thread: Int) { lock.withLock { accepted[thread].append(step) } }
        func problem(_ text: String) { lock.withLock { problems.append(text) } }
        var acceptedSteps: [[Int]] { lock.withLock { accepted } }
        var unexpected: [String] { lock.withLock { problems } }
    }

    /// Runs `body(thread)` on `threads` threads plus `extra` on one more; false if they do
    /// not all finish within `seconds`.
    static func run(
        threads: Int, seconds: Double, _ body: @escaping @Sendable (Int) -> Void,
        extra: (@Sendable () -> Void)? = nil
    ) -> Bool {
        let group = DispatchGroup()
        for thread in 0..<threads {
            group.enter()
            Thread {
                body(thread)
                group.leave()
            }.start()
        }
        if let extra {
            group.enter()
            Thread {
                extra()
                group.leave()
            }.start()
        }
        return group.wait(timeout: .now() + seconds) == .success
    }

    /// Text of 3 to 10 KB: over a quarter of a queue of up to 40 events, so held outside it.
    static func text(thread: Int, step: Int) -> String {
        String(repeating: "abcdefgh", count: 384 + (thread * 131 + step * 97) % 896)
    }

    /// Each thread's steps as the file holds them, from tags `s/<thread>` and `t/<thread>`.
    static func stepsInFile(of writer: SummaryWriter, threads: Int) throws -> [[Int]] {
        var steps = [[Int]](repeating: [], count: threads)
        for event in try summaryEvents(of: writer) {
            let tag = event.decoded.summary.value[0].tag
            guard let thread = Int(tag.dropFirst(2)), thread < threads else { continue }
            steps[thread].append(Int(event.decoded.step))
        }
        return steps
    }

    /// One round: `threads` threads add a mix of scalars and large texts to a writer with
    /// `queueCapacity`, some flushing, while another thread closes the writer midway.
    /// - Returns: how many `add`s `close()` refused.
    @discardableResult
    static func closeRacesWithAdders(
        queueCapacity: Int, flushInterval: Double, durability: Durability = .operatingSystem
    ) throws -> Int {
        let threads = 6
        let operations = 120
        let writer = try SummaryWriter(
            logDirectory: makeTemporaryDirectory("writer"), flushInterval: flushInterval,
            queueCapacity: queueCapacity, durability: durability, environment: fixedEnvironment)
        let outcome = Outcome(threads: threads)
        let started = Atomic<Int>(0)
        let finished = run(
            threads: threads, seconds: 20,
            { thread in
                for step in 0..<operations {
                    started.add(1, ordering: .relaxed)
                    do {
                        if step % 9 == 4 {
                            try writer.add(text: text(thread: thread, step: step), tag: "t/\(thread)", step: step)
                        } else {
                            try writer.add(scalar: Float(step), tag: "s/\(thread)", step: step)
                        }
                        outcome.accept(step, thread: thread)
                        if step % 13 == 7 { try writer.flush() }
                    } catch SummaryWriterError.closed {
                        continue
                    } catch {
                        outcome.problem("thread \(thread) step \(step): \(error)")
                    }
                }
            },
            extra: {
                while started.load(ordering: .relaxed) < threads * operations / 2 { sched_yield() }
                do { try writer.close() } catch { outcome.problem("close: \(error)") }
            })
        #expect(finished, "capacity \(queueCapacity): the adders or close() hung")
        guard finished else { return 0 }
        #expect(outcome.unexpected.isEmpty, "\(outcome.unexpected.prefix(5))")
        let inFile = try stepsInFile(of: writer, threads: threads)
        let accepted = outcome.acceptedSteps
        for thread in 0..<threads {
            #expect(inFile[thread] == accepted[thread], "capacity \(queueCapacity), thread \(thread)")
        }
        return threads * operations - accepted.map(\.count).reduce(0, +)
    }

    @Test(arguments: [1, 2, 4, 8])
    func acceptedEventsSurviveCloseFromAnotherThread(queueCapacity: Int) throws {
        var refused = 0
        for round in 0..<6 {
            refused += try Self.closeRacesWithAdders(
                queueCapacity: queueCapacity, flushInterval: round % 2 == 0 ? .infinity : 0.001,
                durability: round % 3 == 2 ? .disk : .operatingSystem)
        }
        // The close landed among the adds (else this tested nothing about the race).
        #expect(refused > 0)
    }

    /// The file is deleted while threads add to a tiny queue: nobody hangs, the failure is
    /// reported by `flush()` and `close()`, and every `add` on a thread after its `flush()`
    /// reported the failure throws too.
    @Test func deletedFileUnderContentionNeverHangs() throws {
        let threads = 4
        let writer = try makeWriter(flushInterval: .infinity, queueCapacity: 2)
        let outcome = Outcome(threads: threads)
        let sawFailure = Atomic<Int>(0)
        let finished = Self.run(
            threads: threads, seconds: 20,
            { thread in
                var failed = false
                // Until this thread has seen the failure, and 50 adds past it.
                var step = 0
                var stepsAfterFailure = 0
                while step < 20_000 && stepsAfterFailure < 50 {
                    defer {
                        step += 1
                        if failed { stepsAfterFailure += 1 }
                    }
                    do {
                        if step == 40 && thread == 0 { try FileManager.default.removeItem(atPath: writer.filePath) }
                        if step % 7 == 3 {
                            try writer.add(text: Self.text(thread: thread, step: step), tag: "t/\(thread)", step: step)
                        } else {
                            try writer.add(scalar: Float(step), tag: "s/\(thread)", step: step)
                        }
                        if failed { outcome.problem("thread \(thread): add after a reported failure returned") }
                        if step % 10 == 9 { try writer.flush() }
                    } catch SummaryWriterError.fileVanished {
                        failed = true
                    } catch {
                        outcome.problem("thread \(thread) step \(step): \(error)")
                    }
                }
                if failed { sawFailure.add(1, ordering: .relaxed) }
            })
        #expect(finished, "adders hung after the file vanished")
        guard finished else { return }
        #expect(outcome.unexpected.isEmpty, "\(outcome.unexpected.prefix(5))")
        #expect(sawFailure.load(ordering: .relaxed) == threads)
        #expect(throws: SummaryWriterError.self) { try writer.close() }
    }

    /// A record over a quarter of the queue is written before its `add` returns (the
    /// writer's documented promise): a long tag's first scalar, whose record carries it. Its
    /// later scalars take fixed-size entries (the worker encodes them from the tag's kept
    /// tail), so they wrap the small ring many times and arrive in order.
    @Test func longTagsFirstScalarIsWrittenBeforeAddReturnsAndLaterOnesQueue() throws {
        let writer = try makeWriter(flushInterval: .infinity, queueCapacity: 1)  // a 4 KiB ring
        let tag = String(repeating: "long/", count: 220)  // 1100 bytes: over the 1 KiB inline limit
        try writer.add(scalar: 0, tag: tag, step: 0)
        #expect(try summaryEvents(of: writer).map(\.decoded.step) == [0])
        for step in 1..<500 { try writer.add(scalar: Float(step), tag: tag, step: step) }
        try writer.close()
        let events = try summaryEvents(of: writer)
        #expect(events.map(\.decoded.step) == (0..<500).map(Int64.init))
        #expect(events.allSatisfy { $0.decoded.summary.value[0].tag == tag })
        #expect(events.map { $0.decoded.summary.value[0].simpleValue } == (0..<500).map(Float.init))
        #expect(events.map { $0.decoded.summary.value[0].hasMetadata } == [true] + [Bool](repeating: false, count: 499))
    }
}
