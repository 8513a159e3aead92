import Foundation
import Testing
import TrainerTestSupport
import TFCore
@testable import TFGraph

/// Constants as TensorFlow's `make_tensor_proto` writes them (observed with TensorFlow 2.21).
struct TensorProtoEncodingTests {
    @Test func scalarsAreOneTypedValue() throws {
        let rate = Tensor(Float(0.01)).proto
        #expect(rate.dtype == .dtFloat && rate.tensorShape.dim.isEmpty)
        #expect(rate.floatVal == [0.01] && rate.tensorContent.isEmpty)
        #expect(Tensor(Int32(1)).proto.intVal == [1])
        #expect(try Tensor(int64s: [5], shape: []).proto.int64Val == [5])
        #expect(try Tensor(bools: [true], shape: []).proto.boolVal == [true])
    }

    @Test func filledShapesAreSplats() throws {
        let zeros = try Tensor(floats: [Float](repeating: 0, count: 128), shape: [128]).proto
        #expect(zeros.floatVal == [0] && zeros.tensorContent.isEmpty)
        #expect(zeros.tensorShape.dim.map(\.size) == [128])
        let sevens = try Tensor(int32s: [7, 7, 7, 7, 7, 7], shape: [2, 3]).proto
        #expect(sevens.intVal == [7] && sevens.tensorShape.dim.map(\.size) == [2, 3])
        #expect(try Tensor(int32s: [100], shape: [1]).proto.intVal == [100])
        #expect(try Tensor(bools: [false, false], shape: [2]).proto.boolVal == [false])
        let nan = try Tensor(floats: [.nan, .nan], shape: [2]).proto
        #expect(nan.floatVal.count == 1 && nan.floatVal[0].isNaN)
    }

    @Test func otherContentsAreRawLittleEndianBytes() throws {
        let shape = try Tensor(int32s: [784, 128], shape: [2]).proto
        #expect(shape.intVal.isEmpty)
        #expect(Array(shape.tensorContent) == [0x10, 0x03, 0, 0, 0x80, 0, 0, 0])
        let floats = try Tensor(floats: [1, 2], shape: [2]).proto
        #expect(Array(floats.tensorContent) == [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40])
        let longs = try Tensor(int64s: [1, 2], shape: [2]).proto
        #expect(Array(longs.tensorContent) == [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0])
        // -0.0 and 0.0 differ in their bits, so they are not a fill.
        #expect(try Tensor(floats: [0, -0.0], shape: [2]).proto.tensorContent.count == 8)
        #expect(try Tensor(bools: [true, false], shape: [2]).proto.boolVal == [true, false])
    }

    @Test func stringsAreListedInFullAndEmptyTensorsHoldNoValues() throws {
        let slices = try Tensor(strings: [[], [], []], shape: [3]).proto
        #expect(slices.stringVal == [Data(), Data(), Data()])
        let empty = try Tensor(floats: [], shape: [0]).proto
        #expect(empty.floatVal.isEmpty && empty.tensorContent.isEmpty && empty.tensorShape.dim.map(\.size) == [0])
    }

    /// The tutorial's graph: a splat for every filled constant, and one learning rate.
    @Test func tutorialGraphConstantsAreWrittenAsTensorFlowWritesThem() throws {
        let model = try MNISTGraphFixture.make()
        let nodes = model.graph.graphDef().node
        let constants = Dictionary(nodes.filter { $0.op == "Const" }.map { ($0.name, $0.attr["value"]!.tensor) }, uniquingKeysWith: { a, _ in a })
        #expect(constants["hidden1/zeros"]?.floatVal == [0] && constants["hidden1/zeros"]?.tensorContent.isEmpty == true)
        #expect(constants.keys.filter { $0.hasSuffix("learning_rate") } == ["GradientDescent/learning_rate"])
        #expect(constants["GradientDescent/learning_rate"]?.floatVal == [0.01])
        let updates = nodes.filter { $0.op == "ApplyGradientDescent" }
        #expect(updates.count == 6 && updates.allSatisfy { $0.input[1] == "GradientDescent/learning_rate" })
        #expect(constants["hidden1/truncated_normal/shape"]?.tensorContent.count == 8)
    }
}
