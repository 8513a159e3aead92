/// A node attribute, as TensorFlow's NodeDef carries them.
public enum AttrValue: Sendable, Equatable {
    case int(Int)
    case float(Float)
    case bool(Bool)
    case string(String)
    case type(DType)
    case shape(TensorShape)
    case tensor(Tensor)
    /// A list of dtypes (`SaveV2`'s and `RestoreV2`'s `dtypes`).
    case types([DType])

    package var int: Int? { if case .int(let v) = self { return v } else { return nil } }
    package var float: Float? { if case .float(let v) = self { return v } else { return nil } }
    package var bool: Bool? { if case .bool(let v) = self { return v } else { return nil } }
    package var string: String? { if case .string(let v) = self { return v } else { return nil } }
    package var tensor: Tensor? { if case .tensor(let v) = self { return v } else { return nil } }
}
