import TFProtos

/// Element types of tensors: float32 for compute, int32/int64 for labels and counters,
/// bool for comparisons, string for serialized summaries.
public enum DType: Sendable, Hashable, CustomStringConvertible {
    case float32, int32, int64, bool, string

    /// Bytes per element (0 for strings, which are stored as byte arrays).
    public var byteSize: Int {
        switch self {
        case .float32, .int32: return 4
        case .int64: return 8
        case .bool: return 1
        case .string: return 0
        }
    }

    /// TensorFlow's DataType for this type.
    public var dataType: Tensorflow_DataType {
        switch self {
        case .float32: return .dtFloat
        case .int32: return .dtInt32
        case .int64: return .dtInt64
        case .bool: return .dtBool
        case .string: return .dtString
        }
    }

    /// The type for a TensorFlow DataType, if supported.
    public init?(_ dataType: Tensorflow_DataType) {
        switch dataType {
        case .dtFloat: self = .float32
        case .dtInt32: self = .int32
        case .dtInt64: self = .int64
        case .dtBool: self = .bool
        case .dtString: self = .string
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .float32: return "float32"
        case .int32: return "int32"
        case .int64: return "int64"
        case .bool: return "bool"
        case .string: return "string"
        }
    }
}
