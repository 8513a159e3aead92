/// Reads a TensorBoard run as typed series, for tests and notebooks, without protobufs:
///
///     let loss = try RunReader(path: "runs/exp1").scalars(tag: "loss")
///     #expect(loss.map(\.step) == Array(0..<100))
///     let (first, last) = (try #require(loss.first), try #require(loss.last))
///     #expect(last.value < first.value)
///
/// What it reads, as TensorBoard reads it:
/// - **A run** is a directory's event files (names containing `tfevents`), read in name
///   order, each record by record; or a single event file.
/// - **Every form writers use**: scalars as `simple_value` or as one-element tensors
///   (float32, float64, float16, bfloat16, int32, int64; `float_val`, `double_val`,
///   `half_val` or `tensor_content`); histograms as TensorFlow 1's `HistogramProto` or
///   TensorFlow 2's `[k, 3]` tensors; images as `Summary.Image` or TensorFlow 2's string
///   tensors `[width, height, image…]`; text as string tensors. TensorFlow 1/2, PyTorch,
///   tensorboardX and this package's `SummaryWriter` write these.
/// - **Kinds**: a tag's kind is decided by its first value (`SummaryKind`). Asking for
///   another kind throws `RunReaderError.kindMismatch`, so a histogram or a text is never
///   read as a scalar, and a value that does not fit its kind throws `.malformedValue`.
/// - **Restarts**: values of an abandoned attempt are dropped as TensorBoard's Python
///   loader drops them. In files with `file_version` "brain.Event:2" (every current
///   writer), a `SessionLog.START` at step S after the run's first one drops every value
///   read before it with step >= S, for every tag. Before a `file_version` record (older
///   tensorboardX files), a summary event with a lower step than the previous one drops the
///   earlier values with step >= its step of its own tags. Graphs are never dropped.
/// - **Checks**: both CRCs of every record and each Event's structure; damage is thrown as
///   `EventFileError` with the file and byte offset. A path that does not exist, or a
///   directory without event files, throws.
///
/// Each call reads the files again (found when the reader was made): a notebook can call
/// it again to see what a live writer has added since, with `tail: .tolerateTruncatedTail`
/// so that a record the writer is still appending ends the file instead of throwing.
/// Reading only decodes the values of the requested tag, in place.
///
/// - Complexity: each series read is one pass over the run's bytes, O(file size).
public struct RunReader: Sendable {
    /// The path read: a run directory or an event file (or the name given for bytes).
    public let path: String
    /// The event files read, in order.
    public let files: [String]
    /// What a truncated last record does: throw (`.strict`) or end its file.
    public let tailPolicy: EventFileReader.TailPolicy
    /// The contents when reading from memory.
    let contents: [UInt8]?

    /// A reader of the run directory (its event files, not those of sub-directories) or
    /// event file at `path`.
    /// - Throws: `EventFileError.record(…, .io)` when `path` does not exist or cannot be
    ///   read; `RunReaderError.notARun` for a log directory whose runs are below it;
    ///   `EventFileError.noEventFiles` for a directory with no event file at all.
    public init(path: String, tail policy: EventFileReader.TailPolicy = .strict) throws {
        self.path = path
        tailPolicy = policy
        contents = nil
        guard try DirectoryEntry.isDirectory(path) else {
            files = [path]
            return
        }
        files = try EventFileReader.eventFiles(inRun: path)
        if files.isEmpty {
            let runs = try EventFileReader.runs(under: path).map(\.run)
            throw runs.isEmpty ? EventFileError.noEventFiles(path: path) : RunReaderError.notARun(path: path, runs: runs)
        }
    }

    /// A reader of event file contents held in memory; `name` stands for the file.
    public init(bytes: [UInt8], name: String = "<memory>", tail policy: EventFileReader.TailPolicy = .strict) {
        path = name
        files = [name]
        tailPolicy = policy
        contents = bytes
    }

    /// A fresh record reader over the run.
    func eventFileReader() -> EventFileReader {
        if let contents { return EventFileReader(bytes: contents, name: path, tail: tailPolicy) }
        return EventFileReader(files: files, tail: tailPolicy)
    }
}
