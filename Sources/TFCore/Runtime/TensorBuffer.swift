import Foundation

/// The storage of one tensor during execution: aligned raw memory for numbers, an array for
/// strings. Plans allocate buffers once and kernels capture them, so a step allocates
/// nothing. Unsafe pointer use in TFCore is confined to this type and the kernels.
final class TensorBuffer: @unchecked Sendable {
    let dtype: DType
    private(set) var shape: [Int]
    private(set) var count: Int
    private(set) var raw: UnsafeMutableRawPointer
    private var capacity: Int
    var strings: [[UInt8]] = []
    /// For variables: whether a value was assigned.
    var isInitialized = false

    init(dtype: DType, shape: [Int]) {
        self.dtype = dtype
        self.shape = shape
        count = shape.elementCount
        capacity = max(count * dtype.byteSize, 64)
        raw = .allocate(byteCount: capacity, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: capacity)
        if dtype == .string { strings = Array(repeating: [], count: count) }
    }

    deinit { raw.deallocate() }

    var floats: UnsafeMutablePointer<Float> { raw.assumingMemoryBound(to: Float.self) }
    var int32s: UnsafeMutablePointer<Int32> { raw.assumingMemoryBound(to: Int32.self) }
    var int64s: UnsafeMutablePointer<Int64> { raw.assumingMemoryBound(to: Int64.self) }
    var bools: UnsafeMutablePointer<Bool> { raw.assumingMemoryBound(to: Bool.self) }

    var floatBuffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: floats, count: count) }

    /// An integer element as Int, whatever the integer type.
    func integer(at index: Int) -> Int {
        switch dtype {
        case .int32: return Int(int32s[index])
        case .int64: return Int(int64s[index])
        case .bool: return bools[index] ? 1 : 0
        case .float32: return Int(floats[index])
        case .string: return 0
        }
    }

    /// Copies the value out.
    func tensor() -> Tensor {
        switch dtype {
        case .float32: return Tensor(floats: Array(UnsafeBufferPointer(start: floats, count: count)), shape: shape)
        case .int32: return Tensor(int32s: Array(UnsafeBufferPointer(start: int32s, count: count)), shape: shape)
        case .int64: return Tensor(int64s: Array(UnsafeBufferPointer(start: int64s, count: count)), shape: shape)
        case .bool: return Tensor(bools: Array(UnsafeBufferPointer(start: bools, count: count)), shape: shape)
        case .string: return Tensor(strings: strings, shape: shape)
        }
    }

    /// Copies `tensor` in; its dtype and element count must match.
    func load(_ tensor: Tensor) {
        precondition(tensor.dtype == dtype && tensor.count == count, "buffer load: \(tensor) into \(dtype) \(shape)")
        switch tensor.storage {
        case .float32(let values): values.withUnsafeBytes { if let base = $0.baseAddress { raw.copyMemory(from: base, byteCount: $0.count) } }
        case .int32(let values): values.withUnsafeBytes { if let base = $0.baseAddress { raw.copyMemory(from: base, byteCount: $0.count) } }
        case .int64(let values): values.withUnsafeBytes { if let base = $0.baseAddress { raw.copyMemory(from: base, byteCount: $0.count) } }
        case .bool(let values): values.withUnsafeBytes { if let base = $0.baseAddress { raw.copyMemory(from: base, byteCount: $0.count) } }
        case .string(let values): strings = values
        }
    }

    /// Raw little-endian element bytes (for checkpoints).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: raw, count: count * dtype.byteSize) }

    /// Copies raw element bytes in (for checkpoints); the size must match.
    func loadBytes(_ source: UnsafeRawBufferPointer) {
        precondition(source.count == count * dtype.byteSize)
        if let base = source.baseAddress { raw.copyMemory(from: base, byteCount: source.count) }
    }
}
