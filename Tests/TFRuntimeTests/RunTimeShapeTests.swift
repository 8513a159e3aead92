import Testing
import TFCore

/// Shapes computed while a plan compiles (from shape tensors, from fed values) that no
/// tensor, int32 output or BLAS call can hold are thrown `SessionError`s, never traps.
struct RunTimeShapeTests {
    /// `Fill` of `dimensions`, run.
    static func fill(_ dimensions: [Int32]) throws -> Tensor {
        let g = Graph()
        let shape = g.constant(try Tensor(int32s: dimensions, shape: [dimensions.count]), name: "dimensions")
        let filled = try g.fill(dimensions: shape, value: g.constant(1, name: "one"), staticShape: [nil, nil], name: "filled")
        return try Session(graph: g).run(filled)
    }

    @Test func fillToANegativeOrOverflowingShapeIsRefused() throws {
        #expect(throws: SessionError.shapeMismatch(
            op: "filled", reason: "its shape input: Tensor: shape [2, -3] has dimension -3 at axis 1: dimensions must be 0 or more")) {
            try Self.fill([2, -3])
        }
        let huge = Int32.max
        let error = #expect(throws: SessionError.self) { try Self.fill([huge, huge, huge]) }
        #expect(error?.description.hasPrefix("filled: its shape input: Tensor: the dimensions of shape [2147483647, 2147483647, 2147483647] multiply past") == true)
        #expect(try Self.fill([2, 1]).floats == [1, 1])
    }

    @Test func aShapeBeyondInt32IsAnErrorOfTheShapeOp() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, nil], name: "x")
        let shape = try g.shape(of: x, name: "shape")
        let session = Session(graph: g)
        // No elements, so the tensor exists; its second dimension does not fit Shape's int32.
        let wide = try Tensor(floats: [], shape: [0, Int(Int32.max) + 1])
        #expect(throws: SessionError.invalidValue(
            op: "shape", reason: "shape [0, 2147483648] has a dimension beyond int32, its output type")) {
            try session.run(shape, feeding: [x: wide])
        }
        #expect(try session.run(shape, feeding: [x: Tensor(floats: [], shape: [0, 7])]).int32s == [0, 7])
    }
}
