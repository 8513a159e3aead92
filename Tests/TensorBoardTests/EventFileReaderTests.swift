import Foundation
import Testing
import TFRecord
import TensorBoard
import TestSupport

struct EventFileReaderTests {
    @Test func readsARunDirectoryInNameOrder() throws {
        let directory = makeTemporaryDirectory("run")
        for second in [1_700_000_005.0, 1_700_000_001.0] {
            let environment = WriterEnvironment(clock: { second }, hostName: "h", processID: 1)
            let writer = try SummaryWriter(logDirectory: directory, environment: environment)
            try writer.add(scalar: Float(second), tag: "t", step: Int(second) % 10)
            try writer.close()
        }
        let reader = try EventFileReader(path: directory)
        #expect(reader.files.count == 2)
        let steps = try reader.readAll().filter { !$0.decoded.summary.value.isEmpty }.map(\.decoded.step)
        #expect(steps == [1, 5])
    }

    @Test func truncatedTailIsToleratedOnlyWhenAsked() throws {
        let writer = try makeWriter()
        for step in 0..<3 { try writer.add(scalar: 1, tag: "x", step: step) }
        try writer.close()
        var bytes = try readFileBytes(writer.filePath)
        bytes.removeLast(3)
        try writeFileBytes(bytes, to: writer.filePath)
        #expect(throws: EventFileError.self) { try EventFileReader(path: writer.filePath).readAll() }
        let tolerant = try EventFileReader(path: writer.filePath, tail: .tolerateTruncatedTail)
        #expect(try tolerant.readAll().count == 3)
        #expect(tolerant.truncatedTails.count == 1)
    }

    /// The reader takes wall time and step from the bytes without decoding; they must be
    /// what a full decode gives, for every kind of event the writer makes.
    @Test func wallTimeAndStepWithoutDecodingMatchTheDecodedEvent() throws {
        let writer = try SummaryWriter(logDirectory: makeTemporaryDirectory("lazy"))
        try writer.add(scalar: 1, tag: "loss", step: -3, wallTime: 12.5)
        try writer.add(histogram: [1.0, 2.0], tag: "h", step: 1 << 40)
        try writer.add(text: "t", tag: "notes", step: 7)
        try writer.add(sessionLog: .start, step: 9)
        try writer.close()
        let records = try EventFileReader(path: writer.filePath).readAll()
        #expect(records.count == 5)
        for record in records {
            let event = try record.event()
            #expect(record.wallTime == event.wallTime && record.step == event.step)
        }
        #expect(records.map(\.step) == [0, -3, 1 << 40, 7, 9])
        // A repeated field keeps its last value, as protobuf decoding does.
        let twice: [UInt8] = [0x10, 0x01, 0x10, 0x05]
        let record = try #require(try EventFileReader(bytes: framedFile([twice])).next())
        #expect(record.step == 5)
        #expect(try record.event().step == 5)
    }

    @Test func forEachSeesWhatNextReturnsWithoutCopying() throws {
        let writer = try SummaryWriter(logDirectory: makeTemporaryDirectory("views"))
        for step in 0..<50 { try writer.add(scalar: Float(step), tag: step % 2 == 0 ? "a" : "b", step: step) }
        try writer.close()
        let records = try EventFileReader(path: writer.filePath).readAll()
        var views: [EventRecord] = []
        try EventFileReader(path: writer.filePath).forEach { view in
            let viewed = try view.event()
            let copied = try view.record().event()
            #expect(viewed == copied)
            views.append(view.record())
        }
        #expect(views.map(\.offset) == records.map(\.offset))
        #expect(views.map(\.step) == records.map(\.step))
        #expect(views.map(\.payload) == records.map(\.payload))
        #expect(records.count == 51)
    }

    @Test func payloadThatIsNotAnEventIsReported() throws {
        let directory = makeTemporaryDirectory("garbage")
        let path = directory + "/x.tfevents"
        try writeFileBytes(framedFile([[0xFF, 0xFF, 0xFF]]), to: path)
        #expect {
            _ = try EventFileReader(path: path).readAll()
        } throws: { error in
            guard case .notAnEvent(_, let offset, _) = error as? EventFileError else { return false }
            return offset == 0
        }
    }

    @Test func emptyDirectoryHasNoEventFiles() {
        #expect(throws: EventFileError.self) { _ = try EventFileReader(path: makeTemporaryDirectory("empty")) }
    }

    @Test func runsAreFoundRecursively() throws {
        let root = makeTemporaryDirectory("logdir")
        for run in ["", "train", "hp/trial1"] {
            let writer = try SummaryWriter(logDirectory: run.isEmpty ? root : root + "/" + run, environment: fixedEnvironment)
            try writer.close()
        }
        #expect(try EventFileReader.runs(under: root).map(\.run) == [".", "hp/trial1", "train"])
    }
}
