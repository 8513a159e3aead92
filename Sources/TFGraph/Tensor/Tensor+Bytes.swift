extension Tensor {
    /// A numeric tensor from its little-endian element bytes (a checkpoint's contents);
    /// nil for strings, for a shape no tensor has, or when the byte count does not match
    /// `shape`.
    package init?(dtype: DType, shape: [Int], littleEndianBytes bytes: some Collection<UInt8>) {
        guard dtype != .string, case .success(let count) = shape.checkedElementCount else { return nil }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, bytes.count == byteCount else { return nil }
        func values<T>(_ type: T.Type) -> [T] {
            [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyBytes(from: bytes)
                initialized = count
            }
        }
        switch dtype {
        case .float32: self.init(unchecked: .float32(values(Float.self)), shape: shape)
        case .int32: self.init(unchecked: .int32(values(Int32.self)), shape: shape)
        case .int64: self.init(unchecked: .int64(values(Int64.self)), shape: shape)
        // Byte by byte: a byte other than 0 or 1 is no valid Bool to copy.
        case .bool: self.init(unchecked: .bool(bytes.map { $0 != 0 }), shape: shape)
        case .string: return nil
        }
    }
}
