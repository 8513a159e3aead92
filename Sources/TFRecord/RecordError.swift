/// What can go wrong reading or writing TFRecord files. Offsets are byte offsets of the
/// start of the record concerned, from the start of the file.
public enum RecordError: Error, Equatable, CustomStringConvertible {
    /// The file ends inside the record at `offset`: `available` of the `needed` bytes are
    /// there. Normal for a file that a writer is still appending to; otherwise the writer
    /// was killed mid-write and everything before `offset` is intact.
    case truncated(offset: Int, needed: Int, available: Int)
    /// The length field of the record at `offset` does not match its checksum: the file is
    /// damaged there and nothing after it can be framed.
    case corruptedLength(offset: Int)
    /// The payload of the record at `offset` (of `length` bytes) does not match its checksum.
    case corruptedData(offset: Int, length: Int)
    /// A system call failed.
    case io(IOError)
    /// The writer or sink was already closed.
    case closed

    /// The byte offset of the damaged or incomplete record, if the error has one.
    public var offset: Int? {
        switch self {
        case .truncated(let offset, _, _), .corruptedLength(let offset), .corruptedData(let offset, _):
            return offset
        case .io, .closed:
            return nil
        }
    }

    public var description: String {
        switch self {
        case .truncated(let offset, let needed, let available):
            return "truncated record at offset \(offset): \(available) of \(needed) bytes present "
                + "(a writer may still be appending; `tfevents repair` keeps the records before it)"
        case .corruptedLength(let offset):
            return "corrupted length at offset \(offset): the length checksum does not match "
                + "(`tfevents repair` keeps the records before it)"
        case .corruptedData(let offset, let length):
            return "corrupted data in the \(length)-byte record at offset \(offset): the payload "
                + "checksum does not match (`tfevents repair` keeps the records before it)"
        case .io(let error):
            return error.description
        case .closed:
            return "the writer is closed"
        }
    }
}
