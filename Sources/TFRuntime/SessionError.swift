import TFGraph
/// Why `Session.run` failed. Each case names the node concerned.
public enum SessionError: Error, CustomStringConvertible, Equatable {
    /// A placeholder the fetches depend on was not fed.
    case unfedPlaceholder(name: String, dtype: DType, shape: TensorShape)
    /// A fed value has the wrong type for its placeholder.
    case feedTypeMismatch(name: String, expected: DType, got: DType)
    /// A fed value has a shape the placeholder does not accept.
    case feedShapeMismatch(name: String, expected: TensorShape, got: [Int])
    /// A variable was read before it was initialized.
    case uninitializedVariable(name: String)
    /// Shapes do not fit an op; the text says how.
    case shapeMismatch(op: String, reason: String)
    /// A class label outside `0..<classes`.
    case labelOutOfRange(op: String, label: Int, classes: Int)
    /// An op was asked for something it does not implement.
    case unsupported(op: String, what: String)
    /// The fetch or target belongs to another graph.
    case foreignGraph(name: String)
    /// OpenBLAS could not be loaded or computes wrong products; the text says what to do.
    case blasUnavailable(message: String)
    /// A value an op cannot take (a NaN in a histogram summary, ...); the text says which.
    case invalidValue(op: String, reason: String)

    public var description: String {
        switch self {
        case .unfedPlaceholder(let name, let dtype, let shape):
            return "You must feed a value for placeholder tensor '\(name)' with dtype \(dtype) and shape \(shape)"
        case .feedTypeMismatch(let name, let expected, let got):
            return "Cannot feed a \(got) value to '\(name)', which is \(expected)"
        case .feedShapeMismatch(let name, let expected, let got):
            return "Cannot feed a value of shape \(got) to '\(name)', which has shape \(expected)"
        case .uninitializedVariable(let name):
            return "Attempting to use uninitialized value \(name): run the initializer "
                + "(graph.globalVariablesInitializer()) or restore a checkpoint first"
        case .shapeMismatch(let name, let message):
            return "\(name): \(message)"
        case .labelOutOfRange(let name, let label, let classes):
            return "\(name): received a label value of \(label) which is outside the valid range of [0, \(classes))"
        case .unsupported(let name, let message):
            return "\(name): \(message) is not supported"
        case .foreignGraph(let name):
            return "\(name) belongs to another graph than this session's"
        case .blasUnavailable(let message):
            return message
        case .invalidValue(let name, let reason):
            return "\(name): \(reason)"
        }
    }
}
