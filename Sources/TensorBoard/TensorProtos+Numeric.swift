import struct Foundation.Data
import TFProtos

/// Numeric `TensorProto`s, their elements in `tensor_content` as raw little-endian bytes,
/// row-major (what TensorFlow's C++ writer and `make_tensor_proto` do for numeric tensors).
extension TensorProtos {
    /// A DT_FLOAT tensor.
    static func floats(_ values: [Float], shape dims: [Int]) -> Tensorflow_TensorProto {
        numeric(.dtFloat, dims, byteCount: values.count * 4) { bytes in
            for value in values { appendLittleEndian(value.bitPattern, to: &bytes) }
        }
    }

    /// A DT_INT32 tensor.
    static func int32s(_ values: [Int32], shape dims: [Int]) -> Tensorflow_TensorProto {
        numeric(.dtInt32, dims, byteCount: values.count * 4) { bytes in
            for value in values { appendLittleEndian(UInt32(bitPattern: value), to: &bytes) }
        }
    }

    /// A DT_UINT8 tensor.
    static func uint8s(_ values: [UInt8], shape dims: [Int]) -> Tensorflow_TensorProto {
        numeric(.dtUint8, dims, byteCount: values.count) { $0.append(contentsOf: values) }
    }

    private static func numeric(
        _ dtype: Tensorflow_DataType, _ dims: [Int], byteCount: Int, _ fill: (inout [UInt8]) -> Void
    ) -> Tensorflow_TensorProto {
        var bytes = [UInt8]()
        bytes.reserveCapacity(byteCount)
        fill(&bytes)
        var tensor = Tensorflow_TensorProto()
        tensor.dtype = dtype
        tensor.tensorShape = shape(dims)
        tensor.tensorContent = Data(bytes)
        return tensor
    }

    private static func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}
