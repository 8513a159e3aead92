import Foundation
import Testing
import TFRecord
import TensorBoard
import TestSupport

/// Runs the built `tfevents` binary on real and damaged event files.
struct TFEventsCommandTests {
    /// A closed event file with `count` scalars; returns its path and record offsets.
    static func eventFile(count: Int = 3) throws -> (path: String, offsets: [Int]) {
        let writer = try SummaryWriter(
            logDirectory: makeTemporaryDirectory("tfevents"),
            environment: WriterEnvironment(clock: { 1_700_000_000 }, hostName: "h", processID: 1))
        for step in 0..<count { try writer.add(scalar: Float(step) / 2, tag: "loss", step: step) }
        try writer.close()
        let reader = try RecordReader(path: writer.filePath)
        var offsets: [Int] = []
        while true {
            let offset = reader.offset
            guard try reader.nextPayload() != nil else { break }
            offsets.append(offset)
        }
        return (writer.filePath, offsets)
    }

    @Test func cleanFileValidates() throws {
        let (path, offsets) = try Self.eventFile()
        let result = try runProduct("tfevents", ["validate", path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\(offsets.count) records"))
    }

    /// A flipped byte in each region of a record is found at that record's offset, exit 1.
    @Test(arguments: [0, 5, 8, 11, 12, 20, -4, -1])
    func flippedByteIsReportedAtItsRecord(position: Int) throws {
        let (path, offsets) = try Self.eventFile()
        var bytes = try readFileBytes(path)
        // Non-negative positions count from the start of record 2, negative ones from the
        // end of the file (the payload CRC of the last record).
        let start = position >= 0 ? offsets[2] : offsets.last!
        let index = position >= 0 ? start + position : bytes.count + position
        bytes[index] ^= 0x01
        try writeFileBytes(bytes, to: path)
        let result = try runProduct("tfevents", ["validate", path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("DAMAGED"))
        #expect(result.stdout.contains("offset \(start):"))
    }

    @Test func truncationAtEveryOffsetOfTheLastRecordIsATruncatedTail() throws {
        let (path, offsets) = try Self.eventFile()
        let bytes = try readFileBytes(path)
        let last = offsets.last!
        for cut in (last + 1)..<bytes.count {
            try writeFileBytes(Array(bytes[..<cut]), to: path)
            let result = try runProduct("tfevents", ["validate", path])
            #expect(result.status == 1, "cut at \(cut)")
            #expect(result.stdout.contains("TRUNCATED") && result.stdout.contains("offset \(last):"), "cut at \(cut)")
            let tolerant = try runProduct("tfevents", ["validate", "--allow-truncated-tail", path])
            #expect(tolerant.status == 0, "cut at \(cut)")
        }
    }

    @Test func missingPathIsExitTwo() throws {
        let result = try runProduct("tfevents", ["validate", "/nonexistent/run"])
        #expect(result.status == 2)
        #expect(result.stderr.lowercased().contains("no such file or directory"))
        #expect(result.stderr.contains("/nonexistent/run"))
        #expect(try runProduct("tfevents", ["frobnicate"]).status == 2)
    }

    /// Nothing to check is never a success: a directory without event files is exit 2,
    /// even beside a clean file.
    @Test func directoryWithoutEventFilesIsExitTwo() throws {
        let empty = makeTemporaryDirectory("no-events")
        try FileManager.default.createDirectory(atPath: empty + "/train", withIntermediateDirectories: true)
        let result = try runProduct("tfevents", ["validate", empty])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no event files"))
        let (path, _) = try Self.eventFile()
        let mixed = try runProduct("tfevents", ["validate", path, empty])
        #expect(mixed.status == 2)
        #expect(mixed.stdout.contains("ok "))
    }

    /// A 0-byte event file has not even the file_version record: exit 1, unless the file
    /// may still be being written (`--allow-truncated-tail`).
    @Test func emptyFileIsExitOne() throws {
        let directory = makeTemporaryDirectory("empty-file")
        let path = directory + "/events.out.tfevents.1700000000.h"
        try writeFileBytes([], to: path)
        let result = try runProduct("tfevents", ["validate", directory])
        #expect(result.status == 1)
        #expect(result.stdout.contains("EMPTY") && result.stdout.contains(path))
        #expect(try runProduct("tfevents", ["validate", "--allow-truncated-tail", path]).status == 0)
    }

    @Test func repairKeepsTheRecordsBeforeTheDamageAndABackup() throws {
        let (path, offsets) = try Self.eventFile(count: 5)
        var bytes = try readFileBytes(path)
        bytes[offsets[3] + 14] ^= 0xFF
        try writeFileBytes(bytes, to: path)
        let result = try runProduct("tfevents", ["repair", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("kept 3 records"))
        #expect(try EventFileReader(path: path).readAll().count == 3)
        let directory = (path as NSString).deletingLastPathComponent
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(names.filter { $0.contains("tfevents") } == [(path as NSString).lastPathComponent])
        let backup = names.first { $0.contains("damaged-events") }
        #expect(backup != nil)
        #expect(try readFileBytes(directory + "/" + backup!) == bytes)
        #expect(try runProduct("tfevents", ["validate", path]).status == 0)
    }

    @Test func repairToOutputLeavesTheOriginal() throws {
        let (path, offsets) = try Self.eventFile()
        let bytes = Array(try readFileBytes(path).dropLast(2))
        try writeFileBytes(bytes, to: path)
        let output = makeTemporaryDirectory("repaired") + "/fixed.tfevents"
        let result = try runProduct("tfevents", ["repair", path, "--output", output])
        #expect(result.status == 0)
        #expect(try readFileBytes(path) == bytes)
        #expect(try readFileBytes(output).count == offsets.last!)
    }

    @Test func exportWritesScalarsAsCSV() throws {
        let (path, _) = try Self.eventFile()
        let directory = (path as NSString).deletingLastPathComponent
        let result = try runProduct("tfevents", ["export", directory])
        #expect(result.status == 0)
        #expect(result.stdout == """
            run,tag,step,wall_time,value
            .,loss,0,1700000000.0,0.0
            .,loss,1,1700000000.0,0.5
            .,loss,2,1700000000.0,1.0

            """)
    }

    @Test func dumpPrintsOneJSONObjectPerEvent() throws {
        let (path, offsets) = try Self.eventFile()
        let result = try runProduct("tfevents", ["dump", path])
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == offsets.count)
        for (line, offset) in zip(lines, offsets) {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["offset"] as? Int == offset)
        }
        #expect(lines[0].contains("brain.Event:2"))
    }

    @Test func inspectListsTagsAndSteps() throws {
        let (path, _) = try Self.eventFile()
        let result = try runProduct("tfevents", ["inspect", (path as NSString).deletingLastPathComponent])
        #expect(result.status == 0)
        #expect(result.stdout.contains("scalars"))
        #expect(result.stdout.contains("loss"))
        #expect(result.stdout.contains("3 values, steps 0..2"))
    }
}
