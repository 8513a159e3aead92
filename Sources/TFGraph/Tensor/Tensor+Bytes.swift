extension Tensor {
    /// A numeric tensor from its little-endian element bytes (a checkpoint's contents);
    /// nil for strings or when the byte count does not match `shape`.
    package init?(dtype: DType, shape: [Int], littleEndianBytes bytes: some Collection<UInt8>) {
        let count = shape.elementCount
        guard dtype != .string, bytes.count == count * dtype.byteSize else { return nil }
        func values<T>(_ type: T.Type) -> [T] {
            [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                _ = UnsafeMutableRawBufferPointer(buffer).copyBytes(from: bytes)
                initialized = count
            }
        }
        switch dtype {
        case .float32: self.init(floats: values(Float.self), shape: shape)
        case .int32: self.init(int32s: values(Int32.self), shape: shape)
        case .int64: self.init(int64s: values(Int64.self), shape: shape)
        case .bool: self.init(bools: values(Bool.self), shape: shape)
        case .string: return nil
        }
    }
}
