import Testing
import TFGraph

/// `Tensor`'s initializers throw `TensorError` for values that do not fit the shape, and
/// for shapes no tensor has; they never trap.
struct TensorInitializerTests {
    /// The element types, each with its initializer.
    enum ElementType: CaseIterable, Sendable {
        case floats, int32s, int64s, bools, strings

        /// A tensor of `count` values for `shape`, through this type's initializer.
        func make(_ count: Int, _ shape: [Int]) throws(TensorError) -> Tensor {
            switch self {
            case .floats: try Tensor(floats: Array(repeating: 1, count: count), shape: shape)
            case .int32s: try Tensor(int32s: Array(repeating: 1, count: count), shape: shape)
            case .int64s: try Tensor(int64s: Array(repeating: 1, count: count), shape: shape)
            case .bools: try Tensor(bools: Array(repeating: true, count: count), shape: shape)
            case .strings: try Tensor(strings: Array(repeating: [65], count: count), shape: shape)
            }
        }
    }

    @Test(arguments: ElementType.allCases)
    func aCountThatDiffersFromTheShapeIsNamed(type: ElementType) throws {
        let make = type.make
        for count in [5, 7, 0] {
            #expect(throws: TensorError.countMismatch(values: count, shape: [2, 3], elements: 6), "\(type)") {
                try make(count, [2, 3])
            }
        }
        let error = #expect(throws: TensorError.self) { try make(5, [2, 3]) }
        #expect(
            error?.description
                == "Tensor: 5 values for shape [2, 3], which holds 6: pass as many values as the shape's dimensions multiply to")
        #expect(try make(6, [2, 3]).shape == [2, 3])
        #expect(try make(6, [2, 3]).count == 6)
    }

    @Test(arguments: ElementType.allCases)
    func aNegativeDimensionIsRefused(type: ElementType) throws {
        let make = type.make
        #expect(throws: TensorError.negativeDimension(shape: [2, -3], axis: 1)) { try make(0, [2, -3]) }
        #expect(throws: TensorError.negativeDimension(shape: [-1], axis: 0)) { try make(1, [-1]) }
        // Two negatives multiply to a positive count, which is still no shape.
        #expect(throws: TensorError.negativeDimension(shape: [-2, -3], axis: 0)) { try make(6, [-2, -3]) }
        let error = #expect(throws: TensorError.self) { try make(0, [2, -3]) }
        #expect(error?.description == "Tensor: shape [2, -3] has dimension -3 at axis 1: dimensions must be 0 or more")
    }

    @Test(arguments: ElementType.allCases)
    func aShapeWhoseCountOverflowsIntIsRefused(type: ElementType) throws {
        let make = type.make
        #expect(throws: TensorError.tooManyElements(shape: [Int.max, 2])) { try make(0, [Int.max, 2]) }
        #expect(throws: TensorError.tooManyElements(shape: [1 << 32, 1 << 32])) { try make(0, [1 << 32, 1 << 32]) }
        // A zero makes the count 0, but the other dimensions must still multiply within Int
        // (every row length a kernel computes then fits).
        #expect(throws: TensorError.tooManyElements(shape: [0, Int.max, 2])) { try make(0, [0, Int.max, 2]) }
        let error = #expect(throws: TensorError.self) { try make(0, [Int.max, 2]) }
        #expect(
            error?.description
                == "Tensor: the dimensions of shape [\(Int.max), 2] multiply past \(Int.max), more elements than any memory "
                + "holds: check the shape")
    }

    @Test(arguments: ElementType.allCases)
    func emptyAndZeroSizedShapesWork(type: ElementType) throws {
        let make = type.make
        let scalar = try make(1, [])
        #expect(scalar.shape == [] && scalar.count == 1)
        #expect(throws: TensorError.countMismatch(values: 0, shape: [], elements: 1)) { try make(0, []) }
        let empty = try make(0, [0])
        #expect(empty.shape == [0] && empty.count == 0)
        #expect(try make(0, [Int.max, 0]).count == 0)
        #expect(try make(0, [3, 0, 5]).shape == [3, 0, 5])
        #expect(throws: TensorError.countMismatch(values: 1, shape: [0], elements: 0)) { try make(1, [0]) }
    }

    @Test func scalarConveniencesCannotFail() {
        #expect(Tensor(Float(2.5)).floats == [2.5] && Tensor(Float(2.5)).shape == [])
        #expect(Tensor(Int32(-7)).int32s == [-7] && Tensor(Int32(-7)).dtype == .int32)
    }

    @Test func theErrorOfACaseBuiltByHandNeverTraps() {
        // A user may build any case; its description must not index out of range.
        #expect(TensorError.negativeDimension(shape: [], axis: 3).description.contains("axis 3"))
    }
}
