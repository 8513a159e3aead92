import TFRecord

/// The result of checking one event file record by record.
public struct ValidationReport: Sendable {
    /// What is wrong with a file.
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        /// The file ends inside its last record (a writer still appending, or killed).
        case truncatedTail(RecordError)
        /// A checksum does not match.
        case corrupted(RecordError)
        /// A record with valid checksums whose payload is not an Event.
        case notAnEvent(offset: Int)
        /// The file could not be read.
        case unreadable(IOError)
        /// The file holds no bytes at all: not even the `file_version` record every writer
        /// starts a file with (a writer that never got to write, or a stray file).
        case empty

        /// Byte offset of the bad record, if any.
        public var offset: Int? {
            switch self {
            case .truncatedTail(let error), .corrupted(let error): return error.offset
            case .notAnEvent(let offset): return offset
            case .unreadable, .empty: return nil
            }
        }

        public var description: String {
            switch self {
            case .truncatedTail(let error), .corrupted(let error): return error.description
            case .notAnEvent(let offset):
                return "the record at offset \(offset) has valid checksums but is not an Event"
            case .unreadable(let error): return error.description
            case .empty:
                return "the file is empty: no records, not even the first `file_version` record writers put in every event file"
            }
        }
    }

    /// The file checked.
    public var file: String
    /// Whole, valid records before the first problem (or in the whole file).
    public var records: Int
    /// Bytes of those records, from the start of the file: what `repair` keeps.
    public var validBytes: Int
    /// The first problem, or nil for a clean file.
    public var problem: Problem?
    /// The `file_version` of the file's first record (`"brain.Event:2"` from every current
    /// writer), or nil when the first record carries none (older tensorboardX files) or the
    /// file has no whole record.
    public var fileVersion: String?

    /// True when every record is whole and valid.
    public var isClean: Bool { problem == nil }
}

/// Checks every record of event files: both CRCs, framing, and that each payload is an
/// Event. This is what `tfevents validate` runs; call it from your own tests too:
///
///     let reports = try EventFileValidator.validate(path: "runs/exp1")
///     #expect(reports.allSatisfy(\.isClean))
///
/// It cannot pass vacuously: a path that does not exist or a directory without event files
/// throws, and an empty file is a problem (`.empty`), not a clean file of zero records.
public enum EventFileValidator {
    /// Checks every event file `path` names: the file itself, or every event file below a
    /// directory (a run or a whole log directory), run by run in name order.
    /// - Returns: one report per file, never none.
    /// - Throws: `EventFileError.record(…, .io)` when `path` does not exist or a directory
    ///   cannot be listed; `.noEventFiles` when a directory holds no event file.
    public static func validate(path: String) throws -> [ValidationReport] {
        try EventFileReader.eventFiles(at: path).map { validate(file: $0) }
    }

    /// Checks the file at `path`.
    public static func validate(file path: String) -> ValidationReport {
        let reader: RecordReader
        do {
            reader = try RecordReader(path: path)
        } catch {
            var report = ValidationReport(file: path, records: 0, validBytes: 0, problem: nil)
            if case .io(let io) = error { report.problem = .unreadable(io) }
            return report
        }
        return validate(reader, name: path)
    }

    /// Checks event file contents held in memory; `name` labels the report.
    public static func validate(bytes: [UInt8], name: String = "<memory>") -> ValidationReport {
        validate(RecordReader(bytes: bytes), name: name)
    }

    private static func validate(_ reader: RecordReader, name: String) -> ValidationReport {
        var report = ValidationReport(file: name, records: 0, validBytes: 0, problem: nil)
        while true {
            let offset = reader.offset
            do {
                guard let payload = try reader.nextPayload() else {
                    if offset == 0 { report.problem = .empty }
                    return report
                }
                guard let envelope = EventWireCheck.scan(payload) else {
                    report.problem = .notAnEvent(offset: offset)
                    return report
                }
                if offset == 0, let what = envelope.what, what.field == 3 {
                    report.fileVersion = String(decoding: UnsafeRawBufferPointer(rebasing: payload[what.range]), as: UTF8.self)
                }
            } catch {
                switch error {
                case .truncated: report.problem = .truncatedTail(error)
                case .io(let io): report.problem = .unreadable(io)
                default: report.problem = .corrupted(error)
                }
                return report
            }
            report.records += 1
            report.validBytes = reader.offset
        }
    }
}
