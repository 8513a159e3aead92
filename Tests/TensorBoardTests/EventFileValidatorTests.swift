import Testing
import TFRecord
import TensorBoard
import TestSupport

struct EventFileValidatorTests {
    @Test func crcValidGarbageIsNotAnEvent() throws {
        let directory = makeTemporaryDirectory("validator")
        let path = directory + "/x.tfevents"
        // Field 1 with wire type 2 (Event.wall_time must be fixed64).
        try writeFileBytes(framedFile([[0x0A, 0x01, 0x00]]), to: path)
        let report = EventFileValidator.validate(file: path)
        #expect(report.problem == .notAnEvent(offset: 0))
        #expect(report.records == 0)
    }

    @Test func writerOutputIsClean() throws {
        let writer = try makeWriter()
        try writer.add(scalar: 1, tag: "a", step: 1)
        try writer.add(text: "t", tag: "b", step: 1)
        try writer.add(histogram: [1.0, 2.0], tag: "c", step: 1)
        try writer.close()
        let report = EventFileValidator.validate(file: writer.filePath)
        #expect(report.isClean)
        #expect(report.records == 4)
        #expect(report.validBytes == (try readFileBytes(writer.filePath)).count)
    }
}
