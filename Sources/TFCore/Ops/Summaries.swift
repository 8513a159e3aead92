import SwiftProtobuf
import TFProtos
import TensorBoard

/// Summary ops: each evaluates to a serialized `Summary` protobuf (a string scalar) that
/// `SummaryWriter.add(serializedSummary:step:)` writes. `MergeSummary` concatenates them
/// (concatenated Summary messages are one Summary holding every value).

enum ScalarSummaryOp: OpDefinition {
    static let type = "ScalarSummary"
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] { [[]] }
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (tags, values, output) = (inputs[0], inputs[1], outputs[0])
        let name = op.name
        return {
            guard values.count == 1, let tag = tags.strings.first else {
                throw SessionError.shapeMismatch(name, "a scalar summary needs one tag and one value, got \(values.shape)")
            }
            var value = Tensorflow_Summary.Value()
            value.tag = String(decoding: tag, as: UTF8.self)
            value.simpleValue = values.dtype == .float32 ? values.floats[0] : Float(values.integer(at: 0))
            var summary = Tensorflow_Summary()
            summary.value = [value]
            output.strings = [try summary.serializedBytes()]
        }
    }
}

enum HistogramSummaryOp: OpDefinition {
    static let type = "HistogramSummary"
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] { [[]] }
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (tags, values, output) = (inputs[0], inputs[1], outputs[0])
        return {
            let samples = UnsafeBufferPointer(start: values.floats, count: values.count)
            let histogram = Histogram(values: samples, bucketCount: 30)
            var proto = Tensorflow_HistogramProto()
            let finite = samples.filter { $0.isFinite }.map(Double.init)
            proto.min = finite.min() ?? 0
            proto.max = finite.max() ?? 0
            proto.num = Double(finite.count)
            proto.sum = finite.reduce(0, +)
            proto.sumSquares = finite.reduce(0) { $0 + $1 * $1 }
            proto.bucketLimit = histogram.buckets.map(\.rightEdge)
            proto.bucket = histogram.buckets.map(\.count)
            var value = Tensorflow_Summary.Value()
            value.tag = String(decoding: tags.strings.first ?? [], as: UTF8.self)
            value.histo = proto
            var summary = Tensorflow_Summary()
            summary.value = [value]
            output.strings = [try summary.serializedBytes()]
        }
    }
}

enum MergeSummaryOp: OpDefinition {
    static let type = "MergeSummary"
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] { [[]] }
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
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

extension Graph {
    private func summary(_ definition: any OpDefinition.Type, tag: String, _ values: Output, name: String?) throws -> Output {
        let output = try withNameScope(name ?? tag) {
            let tags = constant(Tensor(strings: [Array(tag.utf8)], shape: []), name: "tags")
            return addOperation(
                definition, name: currentScope, inputs: [tags, values], attributes: ["T": .type(values.dtype)],
                outputTypes: [.string], outputShapes: [.scalar]
            ).output
        }
        addToCollection(.summaries, output)
        return output
    }

    /// A scalar summary (TensorFlow 1's `tf.summary.scalar`): evaluates to a serialized
    /// Summary with `simple_value`, and joins the summaries collection.
    @discardableResult
    public func scalarSummary(_ tag: String, _ value: some OutputConvertible, name: String? = nil) throws -> Output {
        let value = value.output
        guard value.shape.rank == 0 else {
            throw GraphError.invalidArgument("scalarSummary \(tag): the value must be a scalar, got shape \(value.shape)")
        }
        return try summary(ScalarSummaryOp.self, tag: tag, value, name: name)
    }

    /// A histogram summary of a float32 tensor's values.
    @discardableResult
    public func histogramSummary(_ tag: String, _ values: some OutputConvertible, name: String? = nil) throws -> Output {
        let values = values.output
        guard values.dtype == .float32 else {
            throw GraphError.invalidArgument("histogramSummary \(tag): needs float32 values, got \(values.dtype)")
        }
        return try summary(HistogramSummaryOp.self, tag: tag, values, name: name)
    }

    /// Every summary in the summaries collection merged into one (`tf.summary.merge_all`);
    /// nil when there are none.
    public func mergeAllSummaries(name: String = "Merge/MergeSummary") -> Output? {
        let summaries = collection(.summaries)
        guard !summaries.isEmpty else { return nil }
        return addOperation(
            MergeSummaryOp.self, name: name, inputs: summaries, attributes: ["N": .int(summaries.count)],
            outputTypes: [.string], outputShapes: [.scalar]
        ).output
    }
}
