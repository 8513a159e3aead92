import Foundation
import TFRecord
import TensorBoard

/// Whole event files. Properties: the validator and the decoding reader agree on where the
/// good records end; the repair prefix (`wholeRecordsPrefix`) of anything validates up to
/// its first damage; offsets stay inside the input.
enum RecordReaderTarget {
    static func run(_ bytes: [UInt8]) {
        let report = EventFileValidator.validate(bytes: bytes)
        FuzzCheck.require(report.validBytes <= bytes.count, "validBytes \(report.validBytes) beyond \(bytes.count)")

        let reader = EventFileReader(bytes: bytes, tail: .tolerateTruncatedTail)
        var records = 0
        do {
            while let record = try reader.next() {
                FuzzCheck.require(record.offset < bytes.count, "record offset \(record.offset) beyond \(bytes.count)")
                records += 1
            }
            // The reader read to the end: the validator found at most a truncated tail, or
            // an empty file.
            if let problem = report.problem, case .truncatedTail = problem {
            } else if report.problem == .empty {
                FuzzCheck.require(bytes.isEmpty, "the validator calls \(bytes.count) bytes empty")
            } else {
                FuzzCheck.require(report.isClean, "reader read everything but the validator reports \(report.problem!)")
            }
            FuzzCheck.require(records == report.records, "reader read \(records) records, validator \(report.records)")
        } catch EventFileError.notAnEvent {
            // A structurally sound payload that does not decode (e.g. a string field that is
            // not UTF-8): the validator's wire check passes those by design.
            FuzzCheck.require(records <= report.records, "reader read \(records) records before failing, validator \(report.records)")
        } catch {
            FuzzCheck.require(!report.isClean, "reader failed (\(error)) on a file the validator passes")
            FuzzCheck.require(records == report.records, "reader read \(records) records before failing, validator \(report.records)")
        }

        // What `tfevents repair` keeps: every whole record up to the first damage.
        let kept = RecordFraming.wholeRecordsPrefix(bytes, limit: bytes.count)
        FuzzCheck.require(kept <= bytes.count, "repair prefix \(kept) beyond \(bytes.count)")
        let repaired = EventFileValidator.validate(bytes: Array(bytes[..<kept]))
        FuzzCheck.require(repaired.validBytes <= kept, "repaired file validates past its end")
    }

    /// An event file holding one event of each kind the writer makes.
    static func seeds() throws -> [[UInt8]] {
        let directory = NSTemporaryDirectory() + "fuzz-seeds-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try SummaryWriter(logDirectory: directory)
        try writer.add(scalar: 0.5, tag: "loss", step: 1)
        try writer.add(scalar: 0.25, tag: "loss", step: 2)
        try writer.add(histogram: [0.1, 0.2, 0.2, 0.9], tag: "weights", step: 1, bucketCount: 3)
        try writer.add(text: "hello", tag: "notes", step: 1)
        try writer.add(image: try SummaryImage(pixels: [0, 128, 255, 64], width: 2, height: 2, channels: 1), tag: "image", step: 1)
        try writer.close()
        let file = try EventFileReader.eventFiles(inRun: directory)[0]
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        return [bytes, Array(bytes.dropLast(7))]
    }
}
