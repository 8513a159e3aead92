import Foundation
import Testing
import TFRecord
import TensorBoard
import TestSupport

struct EventFileValidatorTests {
    @Test func crcValidGarbageIsNotAnEvent() throws {
        let directory = makeTemporaryDirectory("validator")
        let path = directory + "/x.tfevents"
        // Field 1, length-delimited, claiming 5 bytes where 1 follows: no protobuf reader
        // can parse it.
        try writeFileBytes(framedFile([[0x0A, 0x05, 0x00]]), to: path)
        let report = EventFileValidator.validate(file: path)
        #expect(report.problem == .notAnEvent(offset: 0))
        #expect(report.records == 0)
    }

    /// Found by fuzzing: an event with a field this schema does not know (a newer writer's),
    /// or a known field with another wire type, is still an event: protobuf readers keep
    /// such fields as unknown fields. So are unknown groups.
    @Test func unknownFieldsAreAccepted() throws {
        let wallTime: [UInt8] = [0x09, 0x26, 0x41, 0xDA, 0x5B, 0xEF, 0xC2, 0x73, 0x41]
        let accepted: [[UInt8]] = [
            wallTime + [0xB5, 0x15, 0x00, 0x00, 0x80, 0x3E],  // field 342, fixed32
            wallTime + [0x41, 0x5B, 0xDA, 0x73, 0x15, 0x00, 0x80, 0x80, 0x3E],  // field 8 as fixed64
            wallTime + [0x5B, 0x08, 0x01, 0x5C],  // group 11 holding a varint
        ]
        for event in accepted {
            #expect(EventFileValidator.validate(bytes: framedFile([event])).isClean)
            #expect(try EventFileReader(bytes: framedFile([event])).readAll().count == 1)
        }
        let rejected: [[UInt8]] = [[0x00, 0x01], wallTime + [0x5B, 0x08, 0x01], wallTime + [0x5C], [0x2A, 0x02, 0x0A, 0x05]]
        for payload in rejected {
            #expect(EventFileValidator.validate(bytes: framedFile([payload])).problem == .notAnEvent(offset: 0))
        }
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

/// Validation that cannot pass vacuously: nothing to check is an error, and an empty file
/// is a problem.
struct EventFileValidatorPathTests {
    @Test func missingPathThrows() {
        #expect {
            _ = try EventFileValidator.validate(path: "/nonexistent/logs")
        } throws: { error in
            guard case .record(let file, .io(let io)) = error as? EventFileError else { return false }
            return file == "/nonexistent/logs" && io.code == ENOENT
        }
        #expect(throws: EventFileError.self) { _ = try EventFileReader.eventFiles(inRun: "/nonexistent/run") }
        #expect(throws: EventFileError.self) { _ = try EventFileReader.runs(under: "/nonexistent/logs") }
    }

    @Test func directoryWithoutEventFilesThrows() throws {
        let directory = makeTemporaryDirectory("no-events")
        try writeFileBytes([1, 2, 3], to: directory + "/notes.txt")
        try FileManager.default.createDirectory(atPath: directory + "/train", withIntermediateDirectories: true)
        #expect(throws: EventFileError.noEventFiles(path: directory)) { _ = try EventFileValidator.validate(path: directory) }
        #expect(try EventFileReader.eventFiles(inRun: directory) == [])
    }

    @Test func emptyFileIsAProblem() throws {
        let directory = makeTemporaryDirectory("empty-file")
        let path = directory + "/events.out.tfevents.1700000000.h"
        try writeFileBytes([], to: path)
        let reports = try EventFileValidator.validate(path: directory)
        #expect(reports.map(\.file) == [path])
        #expect(reports.first?.problem == .empty)
        #expect(reports.first?.isClean == false)
        #expect(EventFileValidator.validate(bytes: []).problem == .empty)
    }

    /// A log directory's runs are all checked, and each report says the file's version.
    @Test func logDirectoryIsCheckedRunByRun() throws {
        let root = makeTemporaryDirectory("validate-logdir")
        var files: [String] = []
        for run in ["train", "eval"] {
            let writer = try SummaryWriter(logDirectory: root + "/" + run, environment: fixedEnvironment)
            try writer.add(scalar: 1, tag: "loss", step: 0)
            try writer.close()
            files.append(writer.filePath)
        }
        let reports = try EventFileValidator.validate(path: root)
        #expect(reports.map(\.file) == files.reversed())
        #expect(reports.allSatisfy { $0.isClean && $0.records == 2 && $0.fileVersion == "brain.Event:2" })
        #expect(try EventFileValidator.validate(path: files[0]).map(\.file) == [files[0]])
        #expect(EventFileValidator.validate(bytes: framedFile([[0x10, 0x01]])).fileVersion == nil)
    }
}
