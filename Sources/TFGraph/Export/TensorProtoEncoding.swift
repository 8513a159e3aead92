import Foundation
import TFProtos

/// Constants as TensorFlow's `make_tensor_proto` writes them into a GraphDef.
///
/// - A tensor whose elements are all equal (a scalar, a one-element tensor, or a filled
///   shape such as `tf.zeros([128])`) is a *splat*: one value in the typed field
///   (`float_val`, `int_val`, `int64_val`, `bool_val`) plus the shape; importers repeat it
///   over the whole shape.
/// - Other numbers go in `tensor_content` (raw little-endian elements, row-major).
/// - Booleans are always listed in `bool_val`, strings always in full in `string_val`
///   (TensorFlow never puts strings in `tensor_content`).
/// - An empty tensor carries its dtype and shape only.
///
/// So the learning rate reads `float_val: 0.01` in TensorBoard, not four raw bytes, and
/// `hidden1/zeros` is one value rather than 512 bytes.
extension Tensor {
    /// The value as TensorFlow writes it in a `Const` node's `value` attr.
    var proto: Tensorflow_TensorProto {
        var tensor = Tensorflow_TensorProto()
        tensor.dtype = dtype.dataType
        tensor.tensorShape = TensorShape(known: shape).proto
        switch storage {
        case .float32(let values):
            // Compared by bit pattern: -0.0 stays -0.0 and a NaN fill is still a fill.
            if let value = Self.fill(values, equal: { $0.bitPattern == $1.bitPattern }) {
                tensor.floatVal = [value]
            } else if !values.isEmpty {
                tensor.tensorContent = Self.littleEndianBytes(values.map(\.bitPattern))
            }
        case .int32(let values):
            if let value = Self.fill(values, equal: ==) {
                tensor.intVal = [value]
            } else if !values.isEmpty {
                tensor.tensorContent = Self.littleEndianBytes(values)
            }
        case .int64(let values):
            if let value = Self.fill(values, equal: ==) {
                tensor.int64Val = [value]
            } else if !values.isEmpty {
                tensor.tensorContent = Self.littleEndianBytes(values)
            }
        case .bool(let values):
            tensor.boolVal = Self.fill(values, equal: ==).map { [$0] } ?? values
        case .string(let values):
            tensor.stringVal = values.map { Data($0) }
        }
        return tensor
    }

    /// The one value every element holds, or nil when there are none or they differ.
    private static func fill<Element>(_ values: [Element], equal: (Element, Element) -> Bool) -> Element? {
        guard let first = values.first, values.allSatisfy({ equal($0, first) }) else { return nil }
        return first
    }

    /// The elements' bytes, little-endian whatever the machine's byte order.
    private static func littleEndianBytes<Element: FixedWidthInteger>(_ values: [Element]) -> Data {
        var bytes = Data(capacity: values.count * MemoryLayout<Element>.size)
        for value in values {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }
}
