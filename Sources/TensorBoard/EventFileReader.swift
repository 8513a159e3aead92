import Foundation
import SwiftProtobuf
import TFProtos
import TFRecord

/// One event read from a file: where it was, its wall time and step (read while the
/// reader checked the record's structure), and its bytes, decoded on demand by `event()`.
/// `next()` copies each payload into one; `forEach` hands out views instead, without the
/// copy (BENCHMARKS.md compares the two).
public struct EventRecord: Sendable {
    /// The event file.
    public var file: String
    /// Byte offset of the record in the file.
    public var offset: Int
    /// The event's `wall_time` (0 when absent).
    public var wallTime: Double
    /// The event's `step` (0 when absent).
    public var step: Int64
    /// The serialized `Event`.
    public var payload: [UInt8]

    /// The decoded event (a full swift-protobuf decode on each call).
    /// - Throws: `EventFileError.notAnEvent` when a field does not decode (such as a string
    ///   that is not UTF-8; the reader has already checked the structure).
    public func event() throws -> Tensorflow_Event {
        do {
            return try Tensorflow_Event(serializedBytes: payload)
        } catch {
            throw EventFileError.notAnEvent(file: file, offset: offset, reason: "\(error)")
        }
    }
}

/// An event seen in place by `EventFileReader.forEach`: its payload points into the
/// reader's buffer and is valid only during the call that received it.
public struct EventRecordView {
    /// The event file.
    public let file: String
    /// Byte offset of the record in the file.
    public let offset: Int
    /// The serialized `Event`, borrowed from the reader.
    public let payload: UnsafeRawBufferPointer
    /// What the structural check learned: wall time, step, the `what` member's place.
    let envelope: EventEnvelope

    /// The event's `wall_time` (0 when absent).
    public var wallTime: Double { envelope.wallTime }
    /// The event's `step` (0 when absent).
    public var step: Int64 { envelope.step }

    /// A copy that outlives the call.
    public func record() -> EventRecord {
        let bytes = [UInt8](unsafeUninitializedCapacity: payload.count) { buffer, count in
            if let source = payload.baseAddress, let target = buffer.baseAddress {
                target.initialize(from: source.assumingMemoryBound(to: UInt8.self), count: payload.count)
            }
            count = payload.count
        }
        return EventRecord(file: file, offset: offset, wallTime: wallTime, step: step, payload: bytes)
    }

    /// The decoded event.
    /// - Throws: `EventFileError.notAnEvent` when a field does not decode.
    public func event() throws -> Tensorflow_Event {
        try record().event()
    }
}

/// Why an event file could not be read.
public enum EventFileError: Error, Equatable, CustomStringConvertible {
    /// Framing damage or truncation in `file` (the `RecordError` has the offset).
    case record(file: String, RecordError)
    /// A record's checksums are fine but its payload is not an Event.
    case notAnEvent(file: String, offset: Int, reason: String)
    /// The directory holds no event file (at any depth, for the calls that search below).
    case noEventFiles(path: String)

    public var description: String {
        switch self {
        case .record(_, .io(let error)):
            return error.description  // it names the path
        case .record(let file, let error):
            return "\(file): \(error)"
        case .notAnEvent(let file, let offset, let reason):
            return "\(file): the record at offset \(offset) is not an Event (\(reason))"
        case .noEventFiles(let path):
            return "\(path): no event files (names containing \"tfevents\") found"
        }
    }
}

/// Reads the events of one event file, or of every event file in a run directory in name
/// order (the order TensorBoard reads them), checking both checksums of every record.
///
///     let reader = try EventFileReader(path: "runs/exp1")
///     while let record = try reader.next() { print(record.step, try record.event().summary) }
///
/// With `.tolerateTruncatedTail`, a file whose last record is incomplete (a writer still
/// appending, or a killed writer) ends at its last whole record and the truncation is kept
/// in `truncatedTails`; damage anywhere else is always thrown.
public final class EventFileReader {
    /// What to do when a file ends inside a record.
    public enum TailPolicy: Sendable {
        case strict
        case tolerateTruncatedTail
    }

    /// The event files read, in order.
    public let files: [String]
    /// Truncations skipped under `.tolerateTruncatedTail`, one per file.
    public private(set) var truncatedTails: [(file: String, error: RecordError)] = []

