import Foundation
import Testing
import TFProtos
import TFRecord
import TensorBoard
import TestSupport

/// Runs as TensorBoard reads them: several files, restarts, tags, the graph, and paths that
/// hold nothing to read.
struct RunReaderRunTests {
    /// A writer into `directory` whose file is named (and events stamped) at `second`.
    private func writer(_ directory: String, at second: Double) throws -> SummaryWriter {
        try SummaryWriter(logDirectory: directory, environment: WriterEnvironment(clock: { second }, hostName: "h", processID: 1))
    }

    /// Two files are read in name order (not creation order), records in file order.
    @Test func filesAreMergedInNameOrder() throws {
        let directory = makeTemporaryDirectory("merged")
        let later = try writer(directory, at: 1_700_000_002)
        for step in 3..<6 { try later.add(scalar: Float(step), tag: "loss", step: step) }
        try later.close()
        let earlier = try writer(directory, at: 1_700_000_001)
        for step in 0..<3 { try earlier.add(scalar: Float(step), tag: "loss", step: step) }
        try earlier.close()

        let run = try RunReader(path: directory)
        #expect(run.files == [earlier.filePath, later.filePath])
        let loss = try run.scalars(tag: "loss")
        #expect(loss.map(\.step) == [0, 1, 2, 3, 4, 5])
        #expect(loss.map(\.wallTime) == [1_700_000_001, 1_700_000_001, 1_700_000_001, 1_700_000_002, 1_700_000_002, 1_700_000_002])
    }

    /// A resumed run: the second SessionLog.START (at step 5) drops the first attempt's
    /// values with step >= 5 of every tag, as TensorBoard does.
    @Test func sessionStartDropsTheAbandonedSteps() throws {
        let directory = makeTemporaryDirectory("restart")
        let first = try writer(directory, at: 1_700_000_001)
        try first.add(sessionLog: .start, step: 0)
        for step in 0..<10 {
            try first.add(scalar: Float(step), tag: "loss", step: step)
            try first.add(scalar: Float(step) / 10, tag: "accuracy", step: step)
        }
        try first.close()
        let resumed = try writer(directory, at: 1_700_000_002)
        try resumed.add(sessionLog: .start, step: 5)
        for step in 5..<8 { try resumed.add(scalar: Float(100 + step), tag: "loss", step: step) }
        try resumed.close()

        let run = try RunReader(path: directory)
        let loss = try run.scalars(tag: "loss")
        #expect(loss.map(\.step) == [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(loss.map(\.value) == [0, 1, 2, 3, 4, 105, 106, 107])
        #expect(try run.scalars(tag: "accuracy").map(\.step) == [0, 1, 2, 3, 4])
    }

    /// The run's first START marks the session's start, not a restart: it drops nothing.
    @Test func firstSessionStartDropsNothing() throws {
        let writer = try makeWriter()
        for step in 0..<4 { try writer.add(scalar: 1, tag: "loss", step: step) }
        try writer.add(sessionLog: .start, step: 2)
        try writer.add(scalar: 2, tag: "loss", step: 2)
        try writer.close()
        #expect(try RunReader(path: writer.filePath).scalars(tag: "loss").map(\.step) == [0, 1, 2, 3, 2])
    }

    /// TensorFlow 1's FileWriter, restarted at step 5 (TensorBoard's loader reads the same).
    @Test func tensorFlow1Restart() throws {
        let run = try RunReader(path: ReaderFixtures.tensorFlow1Restart)
        let loss = try run.scalars(tag: "loss")
        #expect(loss.map(\.step) == [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(loss.map(\.value) == [0, 1, 2, 3, 4, 105, 106, 107])
        let accuracy = try run.scalars(tag: "accuracy")
        #expect(accuracy.map(\.step) == [0, 1, 2, 3, 4])
        #expect(accuracy.map(\.value) == [0, 0.1, 0.2, 0.3, 0.4].map { Double(Float($0)) })
    }

    /// Without a file_version record (older writers), a step lower than the previous
    /// summary event's drops the later steps of that event's tags only; with one, nothing
    /// is dropped without a SessionLog.
    @Test func outOfOrderStepsWithoutFileVersion() throws {
        func event(_ tag: String, _ value: Float, step: Int64) throws -> [UInt8] {
            var event = Tensorflow_Event()
            event.wallTime = 1_700_000_000
            event.step = step
            var summaryValue = Tensorflow_Summary.Value()
            summaryValue.tag = tag
            summaryValue.simpleValue = value
            event.summary.value = [summaryValue]
            return try event.serializedBytes()
        }
        let events = [
            try event("a", 1, step: 1), try event("b", 1, step: 1), try event("a", 2, step: 2), try event("b", 2, step: 2),
            try event("a", 3, step: 3), try event("b", 3, step: 3), try event("a", 20, step: 2), try event("a", 4, step: 4),
        ]
        let legacy = RunReader(bytes: framedFile(events), name: "legacy")
        #expect(try legacy.scalars(tag: "a").map(\.value) == [1, 20, 4])
        #expect(try legacy.scalars(tag: "b").map(\.value) == [1, 2, 3])

        var version = Tensorflow_Event()
        version.fileVersion = "brain.Event:2"
        let current = RunReader(bytes: framedFile([try version.serializedBytes()] + events))
        #expect(try current.scalars(tag: "a").map(\.value) == [1, 2, 3, 20, 4])
    }

