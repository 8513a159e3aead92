import Foundation
import Testing
import TFProtos
import TensorBoard
import TestSupport

struct RunReaderScalarTests {
    /// The README's test: three lines.
    @Test func lossLoggedAtEveryStepAndFalling() throws {
        let writer = try makeWriter()
        for step in 0..<100 { try writer.add(scalar: 1 / Float(step + 1), tag: "loss", step: step) }
        try writer.close()

        let loss = try RunReader(path: writer.logDirectory).scalars(tag: "loss")
        #expect(loss.map(\.step) == Array(0..<100))
        #expect(loss.last!.value < loss.first!.value)

        #expect(loss[3] == ScalarEvent(step: 3, wallTime: 1_700_000_000, value: Double(Float(0.25))))
        #expect(loss[4].value == Double(Float(0.2)))
    }

    @Test(arguments: [ReaderFixtures.tensorFlow2, ReaderFixtures.tensorFlow1, ReaderFixtures.tensorboardX])
    func fixturesOfOtherWriters(run: String) throws {
        let loss = try RunReader(path: run).scalars(tag: "loss")
        #expect(loss.map(\.step) == [0, 1, 2, 3, 4])
        #expect(loss.map(\.value) == ReaderFixtures.losses)
        #expect(loss.allSatisfy { $0.wallTime > 1_700_000_000 })
    }

    /// TensorFlow writes float64 and float16 scalars as DT_DOUBLE and DT_HALF tensors.
    @Test func tensorFlowDoubleAndHalfScalars() throws {
        let run = try RunReader(path: ReaderFixtures.tensorFlow2)
        #expect(try run.scalars(tag: "double").map(\.value) == [0.1])
        #expect(try run.scalars(tag: "half").map(\.value) == [0.5])
    }

    /// Every tensor form of a scalar: float_val, tensor_content, double_val, half_val
    /// (float16 and bfloat16), int64_val, and a one-element vector.
    @Test func everyTensorForm() throws {
        let writer = try makeWriter()
        let forms: [(String, Tensorflow_TensorProto)] = [
            ("float_val", tensor(.dtFloat) { $0.floatVal = [0.25] }),
            ("content", tensor(.dtFloat) { $0.tensorContent = Data([0x00, 0x00, 0x80, 0x3E]) }),
            ("double", tensor(.dtDouble) { $0.doubleVal = [0.1] }),
            ("double_content", tensor(.dtDouble) { $0.tensorContent = withUnsafeBytes(of: (0.1).bitPattern.littleEndian) { Data($0) } }),
            ("half", tensor(.dtHalf) { $0.halfVal = [0x3800] }),  // 0.5
            ("negative_half", tensor(.dtHalf) { $0.halfVal = [0xC100] }),  // -2.5
            ("bfloat16", tensor(.dtBfloat16) { $0.halfVal = [0x3F80] }),  // 1.0
            ("int64", tensor(.dtInt64) { $0.int64Val = [-7] }),
            ("vector", tensor(.dtFloat, shape: [1]) { $0.floatVal = [2] }),
        ]
        for (tag, tensor) in forms { try writer.add(summary: scalarSummary(tag, tensor), step: 1) }
        try writer.close()
        let run = try RunReader(path: writer.filePath)
        let expected: [String: Double] = [
            "float_val": 0.25, "content": 0.25, "double": 0.1, "double_content": 0.1, "half": 0.5, "negative_half": -2.5,
            "bfloat16": 1, "int64": -7, "vector": 2,
        ]
        for (tag, value) in expected {
            #expect(try run.scalars(tag: tag) == [ScalarEvent(step: 1, wallTime: 1_700_000_000, value: value)], "\(tag)")
        }
    }

    /// A value that is not a one-element number is an error naming the file, the record's
    /// offset and the tag, never a 0.
    @Test(arguments: [
        ("two", tensor(.dtFloat, shape: [2]) { $0.floatVal = [1, 2] }, "holds 2 elements"),
        ("none", tensor(.dtFloat) { _ in }, "holds 0 values"),
        ("text", tensor(.dtString) { $0.stringVal = [Data("7".utf8)] }, "DT_STRING"),
        ("short", tensor(.dtFloat) { $0.tensorContent = Data([0, 0]) }, "2 bytes"),
        // Damaged shapes: nothing is allocated for them, nothing traps.
        ("huge", tensor(.dtFloat, shape: [1 << 40]) { $0.floatVal = [1] }, "stands for 1099511627776 elements"),
        ("overflow", tensor(.dtFloat, shape: [1 << 62, 4]) { $0.tensorContent = Data([0, 0, 0, 0]) }, "more elements than can be counted"),
        ("unknown", tensor(.dtFloat, shape: [-1]) { $0.floatVal = [1] }, "unknown or negative size"),
    ])
    func malformedScalarsThrow(tag: String, tensor: Tensorflow_TensorProto, reason: String) throws {
        let writer = try makeWriter()
        try writer.add(summary: scalarSummary(tag, tensor), step: 1)
        try writer.close()
        let offsets = try EventFileReader(path: writer.filePath).readAll().map(\.offset)
        #expect {
            _ = try RunReader(path: writer.logDirectory).scalars(tag: tag)
        } throws: { error in
            guard case .malformedValue(let file, let offset, let errorTag, let message) = error as? RunReaderError else { return false }
            return file == writer.filePath && offset == offsets[1] && errorTag == tag && message.contains(reason)
        }
    }

    /// Asking for scalars of a histogram, a text or an image tag throws; so does a tag
    /// that is not there, listing the tags that are.
    @Test func otherKindsAndMissingTagsThrow() throws {
        let writer = try makeWriter()
        try writer.add(scalar: 1, tag: "loss", step: 0)
        try writer.add(histogram: [1.0, 2.0], tag: "weights", step: 0)
        try writer.add(text: "3", tag: "notes", step: 0)
        try writer.close()
        let run = try RunReader(path: writer.logDirectory)
        #expect(throws: RunReaderError.kindMismatch(tag: "weights", requested: .scalars, found: .histograms)) {
            try run.scalars(tag: "weights")
        }
        #expect(throws: RunReaderError.kindMismatch(tag: "notes", requested: .scalars, found: .text)) {
            try run.scalars(tag: "notes")
        }
        #expect(throws: RunReaderError.kindMismatch(tag: "loss", requested: .histograms, found: .scalars)) {
            try run.histograms(tag: "loss")
        }
        #expect(throws: RunReaderError.tagNotFound(tag: "los", run: writer.logDirectory, available: ["loss", "notes", "weights"])) {
            try run.scalars(tag: "los")
        }
    }

    /// A tag whose first value names no plugin is shown by no TensorBoard dashboard, so it
    /// is not read as scalars either.
    @Test func tensorWithoutPluginIsNotAScalar() throws {
        var value = Tensorflow_Summary.Value()
        value.tag = "raw"
        value.tensor = tensor(.dtFloat) { $0.floatVal = [1] }
        var summary = Tensorflow_Summary()
        summary.value = [value]
        let writer = try makeWriter()
        try writer.add(summary: summary, step: 0)
        try writer.close()
        #expect(throws: RunReaderError.kindMismatch(tag: "raw", requested: .scalars, found: .other(plugin: ""))) {
            try RunReader(path: writer.filePath).scalars(tag: "raw")
        }
    }
}

