import Foundation
import Testing
import TFRecord
@testable import TensorBoard
import TestSupport

/// The background writer's contract: barrier flush, idle flush, close, failures surfaced,
/// and per-thread order under concurrency.
struct AsyncWriterTests {
    @Test func flushIsABarrier() throws {
        let writer = try makeWriter(flushInterval: 3600)
        for step in 0..<1000 { try writer.add(scalar: Float(step), tag: "x", step: step) }
        try writer.flush()
        #expect(try summaryEvents(of: writer).count == 1000)
        try writer.close()
    }

    @Test func idleWriterFlushesWithinTheInterval() throws {
        let writer = try makeWriter(flushInterval: 0.2)
        try writer.add(scalar: 1, tag: "x", step: 1)
        let deadline = Date().addingTimeInterval(5)
        var seen = 0
        while Date() < deadline {
            seen = try summaryEvents(of: writer).count
            if seen == 1 { break }
            usleep(50_000)
        }
        #expect(seen == 1)
        try writer.close()
    }

    @Test func closeWritesEverythingAndLaterCallsThrow() throws {
        let writer = try makeWriter(flushInterval: 3600)
        try writer.add(scalar: 1, tag: "x", step: 1)
        try writer.close()
        #expect(try summaryEvents(of: writer).count == 1)
        #expect(throws: SummaryWriterError.self) { try writer.add(scalar: 2, tag: "x", step: 2) }
        #expect(throws: SummaryWriterError.self) { try writer.flush() }
        #expect(throws: SummaryWriterError.self) { try writer.close() }
    }

    @Test func deinitClosesAnOpenWriter() throws {
        var path = ""
        do {
            let writer = try makeWriter(flushInterval: 3600)
            path = writer.filePath
            try writer.add(scalar: 1, tag: "x", step: 1)
        }
        #expect(try EventFileReader(path: path).readAll().count == 2)
    }

    @Test func smallQueueBlocksInsteadOfDropping() throws {
        let writer = try makeWriter(flushInterval: 3600, queueCapacity: 4)
        for step in 0..<500 { try writer.add(scalar: 1, tag: "x", step: step) }
        try writer.close()
        #expect(try summaryEvents(of: writer).map(\.decoded.step) == (0..<500).map(Int64.init))
    }

    @Test func deletedFileIsReportedOnTheNextCallAndByClose() throws {
        let writer = try makeWriter(flushInterval: 3600)
        try writer.add(scalar: 1, tag: "x", step: 1)
        try writer.flush()
        try FileManager.default.removeItem(atPath: writer.filePath)
        try writer.add(scalar: 2, tag: "x", step: 2)
        #expect {
            try writer.flush()
        } throws: { error in
            guard case .fileVanished = error as? SummaryWriterError else { return false }
            return true
        }
        #expect(throws: SummaryWriterError.self) { try writer.add(scalar: 3, tag: "x", step: 3) }
        #expect(throws: SummaryWriterError.self) { try writer.close() }
    }

    /// A real full file system: a 64 KiB tmpfs filled to the last block (mounting needs
    /// root, which CI has; elsewhere the end-to-end file-size-limit test covers the path).
    @Test func diskFullIsAClearError() throws {
        guard let mountPoint = try mountTinyFileSystem(kilobytes: 64, skipping: "the writer's disk-full case") else { return }
        defer { unmountTinyFileSystem(mountPoint) }
        let filler = try PosixFile.openForWriting(mountPoint + "/filler")
        let block = [UInt8](repeating: 7, count: 4096)
        while (try? filler.writeAll(block)) != nil {}
        try filler.close()
        #expect {
            let writer = try SummaryWriter(logDirectory: mountPoint + "/run", flushInterval: 3600)
            try writer.add(scalar: 1, tag: "x", step: 1)
            try writer.close()
        } throws: { error in
            guard case .writeFailed(let io) = error as? SummaryWriterError else { return false }
            return io.code == ENOSPC && "\(error)".contains("No space left on device")
        }
    }

    @Test func logDirectoryThatIsAFileIsRefused() throws {
        let directory = makeTemporaryDirectory("notadir")
        let path = directory + "/file"
        try writeFileBytes([1], to: path)
        #expect(throws: SummaryWriterError.self) { _ = try SummaryWriter(logDirectory: path) }
    }

    @Test func eightThreadsKeepTheirOwnOrder() throws {
        let writer = try makeWriter(flushInterval: 3600, queueCapacity: 1024)
        let threads = 8
        let perThread = 10_000
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for step in 0..<perThread {
                try? writer.add(scalar: Float(step), tag: "thread\(thread)", step: step)
            }
        }
        try writer.close()
        let events = try summaryEvents(of: writer)
        #expect(events.count == threads * perThread)
        var steps: [String: [Int64]] = [:]
        for record in events { steps[record.decoded.summary.value[0].tag, default: []].append(record.decoded.step) }
        for thread in 0..<threads {
            #expect(steps["thread\(thread)"] == (0..<perThread).map(Int64.init))
        }
    }
}
