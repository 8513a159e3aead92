/// A concrete tensor value: a dtype, a shape and contiguous row-major elements.
///
///     let images = try Tensor(floats: pixels, shape: [100, 784])
///     let loss = try session.run(lossOutput, feeding: feed).scalarFloat
public struct Tensor: Sendable, Equatable, CustomStringConvertible {
    /// The elements, by type.
    public enum Storage: Sendable, Equatable {
        case float32([Float])
        case int32([Int32])
        case int64([Int64])
        case bool([Bool])
        case string([[UInt8]])
    }

    public let shape: [Int]
    public let storage: Storage

    public var dtype: DType {
        switch storage {
        case .float32: return .float32
        case .int32: return .int32
        case .int64: return .int64
        case .bool: return .bool
        case .string: return .string
        }
    }

    /// The number of elements.
    public var count: Int { shape.elementCount }

    /// The raw bytes of numeric elements (nil for strings), valid only inside `body`.
    package func withUnsafeElementBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        switch storage {
        case .float32(let values): return try values.withUnsafeBytes(body)
        case .int32(let values): return try values.withUnsafeBytes(body)
        case .int64(let values): return try values.withUnsafeBytes(body)
        case .bool(let values): return try values.withUnsafeBytes(body)
        case .string: return nil
        }
    }

    /// A float32 tensor of `shape` holding `floats` in row-major order.
    /// - Throws: `TensorError` when `floats.count` differs from the number of elements of
    ///   `shape`, or `shape` has a negative dimension or more elements than `Int` counts.
    public init(floats: [Float], shape: [Int]) throws(TensorError) {
        try Self.check(count: floats.count, shape: shape)
        self.init(unchecked: .float32(floats), shape: shape)
    }

    /// An int32 tensor of `shape` holding `int32s` in row-major order.
    /// - Throws: `TensorError`, as `init(floats:shape:)`.
    public init(int32s: [Int32], shape: [Int]) throws(TensorError) {
        try Self.check(count: int32s.count, shape: shape)
        self.init(unchecked: .int32(int32s), shape: shape)
    }

    /// An int64 tensor of `shape` holding `int64s` in row-major order.
    /// - Throws: `TensorError`, as `init(floats:shape:)`.
    public init(int64s: [Int64], shape: [Int]) throws(TensorError) {
        try Self.check(count: int64s.count, shape: shape)
        self.init(unchecked: .int64(int64s), shape: shape)
    }

    /// A bool tensor of `shape` holding `bools` in row-major order.
    /// - Throws: `TensorError`, as `init(floats:shape:)`.
    public init(bools: [Bool], shape: [Int]) throws(TensorError) {
        try Self.check(count: bools.count, shape: shape)
        self.init(unchecked: .bool(bools), shape: shape)
    }

    /// A string tensor of `shape` holding `strings` (each any bytes) in row-major order.
    /// - Throws: `TensorError`, as `init(floats:shape:)`.
    public init(strings: [[UInt8]], shape: [Int]) throws(TensorError) {
        try Self.check(count: strings.count, shape: shape)
        self.init(unchecked: .string(strings), shape: shape)
    }

    /// A float32 scalar.
    public init(_ value: Float) { self.init(unchecked: .float32([value]), shape: []) }
    /// An int32 scalar.
    public init(_ value: Int32) { self.init(unchecked: .int32([value]), shape: []) }

    /// A tensor whose shape the caller knows to be valid and to hold exactly the storage's
    /// elements: a vector of `[values.count]`, a scalar, a runtime buffer's contents.
    package init(unchecked storage: Storage, shape: [Int]) {
        self.shape = shape
        self.storage = storage
    }

    /// Throws unless `shape` is valid and holds `count` elements.
    private static func check(count: Int, shape: [Int]) throws(TensorError) {
        let elements = try shape.checkedElementCount.get()
        guard count == elements else { throw .countMismatch(values: count, shape: shape, elements: elements) }
    }

    /// The float32 elements (empty for other types).
    public var floats: [Float] {
        if case .float32(let values) = storage { return values }
        return []
    }

    /// The int32 elements (empty for other types).
    public var int32s: [Int32] {
        if case .int32(let values) = storage { return values }
        return []
    }

    /// The int64 elements (empty for other types).
    public var int64s: [Int64] {
        if case .int64(let values) = storage { return values }
        return []
    }

    /// The bool elements (empty for other types).
    public var bools: [Bool] {
        if case .bool(let values) = storage { return values }
        return []
    }

    /// The string elements (empty for other types).
    public var strings: [[UInt8]] {
        if case .string(let values) = storage { return values }
        return []
    }

    /// The first element as a Double, whatever the numeric type (nan if none).
    public var scalarDouble: Double {
        switch storage {
        case .float32(let values): return values.first.map(Double.init) ?? .nan
        case .int32(let values): return values.first.map(Double.init) ?? .nan
        case .int64(let values): return values.first.map(Double.init) ?? .nan
        case .bool(let values): return values.first.map { $0 ? 1 : 0 } ?? .nan
        case .string: return .nan
        }
    }

    /// The first element as a Float (nan if none or not numeric).
    public var scalarFloat: Float { Float(scalarDouble) }

    public var description: String {
        let values: String
        switch storage {
        case .float32(let v): values = v.prefix(8).map { "\($0)" }.joined(separator: ", ")
        case .int32(let v): values = v.prefix(8).map { "\($0)" }.joined(separator: ", ")
        case .int64(let v): values = v.prefix(8).map { "\($0)" }.joined(separator: ", ")
        case .bool(let v): values = v.prefix(8).map { "\($0)" }.joined(separator: ", ")
        case .string(let v): values = v.prefix(8).map { "<\($0.count) bytes>" }.joined(separator: ", ")
        }
        return "Tensor(\(dtype), \(shape), [\(values)\(count > 8 ? ", ..." : "")])"
    }
}