    private let policy: TailPolicy
    private var fileIndex = 0
    private var reader: RecordReader?
    /// The contents when reading from memory.
    private let contents: [UInt8]?

    /// Opens an event file, or the event files directly inside a run directory.
    /// - Throws: `EventFileError.noEventFiles` for a directory without event files;
    ///   `.record(…, .io)` for a path that does not exist or cannot be read.
    public init(path: String, tail policy: TailPolicy = .strict) throws {
        self.policy = policy
        contents = nil
        if try DirectoryEntry.isDirectory(path) {
            files = try Self.eventFiles(inRun: path)
            guard !files.isEmpty else { throw EventFileError.noEventFiles(path: path) }
        } else {
            files = [path]
        }
    }

    /// Reads `files`, in this order (they are opened when reached).
    init(files: [String], tail policy: TailPolicy) {
        self.policy = policy
        contents = nil
        self.files = files
    }

    /// Reads event file contents held in memory; `name` stands for the file in records and
    /// errors.
    public init(bytes: [UInt8], name: String = "<memory>", tail policy: TailPolicy = .strict) {
        self.policy = policy
        contents = bytes
        files = [name]
    }

    /// The next event, or nil after the last file.
    /// - Throws: `EventFileError` for damage, truncation (when strict) or a payload that is
    ///   not an Event.
    public func next() throws -> EventRecord? {
        try nextView()?.record()
    }

    /// Calls `body` with every remaining event, without copying any: each view (and its
    /// payload) is valid only during its call. The fastest way through a file: nothing is
    /// allocated per event.
    /// - Throws: what `next()` throws, or what `body` throws.
    @inline(__always)
    public func forEach(_ body: (EventRecordView) throws -> Void) throws {
        while fileIndex < files.count {
            let file = files[fileIndex]
            if let ended = try Self.forEachRecord(of: try currentReader(file), file: file, body) {
                try recordEnded(file, ended)
            }
            reader = nil
            fileIndex += 1
        }
    }

    /// The loop over one file's records, apart so that its reader and file name are
    /// borrowed: nothing is retained or released per record. Returns the framing error that
    /// ended the file, if any.
    @inline(__always)
    private static func forEachRecord(of reader: RecordReader, file: String, _ body: (EventRecordView) throws -> Void) throws
        -> RecordError?
    {
        while true {
            let offset = reader.offset
            let payload: UnsafeRawBufferPointer
            do {
                guard let next = try reader.nextPayload() else { return nil }
                payload = next
            } catch {
                return error
            }
            try body(try view(of: payload, file: file, offset: offset))
        }
    }

    /// The view of a record whose checksums passed, once its payload is checked to be an Event.
    @inline(__always)
    private static func view(of payload: UnsafeRawBufferPointer, file: String, offset: Int) throws -> EventRecordView {
        guard let envelope = EventWireCheck.scan(payload) else {
            throw EventFileError.notAnEvent(file: file, offset: offset, reason: "not a well-formed Event message")
        }
        return EventRecordView(file: file, offset: offset, payload: payload, envelope: envelope)
    }

    /// The reader of `file`, opened on first use.
    private func currentReader(_ file: String) throws -> RecordReader {
        if let reader { return reader }
        let opened: RecordReader
        if let contents {
            opened = RecordReader(bytes: contents)
        } else {
            do { opened = try RecordReader(path: file) } catch { throw EventFileError.record(file: file, error) }
        }
        reader = opened
        return opened
    }

    /// Ends `file` at a truncated tail when tolerated; throws any other framing error.
    private func recordEnded(_ file: String, _ error: RecordError) throws {
        guard case .truncated = error, policy == .tolerateTruncatedTail else {
            throw EventFileError.record(file: file, error)
        }
        truncatedTails.append((file, error))
    }

    private func nextView() throws -> EventRecordView? {
        while fileIndex < files.count {
            let file = files[fileIndex]
            let current = try currentReader(file)
            let offset = current.offset
            do {
                if let payload = try current.nextPayload() {
                    return try Self.view(of: payload, file: file, offset: offset)
                }
            } catch let error as RecordError {
                try recordEnded(file, error)
            }
            reader = nil
            fileIndex += 1
        }
        return nil
    }

    /// Every remaining event.
    public func readAll() throws -> [EventRecord] {
        var records: [EventRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }
}
