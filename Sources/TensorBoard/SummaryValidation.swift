/// The checks every `SummaryWriter.add` makes on the values all summaries share, so that
/// each public entry point either writes a value TensorBoard reads or throws a precise
/// `SummaryWriterError.invalidArgument`.
///
/// | value | accepted | rejected (why) |
/// |---|---|---|
/// | tag | any non-empty string, any length; `/` groups tags in the UI. Swift strings are always valid Unicode, so invalid UTF-8 cannot reach a tag (`String(decoding:as:)` has already replaced it with U+FFFD) | empty: TensorBoard lists it as a nameless series that cannot be selected |
/// | step | every `Int`, negative ones too, written as int64 (TensorBoard's web UI shows steps above 2^53 rounded) | — |
/// | wall time | any finite number of seconds (nil: the writer's clock) | NaN stops TensorBoard's Rust loader reading the rest of the file; ±inf drops the event |
enum SummaryValidation {
    /// Throws unless `tag` is non-empty.
    static func checkTag(_ tag: String) throws(SummaryWriterError) {
        guard !tag.isEmpty else {
            throw .invalidArgument(
                "a tag must not be empty: TensorBoard would show a nameless series; name the value, e.g. \"loss\"")
        }
    }

    /// Throws unless `wallTime` is finite.
    static func checkWallTime(_ wallTime: Double) throws(SummaryWriterError) {
        guard wallTime.isFinite else {
            throw .invalidArgument(
                "wallTime must be a finite number of seconds since the epoch, got \(wallTime): TensorBoard's "
                    + "loader stops reading a file at a NaN wall time and drops an infinite one; pass nil for now")
        }
    }

    /// `tag` in quotes for a message, shortened to its first 60 characters.
    static func quoted(_ tag: String) -> String {
        tag.count <= 60 ? "\"\(tag)\"" : "\"\(tag.prefix(60))...\" (\(tag.utf8.count) bytes)"
    }
}
