import SwiftProtobuf
import TFProtos
import TFRecord
import TensorBoard

/// One record payload. Properties: the validator's structural wire check accepts every
/// payload swift-protobuf decodes as an Event (it never rejects a real event), and a
/// decoded event's encoding is stable: decoding and re-encoding it gives the same bytes
/// (compared as bytes, since a NaN wall time never equals itself).
enum EventDecoderTarget {
    static func run(_ payload: [UInt8]) {
        let file = RecordBatch(payloads: [payload]).bytes
        let report = EventFileValidator.validate(bytes: file)
        let decoded: Tensorflow_Event
        do {
            guard let record = try EventFileReader(bytes: file).next() else {
                FuzzCheck.require(false, "a framed payload read as no record")
                return
            }
            decoded = try record.event()
        } catch {
            return
        }
        FuzzCheck.require(report.isClean, "swift-protobuf decodes an Event the validator rejects: \(report.problem!)")
        do {
            let encoded: [UInt8] = try decoded.serializedBytes()
            let again: [UInt8] = try Tensorflow_Event(serializedBytes: encoded).serializedBytes()
            FuzzCheck.require(again == encoded, "an event's encoding changed through decoding and re-encoding")
        } catch {
            FuzzCheck.require(false, "a decoded event does not re-encode: \(error)")
        }
    }

    /// Each record payload of the record reader's seed file.
    static func seeds() throws -> [[UInt8]] {
        let reader = RecordReader(bytes: try RecordReaderTarget.seeds()[0])
        var payloads: [[UInt8]] = []
        while let payload = try reader.next() { payloads.append(payload) }
        return payloads
    }
}
