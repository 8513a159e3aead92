import TFGraph
import SwiftProtobuf
import TFProtos
import TensorBoard

/// Kernels of the summary ops: each writes a serialized `Summary` (a string scalar);
/// `MergeSummary` concatenates them (concatenated Summary messages are one Summary).

/// What a summary op outputs: its one value as a serialized `Summary`.
enum SummaryOutput {
    static func serialized(_ value: Tensorflow_Summary.Value) throws -> [UInt8] {
        var summary = Tensorflow_Summary()
        summary.value = [value]
        return try summary.serializedBytes()
    }
}

enum ScalarSummaryKernel: OpKernel {
    static let opType = ScalarSummaryOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (tags, values, output) = (inputs[0], inputs[1], outputs[0])
        let name = op.name
        return {
            guard values.count == 1, let tag = tags.strings.first else {
                throw SessionError.shapeMismatch(op: name, reason: "a scalar summary needs one tag and one value, got \(values.shape)")
            }
            var value = Tensorflow_Summary.Value()
            value.tag = String(decoding: tag, as: UTF8.self)
            value.simpleValue = values.dtype == .float32 ? values.floats[0] : Float(values.integer(at: 0))
            output.strings = [try SummaryOutput.serialized(value)]
        }
    }
}

/// TensorFlow's histogram (default bucket edges; `DefaultBucketHistogram`, large tensors
/// counted in halves on the session's two threads); a NaN or infinity fails the run, as in
/// TensorFlow.
enum HistogramSummaryKernel: OpKernel {
    static let opType = HistogramSummaryOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (tags, values, output) = (inputs[0], inputs[1], outputs[0])
        let name = op.name
        return {
            let tag = String(decoding: tags.strings.first ?? [], as: UTF8.self)
            var value = Tensorflow_Summary.Value()
            do {
                value.histo = try DefaultBucketHistogram.proto(
                    of: UnsafeBufferPointer(start: values.floats, count: values.count), halves: context.runInHalves)
            } catch {
                throw SessionError.invalidValue(op: name, reason: "Nan in summary histogram for: \(tag) (\(error))")
            }
            value.tag = tag
            output.strings = [try SummaryOutput.serialized(value)]
        }
    }
}

enum MergeSummaryKernel: OpKernel {
    static let opType = MergeSummaryOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let output = outputs[0]
        return {
            var merged: [UInt8] = []
            for input in inputs { merged += input.strings.first ?? [] }
            output.strings = [merged]
        }
    }
}
