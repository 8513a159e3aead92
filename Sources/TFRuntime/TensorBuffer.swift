import TFGraph
import Foundation

/// The storage of one tensor during execution: aligned raw memory for numbers, an array for
/// strings. Plans allocate buffers once and kernels capture them, so a step allocates
/// nothing. Unsafe pointer use in the runtime is confined to this type and the kernels.
/// A buffer belongs to one session's plans, run by one thread at a time (not `Sendable`).
final class TensorBuffer {
    let dtype: DType
    private(set) var shape: [Int]
    private(set) var count: Int
    private(set) var raw: UnsafeMutableRawPointer
    private var capacity: Int
    var strings: [[UInt8]] = []
    /// For variables: whether a value was assigned.
    var isInitialized = false

    /// A zeroed buffer.
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


    /// An integer element as Int, whatever the integer type (a float32 element truncated
    /// toward zero, 0 when it is NaN or beyond Int: never a trap).
    func integer(at index: Int) -> Int {
        switch dtype {
        case .int32: return Int(int32s[index])
        case .int64: return Int(int64s[index])
        case .bool: return bools[index] ? 1 : 0
        case .float32: return Int(exactly: floats[index].rounded(.towardZero)) ?? 0
        case .string: return 0
        }
    }

    /// Points this buffer at `tensor`'s elements while `body` runs, instead of copying them in
    /// (feeds: kernels only read them). Copies when the storage cannot be borrowed (strings).
    func borrowing<R>(_ tensor: Tensor, _ body: () throws -> R) rethrows -> R {
        precondition(tensor.dtype == dtype && tensor.count == count, "buffer borrow: \(tensor) into \(dtype) \(shape)")
        let borrowed: R? = try tensor.withUnsafeElementBytes { elements in
            guard let base = elements.baseAddress else { return nil }
            let owned = raw
            raw = UnsafeMutableRawPointer(mutating: base)
            defer { raw = owned }
            return try body()
        } ?? nil
        if let borrowed { return borrowed }
        load(tensor)
        return try body()
    }

    /// The value as a tensor, written into `previous`'s storage when nothing else holds it
    /// (a training loop that drops each step's loss gets it back without allocating).
    func tensor(reusing previous: inout Tensor?) -> Tensor {
        guard dtype == .float32, case .float32(var values)? = previous?.storage, values.count == count,
            previous?.shape == shape
        else {
            let fresh = tensor()
            previous = fresh
            return fresh
        }
        previous = nil
        values.withUnsafeMutableBufferPointer { $0.baseAddress?.update(from: floats, count: count) }
        let result = Tensor(unchecked: .float32(values), shape: shape)
        previous = result
        return result
    }

    /// Copies the value out.
    func tensor() -> Tensor {
        switch dtype {
        // The buffer holds `count` elements of its shape by construction.
        case .float32: return Tensor(unchecked: .float32(Array(UnsafeBufferPointer(start: floats, count: count))), shape: shape)
        case .int32: return Tensor(unchecked: .int32(Array(UnsafeBufferPointer(start: int32s, count: count))), shape: shape)
        case .int64: return Tensor(unchecked: .int64(Array(UnsafeBufferPointer(start: int64s, count: count))), shape: shape)
        case .bool: return Tensor(unchecked: .bool(Array(UnsafeBufferPointer(start: bools, count: count))), shape: shape)
        case .string: return Tensor(unchecked: .string(strings), shape: shape)
        }
    }

    /// Copies `tensor` in; its dtype and element count must match.
    func load(_ tensor: Tensor) {
        precondition(tensor.dtype == dtype && tensor.count == count, "buffer load: \(tensor) into \(dtype) \(shape)")
        if case .string(let values) = tensor.storage {
            strings = values
            return
        }
        tensor.withUnsafeElementBytes { if let base = $0.baseAddress { raw.copyMemory(from: base, byteCount: $0.count) } }
    }

    /// Raw little-endian element bytes (for checkpoints).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: raw, count: count * dtype.byteSize) }

    /// Copies raw element bytes in (for checkpoints); the size must match.
    func loadBytes(_ source: UnsafeRawBufferPointer) {
        precondition(source.count == count * dtype.byteSize)
        if let base = source.baseAddress { raw.copyMemory(from: base, byteCount: source.count) }
    }
}
