/// Why a series could not be read from a run. Damage to the file itself (checksums,
/// framing, truncation, I/O) is thrown as `EventFileError`, with the file and byte offset.
public enum RunReaderError: Error, Equatable, CustomStringConvertible {
    /// The run holds no value with tag `tag`; `available` lists the tags it does hold.
    case tagNotFound(tag: String, run: String, available: [String])
    /// The tag holds another kind of data than the one asked for (decided, as TensorBoard
    /// decides it, by the tag's first value).
    case kindMismatch(tag: String, requested: SummaryKind, found: SummaryKind)
    /// A value of `tag` in the record at byte `offset` of `file` cannot be read as its kind
    /// (such as a scalar tensor with two elements, or a string where a number belongs).
    case malformedValue(file: String, offset: Int, tag: String, reason: String)
    /// `path` is a log directory: it holds no event file itself, but these runs below it do.
    case notARun(path: String, runs: [String])

    public var description: String {
        switch self {
        case .tagNotFound(let tag, let run, let available):
            let list = available.isEmpty ? "it holds no summary values" : "its tags: " + available.joined(separator: ", ")
            return "\(run): no tag \"\(tag)\" (\(list))"
        case .kindMismatch(let tag, let requested, let found):
            return "tag \"\(tag)\" holds \(found), not \(requested)"
        case .malformedValue(let file, let offset, let tag, let reason):
            return "\(file): the value of tag \"\(tag)\" in the record at offset \(offset) cannot be read: \(reason)"
        case .notARun(let path, let runs):
            return "\(path) holds no event file itself; read one of its runs: " + runs.joined(separator: ", ")
        }
    }
}