/// A tensor of `dtype` and `shape`, filled by `fill`.
func tensor(_ dtype: Tensorflow_DataType, shape: [Int64] = [], _ fill: (inout Tensorflow_TensorProto) -> Void) -> Tensorflow_TensorProto {
    var tensor = Tensorflow_TensorProto()
    tensor.dtype = dtype
    tensor.tensorShape.dim = shape.map { size in
        var dim = Tensorflow_TensorShapeProto.Dim()
        dim.size = size
        return dim
    }
    fill(&tensor)
    return tensor
}

/// A summary holding `tensor` as a value of plugin `scalars`.
func scalarSummary(_ tag: String, _ tensor: Tensorflow_TensorProto) -> Tensorflow_Summary {
    var value = Tensorflow_Summary.Value()
    value.tag = tag
    value.metadata.pluginData.pluginName = "scalars"
    value.tensor = tensor
    var summary = Tensorflow_Summary()
    summary.value = [value]
    return summary
}

/// The reader matches the usual one-scalar layout without walking it; every other layout
/// must read as a full protobuf decode reads it.
struct RunReaderLayoutTests {
    /// `Summary.Value` bytes: tag, then `fields`.
    private func value(_ tag: String, _ fields: [UInt8]) -> [UInt8] {
        [0x0A, UInt8(tag.utf8.count)] + Array(tag.utf8) + fields
    }

    /// An Event at `step` whose summary holds `values`.
    private func event(step: UInt8, _ values: [[UInt8]]) -> [UInt8] {
        let summary: [UInt8] = values.flatMap { value -> [UInt8] in [0x0A, UInt8(value.count)] + value }
        return [0x10, step, 0x2A, UInt8(summary.count)] + summary
    }

    @Test func everyLayoutReadsAsProtobufDecodes() throws {
        func simple(_ bits: [UInt8]) -> [UInt8] { [0x15] + bits }
        let metadata: [UInt8] = [0x4A, 0x0B, 0x0A, 0x09, 0x0A, 0x07] + Array("scalars".utf8)
        let (half, one, two, nine, three, four): ([UInt8], [UInt8], [UInt8], [UInt8], [UInt8], [UInt8]) = (
            [0, 0, 0, 0x3F], [0, 0, 0x80, 0x3F], [0, 0, 0, 0x40], [0, 0, 0x10, 0x41], [0, 0, 0x40, 0x40], [0, 0, 0x80, 0x40]
        )
        let floatTensor: [UInt8] = [0x42, 0x08, 0x08, 0x01, 0x2A, 0x04] + three  // Value.tensor: DT_FLOAT, float_val
        let file = framedFile([
            event(step: 0, [value("loss", simple(half) + metadata)]),
            event(step: 1, [value("loss", simple(one)), value("acc", simple(two))]),  // two values
            event(step: 2, [value("loss", simple(two) + [0x3A, 0x01, 0x6E])]),  // node_name after the value
            event(step: 3, [value("loss", simple(nine) + floatTensor)]),  // a later oneof member wins
            event(step: 4, [value("acc", simple(nine))]),  // another tag only
            event(step: 5, [value("loss", simple(four))]),  // the usual layout
        ])
        let reader = RunReader(bytes: file)
        #expect(try reader.scalars(tag: "loss").map(\.step) == [0, 1, 2, 3, 5])
        #expect(try reader.scalars(tag: "loss").map(\.value) == [0.5, 1, 2, 3, 4])
        #expect(try reader.scalars(tag: "acc").map(\.value) == [2, 9])
        // The same through swift-protobuf: every loss value of every event.
        var decoded: [Double] = []
        for record in try EventFileReader(bytes: file).readAll() {
            for value in try record.event().summary.value where value.tag == "loss" {
                switch value.value {
                case .simpleValue(let number): decoded.append(Double(number))
                case .tensor(let tensor): decoded.append(Double(tensor.floatVal[0]))
                default: Issue.record("unexpected value \(value)")
                }
            }
        }
        #expect(decoded == [0.5, 1, 2, 3, 4])
    }
}
