import TFRecord

/// `print` for every subcommand: this module's own, so each report line goes through
/// `BufferedOutput.standardOutput`, whose first failed write (a full disk, a closed pipe)
/// ends the program with exit 2 and the reason instead of a report silently cut short.
/// It shadows `Swift.print` inside `tfevents` only.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    BufferedOutput.standardOutput.write(items.map { "\($0)" }.joined(separator: separator) + terminator)
}
