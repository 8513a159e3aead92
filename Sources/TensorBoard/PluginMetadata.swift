import struct Foundation.Data
import TFProtos

/// `SummaryMetadata` for TensorBoard's plugins. Every plugin data message used here is at
/// version 0 with no other fields set, so its `content` serializes to zero bytes.
public enum PluginMetadata {
    /// Metadata naming `plugin` with empty content.
    public static func make(plugin: String, content: [UInt8] = [], description: String = "")
        -> Tensorflow_SummaryMetadata
    {
        var metadata = Tensorflow_SummaryMetadata()
        metadata.pluginData.pluginName = plugin
        metadata.pluginData.content = Data(content)
        metadata.summaryDescription = description
        return metadata
    }
}

/// Builders for `TensorProto` values.
enum TensorProtos {
    static func shape(_ dims: [Int]) -> Tensorflow_TensorShapeProto {
        var shape = Tensorflow_TensorShapeProto()
        shape.dim = dims.map { size in
            var dim = Tensorflow_TensorShapeProto.Dim()
            dim.size = Int64(size)
            return dim
        }
        return shape
    }

    static func strings(_ values: [[UInt8]], shape dims: [Int]) -> Tensorflow_TensorProto {
        var tensor = Tensorflow_TensorProto()
        tensor.dtype = .dtString
        tensor.tensorShape = shape(dims)
        tensor.stringVal = values.map { Data($0) }
        return tensor
    }

    static func doubles(_ values: [Double], shape dims: [Int]) -> Tensorflow_TensorProto {
        var tensor = Tensorflow_TensorProto()
        tensor.dtype = .dtDouble
        tensor.tensorShape = shape(dims)
        tensor.doubleVal = values
        return tensor
    }
}
