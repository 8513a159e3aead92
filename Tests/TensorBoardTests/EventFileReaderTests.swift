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
        let steps = try reader.readAll().filter { !$0.event.summary.value.isEmpty }.map(\.event.step)
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
        #expect(EventFileReader.runs(under: root).map(\.run) == [".", "hp/trial1", "train"])
    }
}
