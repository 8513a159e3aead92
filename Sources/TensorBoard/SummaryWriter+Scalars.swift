extension SummaryWriter {
    /// Adds several scalars drawn in one chart, as tensorboardX's `add_scalars` does: each
    /// key gets its own sub-run `<logDirectory>/<mainTag>/<key>` (its own writer and file,
    /// made on first use with this writer's options, flushed and closed with it), where the
    /// value is written under tag `mainTag`. TensorBoard's Scalars dashboard then shows one
    /// chart `mainTag` with a line per key (runs `<run>/<mainTag>/<key>`).
    ///
    /// (PyTorch's `torch.utils.tensorboard` names the sub-runs `<mainTag>_<key>` instead;
    /// tensorboardX, which this follows, nests them.)
    ///
    /// - Parameters:
    ///   - scalars: key → value, at least one; keys and `mainTag` are paths below the log
    ///     directory, so each `/`-separated part must be non-empty, not `.` or `..`, without
    ///     NUL and at most 255 bytes.
    ///   - mainTag: the chart's name and the scalars' tag.
    ///   - step: the x coordinate.
    ///   - wallTime: seconds since the epoch, finite; now if nil.
    /// - Throws: `SummaryWriterError.invalidArgument` naming the bad key or main tag (then
    ///   nothing is written), `.closed` after `close()`, or a sub-run writer's failure.
    public func add(scalars: [String: Float], mainTag: String, step: Int, wallTime: Double? = nil) throws {
        guard !scalars.isEmpty else {
            throw SummaryWriterError.invalidArgument(
                "add(scalars:) needs at least one key → value (main tag \(SummaryValidation.quoted(mainTag)))")
        }
        try SummaryValidation.checkTag(mainTag)
        try Self.checkSubRunPath(mainTag, what: "main tag")
        for key in scalars.keys { try Self.checkSubRunPath(key, what: "key") }
        let time = wallTime ?? now()
        try SummaryValidation.checkWallTime(time)
        for (key, value) in scalars.sorted(by: { $0.key < $1.key }) {
            let writer = try subRuns.writer(for: logDirectory + "/" + mainTag + "/" + key)
            try writer.add(scalar: value, tag: mainTag, step: step, wallTime: time)
        }
    }

    /// Adds several scalars of any floating-point type (stored as float32).
    public func add<Value: BinaryFloatingPoint>(
        scalars: [String: Value], mainTag: String, step: Int, wallTime: Double? = nil
    ) throws {
        try add(scalars: scalars.mapValues { Float($0) }, mainTag: mainTag, step: step, wallTime: wallTime)
    }

    /// Throws unless `path` is a relative path of plain directory names.
    static func checkSubRunPath(_ path: String, what: String) throws(SummaryWriterError) {
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part != ".", part != "..", !part.contains("\0"), part.utf8.count <= 255 else {
                throw .invalidArgument(
                    "the \(what) \(SummaryValidation.quoted(path)) names a sub-run directory, so each /-separated part "
                        + "must be non-empty, not . or .., without NUL and at most 255 bytes; "
                        + "\(SummaryValidation.quoted(String(part))) is not")
            }
        }
    }
}
