import Foundation

/// The parsers that read untrusted bytes, as libFuzzer targets (`tools/fuzz/run`) and as
/// corpus replays in the test suite (`Tests/FuzzCorpus/<target>/`).
///
/// Each target feeds arbitrary bytes to the public API and checks what must hold for every
/// input: no trap, no unbounded allocation, and agreement between readers that should agree
/// (`FuzzCheck` stops the process when one does not: that is a finding, kept as a
/// regression input).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Whole event files: `EventFileReader`, `EventFileValidator`, the repair prefix.
    case recordReader = "record-reader"
    /// One record payload as an Event: the validator's wire check against swift-protobuf.
    case eventDecoder = "event-decoder"
    /// IDX files, raw or gzipped (MNIST's format).
    case idxParser = "idx-parser"
    /// A checkpoint's index and data files (`CheckpointReader`).
    case checkpointReader = "checkpoint-reader"
    /// Encoded image headers, and pixels (bytes or floats) encoded as PNG.
    case image = "image"
    /// Values from bit patterns as a histogram on a real `SummaryWriter`.
    case histogram = "histogram"

    /// Runs the target on one input.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .recordReader: RecordReaderTarget.run(bytes)
        case .eventDecoder: EventDecoderTarget.run(bytes)
        case .idxParser: IDXParserTarget.run(bytes)
        case .checkpointReader: CheckpointReaderTarget.run(bytes)
        case .image: ImageTarget.run(bytes)
        case .histogram: HistogramTarget.run(bytes)
        }
    }

    /// Valid inputs that reach deep into the parser, to start fuzzing from.
    public func seeds() throws -> [[UInt8]] {
        switch self {
        case .recordReader: return try RecordReaderTarget.seeds()
        case .eventDecoder: return try EventDecoderTarget.seeds()
        case .idxParser: return IDXParserTarget.seeds()
        case .checkpointReader: return try CheckpointReaderTarget.seeds()
        case .image: return try ImageTarget.seeds()
        case .histogram: return HistogramTarget.seeds()
        }
    }
}

/// The fuzzing oracle: a property that must hold for every input. A violation prints what
/// failed (optimized builds drop precondition messages) and aborts, which libFuzzer records
/// as a finding with the input.
enum FuzzCheck {
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        guard !condition else { return }
        FileHandle.standardError.write(Data("fuzz property violated: \(message())\n".utf8))
        abort()
    }
}
