/// The text logged under one tag at one step (plugin `text`, a string tensor).
///
/// TensorBoard renders it as Markdown; a rank-0 tensor holds one text, a higher-rank one
/// an array that TensorBoard shows as a table.
public struct TextEvent: Sendable, Equatable, SeriesElement {
    /// The step it was logged at.
    public var step: Int64
    /// When it was logged, in seconds since the epoch.
    public var wallTime: Double
    /// The tensor's strings, row-major (invalid UTF-8 is replaced by U+FFFD).
    public var strings: [String]
    /// The tensor's dimensions (`[]` for one text).
    public var shape: [Int]

    /// Creates a text event from its parts (tests compare read series with these).
    public init(step: Int64, wallTime: Double, strings: [String], shape: [Int] = []) {
        self.step = step
        self.wallTime = wallTime
        self.strings = strings
        self.shape = shape
    }

    /// The text: the string of a one-element tensor, or the strings joined by newlines.
    public var text: String { strings.joined(separator: "\n") }
}

extension RunReader {
    /// The text series `tag`, in the order TensorBoard reads it, restarts applied.
    /// - Throws: `RunReaderError.tagNotFound`, `.kindMismatch`, `.malformedValue` (a
    ///   tensor that is not of strings); `EventFileError` for damage.
    public func texts(tag: String) throws -> [TextEvent] {
        try series(tag: tag, kind: .text) { (value, site) throws(ValueProblem) in
            guard case .tensor(let bytes) = value.form else { throw ValueProblem("text is a string tensor; this value is not a tensor") }
            let (elements, dimensions) = try TensorWire(bytes).strings()
            return TextEvent(
                step: site.step, wallTime: site.wallTime, strings: elements.map { String(decoding: $0, as: UTF8.self) },
                shape: dimensions)
        }
    }
}
