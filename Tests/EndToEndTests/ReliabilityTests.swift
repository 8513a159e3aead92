import Foundation
import Testing
import TFRecord
import TensorBoard
import TestSupport

/// Crash safety, damage and concurrency (issue 6), short forms. `KILL_TRIALS=100` runs the
/// long form of the kill -9 trials.
struct ReliabilityTests {
    @Test func eightThreadsTimesOneHundredThousandAddsKeepEveryEventInOrder() throws {
        let writer = try SummaryWriter(logDirectory: makeTemporaryDirectory("threads"), flushInterval: 3600, queueCapacity: 4096)
        let perThread = 100_000
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for step in 0..<perThread { try? writer.add(scalar: Float(step), tag: "t\(thread)", step: step) }
        }
        try writer.close()
        let reader = try RecordReader(path: writer.filePath)
        var count = 0
        while try reader.nextPayload() != nil { count += 1 }
        #expect(count == 8 * perThread + 1)
        var last: [String: Int64] = [:]
        var ordered = true
        for record in try EventFileReader(path: writer.filePath).readAll().dropFirst() {
            let tag = record.event.summary.value[0].tag
            if let previous = last[tag], previous + 1 != record.event.step { ordered = false }
            last[tag] = record.event.step
        }
        #expect(ordered)
        #expect(last.count == 8 && last.values.allSatisfy { $0 == Int64(perThread - 1) })
    }

    @Test func fourProcessesWriteOneLogDirectoryAtOnce() throws {
        let directory = makeTemporaryDirectory("processes")
        let processes = try (0..<4).map { _ -> Process in
            let process = Process()
            process.executableURL = productsDirectory.appendingPathComponent("bench-ours")
            process.arguments = ["make-event-file", directory, "50000"]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let files = EventFileReader.eventFiles(inRun: directory)
        #expect(files.count == 4)
        for file in files {
            let report = EventFileValidator.validate(file: file)
            #expect(report.isClean && report.records == 50_001, "\(file): \(report)")
        }
    }

    @Test func fileSizeLimitIsAClearErrorAndLeavesOnlyWholeRecords() throws {
        let directory = makeTemporaryDirectory("fsize")
        let binary = productsDirectory.appendingPathComponent("bench-ours").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "ulimit -f 64; exec \"$0\" make-event-file \"$1\" 200000", binary, directory]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(message.contains("File too large"), "\(message)")
        let files = EventFileReader.eventFiles(inRun: directory)
        #expect(files.count == 1)
        let report = EventFileValidator.validate(file: files[0])
        #expect(report.isClean, "\(report)")
        #expect(report.records > 1 && report.validBytes <= 64 * 1024)
    }

    @Test func killNineTrialsLoseNothingFlushedAndResume() throws {
        let trials = Int(ProcessInfo.processInfo.environment["KILL_TRIALS"] ?? "") ?? 4
        var generator = SeededRandom(seed: 2026)
        for trial in 0..<trials {
            let logDir = makeTemporaryDirectory("kill\(trial)")
            let (process, out) = try startProduct("fully-connected-feed", ["--fake-data", "--max-steps", "100000000", "--log-dir", logDir])
            let delay = 0.5 + Double(generator.next() % 2500) / 1000
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let printedSteps = printed.split(separator: "\n").compactMap { line -> Int64? in
                guard line.hasPrefix("Step ") else { return nil }
                return Int64(line.dropFirst(5).prefix { $0.isNumber })
            }

            let validate = try runProduct("tfevents", ["validate", "--allow-truncated-tail", logDir])
            #expect(validate.status == 0, "trial \(trial) after \(delay) s: \(validate.stdout)")
            let reader = try EventFileReader(path: logDir, tail: .tolerateTruncatedTail)
            let written = Set(try reader.readAll().filter { $0.event.summary.value.first?.tag == "loss" }.map(\.event.step))
            #expect(printedSteps.allSatisfy(written.contains), "trial \(trial): a printed (flushed) step is missing")

            if FileManager.default.fileExists(atPath: logDir + "/checkpoint") {
                let resumed = try runProduct("fully-connected-feed", ["--fake-data", "--resume", "--log-dir", logDir, "--max-steps", "0"])
                #expect(resumed.status == 0, "trial \(trial): \(resumed.stderr)")
                #expect(resumed.stdout.contains("Restored"))
            }
        }
    }

    @Test func tenThousandSeededFlipsAndTruncationsAreAllDetectedAtTheRightRecord() throws {
        let writer = try SummaryWriter(logDirectory: makeTemporaryDirectory("flips"))
        for step in 0..<100 { try writer.add(scalar: Float(step), tag: step % 2 == 0 ? "loss" : "accuracy", step: step) }
        try writer.add(text: "notes", tag: "text", step: 1)
        try writer.close()
        let original = try readFileBytes(writer.filePath)
        var starts: [Int] = []
        let reader = RecordReader(bytes: original)
        while true {
            let offset = reader.offset
            guard try reader.nextPayload() != nil else { break }
            starts.append(offset)
        }
        func record(containing index: Int) -> Int { starts.last { $0 <= index } ?? 0 }

        var generator = SeededRandom(seed: 7)
        for trial in 0..<10_000 {
            var damaged = original
            let expectedOffset: Int
            if trial % 4 == 3 {
                let cut = Int(generator.next() % UInt64(original.count - 1)) + 1
                damaged.removeSubrange(cut...)
                expectedOffset = record(containing: cut - 1) == cut ? cut : record(containing: cut - 1)
                if starts.contains(cut) { continue }  // a cut between records is a clean, shorter file
            } else {
                let index = Int(generator.next() % UInt64(original.count))
                damaged[index] ^= UInt8(1 + generator.next() % 255)
                expectedOffset = record(containing: index)
            }
            let check = RecordReader(bytes: damaged)
            do {
                while try check.nextPayload() != nil {}
                Issue.record("trial \(trial): damage not detected")
            } catch {
                #expect(error.offset == expectedOffset, "trial \(trial): \(error)")
            }
        }
    }
}

/// A tiny seeded generator for reproducible trials.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
