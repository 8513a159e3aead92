import struct Foundation.Data
import SwiftProtobuf
import TFProtos

extension SummaryWriter {
    /// Writes a traced session run's statistics as a tagged run metadata event
    /// (`Event.tagged_run_metadata`, as TensorFlow 1's `FileWriter.add_run_metadata`).
    /// TensorBoard's graph dashboard then offers `tag` under "Session runs" and colours the
    /// graph's nodes by the compute time and memory recorded for them. Tags are unique per
    /// run in TensorBoard; TensorFlow's tutorial uses `step099`, `step199`, ...
    /// - Throws: `.invalidArgument` for an empty tag or metadata that cannot be serialized;
    ///   what `add(event:step:wallTime:)` throws.
    public func add(runMetadata: Tensorflow_RunMetadata, tag: String, step: Int = 0, wallTime: Double? = nil) throws {
        let bytes: [UInt8]
        do {
            bytes = try runMetadata.serializedBytes()
        } catch {
            throw SummaryWriterError.invalidArgument("the run metadata could not be serialized: \(error)")
        }
        try add(serializedRunMetadata: bytes, tag: tag, step: step, wallTime: wallTime)
    }

    /// Writes already-serialized `RunMetadata` bytes under `tag` (see
    /// `add(runMetadata:tag:step:wallTime:)`).
    /// - Throws: `.invalidArgument` for an empty tag or bytes that are not a RunMetadata
    ///   (TensorBoard's graph dashboard would fail on them).
    public func add(serializedRunMetadata bytes: [UInt8], tag: String, step: Int = 0, wallTime: Double? = nil) throws {
        try SummaryValidation.checkTag(tag)
        do {
            _ = try Tensorflow_RunMetadata(serializedBytes: bytes)
        } catch {
            throw SummaryWriterError.invalidArgument(
                "the \(bytes.count) bytes are not a serialized RunMetadata (\(error)); pass RunMetadata.serializedBytes() "
                    + "or use add(runMetadata:tag:)")
        }
        var tagged = Tensorflow_TaggedRunMetadata()
        tagged.tag = tag
        tagged.runMetadata = Data(bytes)
        var event = Tensorflow_Event()
        event.taggedRunMetadata = tagged
        try add(event: event, step: step, wallTime: wallTime)
    }
}
