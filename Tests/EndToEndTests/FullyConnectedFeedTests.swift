import Foundation
import Testing
import TFProtos
import TFRecord
import TensorBoard
import TestSupport

/// Runs the built `fully-connected-feed` like a user would.
struct FullyConnectedFeedTests {
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        try runProduct("fully-connected-feed", arguments, environment: environment)
    }

    /// A directory with small, learnable IDX files (label = which band of rows is bright).
    static func fixtureData(train: Int = 600, test: Int = 200) throws -> String {
        let directory = makeTemporaryDirectory("fcf-data")
        func header(_ magic: UInt32, _ dims: [Int]) -> [UInt8] {
            var bytes: [UInt8] = []
            for word in [magic] + dims.map({ UInt32($0) }) {
                withUnsafeBytes(of: word.bigEndian) { bytes.append(contentsOf: $0) }
            }
            return bytes
        }
        func write(_ name: String, count: Int) throws {
            let labels = (0..<count).map { UInt8($0 % 10) }
            var pixels = [UInt8](repeating: 0, count: count * 784)
            for (i, label) in labels.enumerated() {
                for row in (Int(label) * 2)..<(Int(label) * 2 + 3) { for column in 0..<28 { pixels[i * 784 + row * 28 + column] = 255 } }
            }
            try writeFileBytes(header(0x0803, [count, 28, 28]) + pixels, to: "\(directory)/\(name)-images-idx3-ubyte")
            try writeFileBytes(header(0x0801, [count]) + labels, to: "\(directory)/\(name)-labels-idx1-ubyte")
        }
        try write("train", count: train)
        try write("t10k", count: test)
        return directory
    }

    @Test func fakeDataRunWritesEventsGraphAndCheckpoints() throws {
        let logDir = makeTemporaryDirectory("fcf-fake")
        let result = try Self.run(["--fake-data", "--max_steps", "200", "--log_dir", logDir])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Step 0: loss = "))
        #expect(result.stdout.contains("Step 100: loss = "))
        #expect(result.stdout.contains("Num examples: 55000  Num correct: 55000  Precision @ 1: 1.0000"))
        let events = try EventFileReader(path: logDir).readAll()
        #expect(events.filter { !$0.decoded.summary.value.isEmpty }.map(\.decoded.step) == [0, 100])
        #expect(events.contains { !$0.decoded.graphDef.isEmpty })
        #expect(FileManager.default.fileExists(atPath: logDir + "/model.ckpt-199.index"))
        // The meta graph, once in the event file and beside each checkpoint, as TensorFlow 1
        // writes it: the graph with its save/ scope, the saver and the train op.
        let metaEvents = events.filter { !$0.decoded.metaGraphDef.isEmpty }
        #expect(metaEvents.count == 1)
        let metaFile = try Tensorflow_MetaGraphDef(serializedBytes: readFileBytes(logDir + "/model.ckpt-199.meta"))
        #expect(metaFile.saverDef.restoreOpName == "save/restore_all")
        #expect(metaFile.collectionDef["train_op"]?.nodeList.value == ["GradientDescent"])
        #expect(metaFile.graphDef.node.contains { $0.name == "save/SaveV2" })
        if let event = metaEvents.first {
            #expect(try Tensorflow_MetaGraphDef(serializedBytes: event.decoded.metaGraphDef) == metaFile)
        }
        #expect(try runProduct("tfevents", ["validate", logDir]).status == 0)
    }

    @Test func idxFixtureRunLearnsAndResumesWithoutZigZag() throws {
        let data = try Self.fixtureData()
        let logDir = makeTemporaryDirectory("fcf-idx")
        let common = ["--input-data-dir", data, "--validation-size", "50", "--log-dir", logDir, "--batch-size", "50", "--learning-rate", "0.5", "--seed", "3"]
        let first = try Self.run(common + ["--max-steps", "150"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Num examples: 550  Num correct: 550  Precision @ 1: 1.0000") || first.stdout.contains("Precision @ 1: 0.9"))

        let refused = try Self.run(common + ["--max-steps", "300"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--overwrite") && refused.stderr.contains("--resume"))

        let resumed = try Self.run(common + ["--max-steps", "300", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("continuing from step 150"))
        #expect(resumed.stdout.contains("Step 200: loss = "))
        #expect(!resumed.stdout.contains("Step 100: loss = "))
        #expect(FileManager.default.fileExists(atPath: logDir + "/model.ckpt-299.index"))
        let records = try EventFileReader(path: logDir).readAll()
        let starts = records.filter { $0.decoded.sessionLog.status == .start }.map(\.decoded.step)
        #expect(starts == [0, 150], "the first run's START, then the restart's")
        let lossSteps = records.filter { $0.decoded.summary.value.first?.tag == "loss" }.map(\.decoded.step)
        #expect(lossSteps == [0, 100, 200])
        #expect(try RunReader(path: logDir).scalars(tag: "loss").map(\.step) == [0, 100, 200])

        let overwritten = try Self.run(common + ["--max-steps", "10", "--overwrite"])
        #expect(overwritten.status == 0, "\(overwritten.stderr)")
        #expect(try EventFileReader.eventFiles(inRun: logDir).count == 1)
    }

    /// Splitting products and gathers across two cores must not change a single bit:
    /// two runs with the same seed write identical checkpoints (the splits are fixed, not
    /// timing-dependent, and each output element is computed whole by one core).
    @Test func seededRunsAreBitForBitReproducible() throws {
        let data = try Self.fixtureData()
        var checkpoints: [[UInt8]] = []
        for _ in 0..<2 {
            let logDir = makeTemporaryDirectory("fcf-seeded")
            let result = try Self.run([
                "--input-data-dir", data, "--validation-size", "100", "--log-dir", logDir, "--batch-size", "100",
                "--max-steps", "120", "--seed", "11",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            checkpoints.append(Array(try Data(contentsOf: URL(fileURLWithPath: logDir + "/model.ckpt-119.data-00000-of-00001"))))
        }
        #expect(checkpoints[0].count > 400_000)  // hidden1's 784x128 weights at least
        #expect(checkpoints[0] == checkpoints[1])
    }

    @Test func sigtermFlushesAndExitsCleanly() throws {
        let logDir = makeTemporaryDirectory("fcf-term")
        let (process, out) = try startProduct("fully-connected-feed", ["--fake-data", "--max-steps", "100000000", "--log-dir", logDir])
        var seen = ""
        while !seen.contains("Step 200:") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + SIGTERM)
        let steps = try EventFileReader(path: logDir).readAll().filter { $0.decoded.summary.value.first?.tag == "loss" }.map(\.decoded.step)
        #expect(Array(steps.prefix(3)) == [0, 100, 200])
        #expect(try runProduct("tfevents", ["validate", logDir]).status == 0)
    }

    @Test func nanLossStopsWithAClearMessage() throws {
        let data = try Self.fixtureData()
        let logDir = makeTemporaryDirectory("fcf-nan")
        let result = try Self.run(["--input-data-dir", data, "--validation-size", "50", "--log-dir", logDir, "--learning-rate", "1e30", "--max-steps", "200", "--batch-size", "50"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("NaN"))
        #expect(try runProduct("tfevents", ["validate", logDir]).status == 0)
    }

    // MARK: bad input: each gives a clear message and a non-zero exit

    static func expectFailure(_ arguments: [String], environment: [String: String] = [:], mentions: [String]) throws {
        let result = try run(arguments, environment: environment)
        #expect(result.status != 0, "\(arguments) exited 0")
        for text in mentions { #expect(result.stderr.contains(text), "\(arguments): stderr lacks \(text): \(result.stderr)") }
    }

    @Test func noDataAnywhere() throws {
        try Self.expectFailure(
            ["--input-data-dir", "/nonexistent/mnist", "--log-dir", makeTemporaryDirectory("fcf")],
            environment: ["FASHION_MNIST_DIR": "/nonexistent/fashion"], mentions: ["--fake-data", "dataset-fashion-mnist"])
    }

    @Test func damagedDataFiles() throws {
        let data = try Self.fixtureData()
        var images = try readFileBytes(data + "/t10k-images-idx3-ubyte")
        images[3] = 0x01
        try writeFileBytes(images, to: data + "/t10k-images-idx3-ubyte")
        try Self.expectFailure(["--input-data-dir", data, "--log-dir", makeTemporaryDirectory("fcf")], mentions: ["t10k-images-idx3-ubyte", "magic"])

        let truncated = try Self.fixtureData()
        let bytes = try readFileBytes(truncated + "/train-images-idx3-ubyte")
        try writeFileBytes(Array(bytes.dropLast(100)), to: truncated + "/train-images-idx3-ubyte")
        try Self.expectFailure(["--input-data-dir", truncated, "--log-dir", makeTemporaryDirectory("fcf")], mentions: ["train-images-idx3-ubyte", "truncated"])

        let mismatch = try Self.fixtureData()
        try writeFileBytes(try readFileBytes(mismatch + "/t10k-labels-idx1-ubyte"), to: mismatch + "/train-labels-idx1-ubyte")
        try Self.expectFailure(["--input-data-dir", mismatch, "--log-dir", makeTemporaryDirectory("fcf")], mentions: ["600 images", "200 labels"])

        let badLabel = try Self.fixtureData()
        var labels = try readFileBytes(badLabel + "/train-labels-idx1-ubyte")
        labels[20] = 42
        try writeFileBytes(labels, to: badLabel + "/train-labels-idx1-ubyte")
        try Self.expectFailure(["--input-data-dir", badLabel, "--log-dir", makeTemporaryDirectory("fcf")], mentions: ["label 42", "train-labels-idx1-ubyte"])
    }

    @Test func badFlags() throws {
        let data = try Self.fixtureData()
        try Self.expectFailure(["--batch-size", "0", "--fake-data"], mentions: ["--batch-size"])
        try Self.expectFailure(["--input-data-dir", data, "--validation-size", "50", "--batch-size", "1000", "--log-dir", makeTemporaryDirectory("fcf")], mentions: ["--batch-size 1000", "larger"])
        try Self.expectFailure(["--learning-rate", "-1", "--fake-data"], mentions: ["--learning-rate"])
        try Self.expectFailure(["--max-steps", "ten"], mentions: ["max-steps"])
    }

    @Test func unwritableLogDir() throws {
        let file = makeTemporaryDirectory("fcf-file") + "/plain-file"
        try writeFileBytes([1], to: file)
        try Self.expectFailure(["--fake-data", "--max-steps", "1", "--log-dir", file + "/logs"], mentions: ["--log-dir", "plain-file"])
    }

    @Test func secondTrainerOnALiveLogDirRefuses() throws {
        let logDir = makeTemporaryDirectory("fcf-live")
        let (first, _) = try startProduct("fully-connected-feed", ["--fake-data", "--max-steps", "100000000", "--log-dir", logDir])
        defer {
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
        }
        // Wait until the first trainer holds the run lock (its pid is in the lock file) and
        // has created its event file (after restoring or initializing its variables).
        let lockFile = logDir + "/.writer.lock"
        for _ in 0..<200 where (try? String(contentsOfFile: lockFile, encoding: .utf8))?.hasPrefix("\(first.processIdentifier)") != true
            || ((try? EventFileReader.eventFiles(inRun: logDir)) ?? []).isEmpty {
            Thread.sleep(forTimeInterval: 0.05)
        }
        try Self.expectFailure(["--fake-data", "--max-steps", "10", "--log-dir", logDir, "--overwrite"],
                               mentions: ["process \(first.processIdentifier) is already training into --log-dir", "choose another --log-dir"])
        // The refused trainer deleted nothing: the first one's event file is still there.
        #expect(try FileManager.default.contentsOfDirectory(atPath: logDir).contains { $0.contains("tfevents") })
        // Once the holder is gone (even by kill -9), the lock is free again.
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(try Self.run(["--fake-data", "--max-steps", "10", "--log-dir", logDir, "--overwrite"]).status == 0)
    }

    @Test func damagedCheckpointOnResume() throws {
        let logDir = makeTemporaryDirectory("fcf-ckpt")
        #expect(try Self.run(["--fake-data", "--max-steps", "20", "--log-dir", logDir]).status == 0)
        var data = try readFileBytes(logDir + "/model.ckpt-19.data-00000-of-00001")
        data[1000] ^= 0xFF
        try writeFileBytes(data, to: logDir + "/model.ckpt-19.data-00000-of-00001")
        try Self.expectFailure(["--fake-data", "--max-steps", "40", "--log-dir", logDir, "--resume"],
                               mentions: ["--resume", "hidden1/weights", "checksum"])
        try Self.expectFailure(["--fake-data", "--log-dir", makeTemporaryDirectory("fcf-empty"), "--resume"], mentions: ["no checkpoint"])
    }
}
