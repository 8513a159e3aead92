import Foundation
import Testing
@testable import TensorBoard
import TFProtos
import TFRecord
import TestSupport

/// The writer's lock-free queue: records of every size and scalar entries from several
/// threads arrive whole, each thread's in its order, across many laps of a small ring;
/// closing refuses later reservations and keeps the earlier ones.
struct RecordRingTests {
    /// The payload thread `thread` sends as its `index`th record: the index in its first
    /// three bytes and the thread in the fourth, 8 to 1507 bytes in all (past the ring's
    /// inline limit, records are held outside the ring).
    static func payload(thread: Int, index: Int) -> [UInt8] {
        let size = 8 + (index * 37 + thread * 11) % 1500
        return (0..<size).map { offset in
            offset < 4
                ? UInt8(truncatingIfNeeded: (thread << 24 | index) >> (offset * 8))
                : UInt8(truncatingIfNeeded: offset &* 31 &+ index &+ thread &* 101)
        }
    }

    /// Parses concatenated framed records back into payloads.
    static func payloads(in bytes: [UInt8]) throws -> [[UInt8]] {
        var result: [[UInt8]] = []
        let reader = RecordReader(bytes: bytes)
        while let payload = try reader.next() { result.append(payload) }
        return result
    }

    /// The tags of the scalar entries the producers mix in, kept (with their shared tails)
    /// in a `ScalarTagTable` as the writer keeps them.
    static let scalarTags = ["loss", "train/loss_000", String(repeating: "z", count: 200)]

    /// Every third record of a thread is a scalar entry: this one's payload, as the worker
    /// encodes it (its step names the thread and the index).
    static func scalarPayload(thread: Int, index: Int) -> [UInt8] {
        ScalarEventEncoding.payload(
            tag: scalarTags[index % scalarTags.count], value: Float(index) * 0.25, step: Int64(thread << 24 | index),
            wallTime: 1_700_000_000 + Double(index), withMetadata: false)
    }

    /// What thread `thread` sends as its `index`th record.
    static func expectedPayload(thread: Int, index: Int) -> [UInt8] {
        index % 3 == 2 ? scalarPayload(thread: thread, index: index) : payload(thread: thread, index: index)
    }

    /// Three producer threads and a consumer thread (real threads: the producers spin while
    /// the ring is full, which would starve tasks sharing a cooperative pool). Each producer
    /// mixes framed records of every size with scalar entries the consumer encodes.
    @Test func threeProducersOneConsumerManyLaps() throws {
        guard let ring = RecordRing(minimumCapacity: 4096) else {
            Issue.record("no memory for a 4 KiB ring")
            return
        }
        #expect(ring.capacity == 4096 && ring.inlineLimit == 1024)
        let tails = ScalarTagTableTests.Table()
        for tag in Self.scalarTags {
            var copy = tag
            copy.withUTF8 { utf8 in
                tails.table.insert(utf8, hash: ScalarTagTable.hash(utf8)) { ScalarEventEncoding.sharedTail(tag: utf8) }
            }
        }
        let producers = 3
        let perProducer = 2000
        let done = DispatchGroup()
        for thread in 0..<producers {
            done.enter()
            Thread {
                for index in 0..<perProducer {
                    if index % 3 == 2 {
                        var tag = Self.scalarTags[index % Self.scalarTags.count]
                        guard let tail = tag.withUTF8({ tails.table.find($0, hash: ScalarTagTable.hash($0)) }),
                            let slot = ring.reserveScalar()
                        else { break }
                        while !ring.hasRoom(for: slot) { sched_yield() }
                        ring.fillScalar(
                            slot,
                            RecordRing.ScalarFields(
                                tail: tail, value: Float(index) * 0.25, step: Int64(thread << 24 | index),
                                wallTime: 1_700_000_000 + Double(index)))
                        continue
                    }
                    let payload = Self.payload(thread: thread, index: index)
                    guard let slot = ring.reserve(payloadLength: payload.count) else { break }
                    while !ring.hasRoom(for: slot) { sched_yield() }
                    payload.withUnsafeBytes { bytes in ring.fill(slot) { $0.copyMemory(from: bytes) } }
                }
                done.leave()
            }.start()
        }
        let collected = Collected()
        done.enter()
        Thread {
            var batch = RecordBatch()
            var position: UInt64 = 0
            var records = 0
            var idle = 0
            while records < producers * perProducer && idle < 50_000_000 {
                let reached = ring.take(from: position, to: ring.reservedEnd, into: &batch, byteLimit: 3000)
                if reached == position {
                    idle += 1
                    sched_yield()
                    continue
                }
                position = reached
                ring.release(upTo: position)
                records += batch.count
                collected.append(batch.bytes)
                batch.removeAll()
            }
            done.leave()
        }.start()
        #expect(done.wait(timeout: .now() + 60) == .success)
        let payloads = try Self.payloads(in: collected.bytes)
        #expect(payloads.count == producers * perProducer)
        // Each payload must be the next one of exactly one thread (payloads name their
        // thread and index, so at most one thread's next can match).
        var next = [Int](repeating: 0, count: producers)
        for (position, payload) in payloads.enumerated() {
            guard let thread = (0..<producers).first(where: { thread in
                next[thread] < perProducer && payload == Self.expectedPayload(thread: thread, index: next[thread])
            }) else {
                Issue.record("record \(position) is no thread's next (damaged, out of order or never sent)")
                return
            }
            next[thread] += 1
        }
        #expect(next == [Int](repeating: perProducer, count: producers))
    }

    /// Bytes the consumer thread hands to the test.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [UInt8] = []
        var bytes: [UInt8] { lock.withLock { storage } }
        func append(_ more: [UInt8]) { lock.withLock { storage += more } }
    }

    @Test func closingKeepsEarlierEntriesAndRefusesLaterOnes() throws {
        guard let ring = RecordRing(minimumCapacity: 1) else { return }
        let small = [UInt8](repeating: 7, count: 10)
        let large = [UInt8](repeating: 9, count: 5000)  // over the inline limit: held outside
        for payload in [small, large, small] {
            guard let slot = ring.reserve(payloadLength: payload.count) else {
                Issue.record("refused before closing")
                return
            }
            payload.withUnsafeBytes { bytes in ring.fill(slot) { $0.copyMemory(from: bytes) } }
        }
        let end = ring.close()
        #expect(ring.close() == end)
        #expect(ring.reserve(payloadLength: 1) == nil)
        #expect(ring.reserveScalar() == nil)
        var batch = RecordBatch()
        #expect(ring.take(from: 0, to: end, into: &batch, byteLimit: .max) == end)
        #expect(try Self.payloads(in: batch.bytes) == [small, large, small])
    }

    /// Through the writer: events larger than a quarter of a small queue (held outside the
    /// ring, written before `add` returns) between scalars that wrap the ring many times.
    @Test func writerKeepsLargeEventsInOrderWithASmallQueue() throws {
        let writer = try makeWriter(flushInterval: 3600, queueCapacity: 4)
        var expected: [String] = []
        for step in 0..<300 {
            try writer.add(scalar: Float(step), tag: "loss", step: step)
            expected.append("loss \(step)")
            if step % 50 == 0 {
                try writer.add(text: String(repeating: "x", count: 3000 + step), tag: "notes", step: step)
                expected.append("notes \(step)")
            }
        }
        try writer.close()
        let events = try summaryEvents(of: writer)
        #expect(events.map { "\($0.decoded.summary.value[0].tag) \($0.decoded.step)" } == expected)
    }
}