    @Test func tagsByKind() throws {
        let tensorFlow2 = try RunReader(path: ReaderFixtures.tensorFlow2).tags()
        #expect(tensorFlow2 == [
            .scalars: ["double", "half", "loss"], .histograms: ["weights"], .images: ["digits"], .text: ["notes", "table"],
        ])
        let tensorFlow1 = try RunReader(path: ReaderFixtures.tensorFlow1).tags()
        #expect(tensorFlow1 == [.scalars: ["loss"], .histograms: ["weights"], .images: ["picture/image"]])

        let writer = try makeWriter()
        try writer.add(scalar: 1, tag: "loss", step: 0)
        try writer.add(hparams: ["lr": .number(0.1)], metrics: ["loss"])
        try writer.close()
        let ours = try RunReader(path: writer.filePath).tags()
        #expect(ours[.scalars] == ["loss"])
        #expect(ours[.other(plugin: "hparams")] == ["_hparams_/experiment", "_hparams_/session_end_info", "_hparams_/session_start_info"])
    }

    @Test func graphOfTensorFlow1AndOurs() throws {
        let tensorFlow = try #require(try RunReader(path: ReaderFixtures.tensorFlow1).graphNodes())
        #expect(tensorFlow.contains { $0.name == "loss_input" && $0.op == "Placeholder" })
        #expect(tensorFlow.contains { $0.op == "MergeSummary" })

        var graph = Tensorflow_GraphDef()
        var node = Tensorflow_NodeDef()
        node.name = "hidden1/MatMul"
        node.op = "MatMul"
        node.input = ["x", "hidden1/weights:0", "^init"]
        graph.node = [node]
        let writer = try makeWriter()
        try writer.add(graph: graph)
        try writer.close()
        let run = try RunReader(path: writer.logDirectory)
        let serialized: [UInt8] = try graph.serializedBytes()
        #expect(try run.serializedGraph() == serialized)
        #expect(try run.graphNodes() == [GraphNode(name: "hidden1/MatMul", op: "MatMul", inputs: ["x", "hidden1/weights:0", "^init"])])
        #expect(try RunReader(path: ReaderFixtures.tensorboardX).graphNodes() == nil)
    }

    /// Nothing to read is an error, never an empty series.
    @Test func pathsWithoutEventsThrow() throws {
        #expect {
            _ = try RunReader(path: "/nonexistent/run")
        } throws: { error in
            guard case .record(let file, .io(let io)) = error as? EventFileError else { return false }
            return file == "/nonexistent/run" && io.code == ENOENT
        }
        let empty = makeTemporaryDirectory("empty-run")
        #expect(throws: EventFileError.noEventFiles(path: empty)) { _ = try RunReader(path: empty) }

        let logDirectory = makeTemporaryDirectory("logdir")
        try makeWriter(in: logDirectory + "/train").close()
        #expect(throws: RunReaderError.notARun(path: logDirectory, runs: ["train"])) { _ = try RunReader(path: logDirectory) }
    }

    /// A damaged record is an error naming the file and the record's offset.
    @Test func damageIsThrownWithFileAndOffset() throws {
        let writer = try makeWriter()
        for step in 0..<3 { try writer.add(scalar: 1, tag: "loss", step: step) }
        try writer.close()
        let offsets = try EventFileReader(path: writer.filePath).readAll().map(\.offset)
        var bytes = try readFileBytes(writer.filePath)
        bytes[offsets[2] + 14] ^= 0x01
        try writeFileBytes(bytes, to: writer.filePath)
        #expect {
            _ = try RunReader(path: writer.logDirectory).scalars(tag: "loss")
        } throws: { error in
            guard case .record(let file, .corruptedData(let offset, _)) = error as? EventFileError else { return false }
            return file == writer.filePath && offset == offsets[2]
        }
    }

    /// A live file's incomplete last record ends it when asked to.
    @Test func truncatedTailOfALiveFile() throws {
        let writer = try makeWriter()
        for step in 0..<3 { try writer.add(scalar: 1, tag: "loss", step: step) }
        try writer.close()
        let bytes = try readFileBytes(writer.filePath)
        try writeFileBytes(Array(bytes.dropLast(5)), to: writer.filePath)
        #expect(throws: EventFileError.self) { try RunReader(path: writer.filePath).scalars(tag: "loss") }
        let live = try RunReader(path: writer.filePath, tail: .tolerateTruncatedTail)
        #expect(try live.scalars(tag: "loss").map(\.step) == [0, 1])
    }
}

/// A writer with the fixed environment in `directory`.
private func makeWriter(in directory: String) throws -> SummaryWriter {
    try SummaryWriter(logDirectory: directory, environment: fixedEnvironment)
}
