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
            let tag = record.decoded.summary.value[0].tag
            if let previous = last[tag], previous + 1 != record.decoded.step { ordered = false }
            last[tag] = record.decoded.step
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
        let files = try EventFileReader.eventFiles(inRun: directory)
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
        let files = try EventFileReader.eventFiles(inRun: directory)
        #expect(files.count == 1)
        let report = EventFileValidator.validate(file: files[0])
        #expect(report.isClean, "\(report)")
        #expect(report.records > 1 && report.validBytes <= 64 * 1024)
    }

    /// A real full disk: a 128 KiB tmpfs (mounting needs root; elsewhere the file-size-limit
    /// test above covers the same write path). The writer stops with ENOSPC named, exit 1,
    /// and the file holds only whole records, including every step it reported flushed.
    @Test func diskFullOnATinyFilesystemKeepsWholeRecordsAndFlushedSteps() throws {
        guard let mountPoint = try mountTinyFileSystem(
            kilobytes: 128, skipping: "disk-full (the file-size-limit test covers the same write path)")
        else { return }
        defer { unmountTinyFileSystem(mountPoint) }
        let run = mountPoint + "/run"
        let result = try runProduct("demo-run", ["--stream", run])
        #expect(result.status == 1)
        #expect(result.stderr.contains("No space left on device"), "\(result.stderr)")
        let lastFlushed = result.stdout.split(separator: "\n").compactMap { $0.hasPrefix("flushed ") ? Int64($0.dropFirst(8)) : nil }.last
        let report = EventFileValidator.validate(file: try EventFileReader.eventFiles(inRun: run)[0])
        #expect(report.isClean, "\(report)")
        let steps = Set(try EventFileReader(path: run).readAll().map(\.decoded.step))
        #expect(lastFlushed != nil && (0...lastFlushed!).allSatisfy(steps.contains))
    }

    /// Kills the trainer (even trials) and a plain writer (`demo-run --stream`, odd trials)
    /// with SIGKILL at seeded moments. After each: the files validate (at most a truncated
    /// tail), our reader and TensorBoard's stock loader both hold every step the program
    /// printed as flushed, and the trainer's latest checkpoint restores with `--resume`.
    @Test func killNineTrialsLoseNothingFlushedAndResume() throws {
        let trials = Int(ProcessInfo.processInfo.environment["KILL_TRIALS"] ?? "") ?? 4
        var generator = SeededRandom(seed: 2026)
        var flushedSteps: [String: [Int64]] = [:]
        for trial in 0..<trials {
            let logDir = makeTemporaryDirectory("kill\(trial)")
            let trainer = trial % 2 == 0
            let (process, out) = trainer
                ? try startProduct("fully-connected-feed", ["--fake-data", "--max-steps", "100000000", "--log-dir", logDir])
                : try startProduct("demo-run", ["--stream", logDir])
            let delay = (trainer ? 0.5 : 0.1) + Double(generator.next() % 2500) / 1000
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            // The trainer prints "Step N: ..." after flushing step N; the writer "flushed N"
            // after flushing steps 0...N.
            let lines = printed.split(separator: "\n")
            let flushed: [Int64] = trainer
                ? lines.compactMap { $0.hasPrefix("Step ") ? Int64($0.dropFirst(5).prefix { $0.isNumber }) : nil }
                : Array(0...(lines.compactMap { $0.hasPrefix("flushed ") ? Int64($0.dropFirst(8)) : nil }.last ?? -1))
            flushedSteps[logDir] = flushed

            let validate = try runProduct("tfevents", ["validate", "--allow-truncated-tail", logDir])
            #expect(validate.status == 0, "trial \(trial) after \(delay) s: \(validate.stdout)")
            let reader = try EventFileReader(path: logDir, tail: .tolerateTruncatedTail)
            let written = Set(try reader.readAll().filter { $0.decoded.summary.value.first?.tag == "loss" }.map(\.decoded.step))
            #expect(flushed.allSatisfy(written.contains), "trial \(trial): a flushed step is missing")

            if trainer && FileManager.default.fileExists(atPath: logDir + "/checkpoint") {
                let resumed = try runProduct("fully-connected-feed", ["--fake-data", "--resume", "--log-dir", logDir, "--max-steps", "0"])
                #expect(resumed.status == 0, "trial \(trial): \(resumed.stderr)")
                #expect(resumed.stdout.contains("Restored"))
            }
        }
        try expectStockTensorBoardLoads(flushedSteps)
    }

    /// Loads every run with TensorBoard's own Python loader (tools/verify/tensorboard_loader.py,
    /// in the venv `tools/test` exports as TOOLS_VENV) and checks the flushed steps are there.
    private func expectStockTensorBoardLoads(_ flushedSteps: [String: [Int64]]) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        guard let python = toolsPython(skipping: "the stock-loader part of the kill trials") else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("tools/verify/tensorboard_loader.py").path] + flushedSteps.keys.sorted()
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let results = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] ?? [:]
        for (run, flushed) in flushedSteps {
            guard let result = results[run], result["error"] == nil, let steps = result["loss_steps"] as? [Int] else {
                Issue.record("TensorBoard's loader failed on \(run): \(results[run] ?? [:])")
                continue
            }
            let loaded = Set(steps.map(Int64.init))
            #expect(flushed.allSatisfy(loaded.contains), "\(run): TensorBoard's loader lacks a flushed step")
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
