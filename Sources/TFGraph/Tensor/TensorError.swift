/// Why a `Tensor` could not be made from values and a shape. Each message names the
/// problem and the fix.
public enum TensorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The number of values differs from the number of elements the shape holds (the
    /// product of its dimensions).
    case countMismatch(values: Int, shape: [Int], elements: Int)
    /// A dimension of the shape is below 0.
    case negativeDimension(shape: [Int], axis: Int)
    /// The shape's dimensions (zeros aside) multiply past `Int.max`.
    case tooManyElements(shape: [Int])

    public var description: String {
        switch self {
        case .countMismatch(let values, let shape, let elements):
            return "Tensor: \(values) values for shape \(shape), which holds \(elements): pass as many values as the "
                + "shape's dimensions multiply to"
        case .negativeDimension(let shape, let axis):
            let dimension = shape.indices.contains(axis) ? " \(shape[axis])" : ""
            return "Tensor: shape \(shape) has dimension\(dimension) at axis \(axis): dimensions must be 0 or more"
        case .tooManyElements(let shape):
            return "Tensor: the dimensions of shape \(shape) multiply past \(Int.max), more elements than any memory "
                + "holds: check the shape"
        }
    }
}
