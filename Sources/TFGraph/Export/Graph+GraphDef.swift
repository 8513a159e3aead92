import Foundation
import SwiftProtobuf
import TFProtos

extension Graph {
    /// The device string written on every node.
    public static let defaultDevice = "/job:localhost/replica:0/task:0/device:CPU:0"

    /// The graph as a TensorFlow `GraphDef`: TensorFlow op types and attrs, inputs as
    /// `name`, `name:N` and `^control`, `_output_shapes` on every node (TensorBoard labels
    /// edges with them), and a CPU device string.
    public func graphDef(device: String = Graph.defaultDevice) -> Tensorflow_GraphDef {
        var graph = Tensorflow_GraphDef()
        graph.versions.producer = 1087
        graph.node = operations.map { operation in
            var node = Tensorflow_NodeDef()
            node.name = operation.name
            node.op = operation.type
            node.device = device
            node.input = operation.inputs.map(\.inputName) + operation.controlInputs.map { "^" + $0.name }
            for (key, value) in operation.attributes {
                node.attr[key] = value.proto
            }
            var shapes = Tensorflow_AttrValue()
            shapes.list.shape = operation.outputShapes.map(\.proto)
            node.attr["_output_shapes"] = shapes
            return node
        }
        return graph
    }
}

extension TensorShape {
    package var proto: Tensorflow_TensorShapeProto {
        var shape = Tensorflow_TensorShapeProto()
        shape.dim = dimensions.map { size in
            var dim = Tensorflow_TensorShapeProto.Dim()
            dim.size = Int64(size ?? -1)
            return dim
        }
        return shape
    }
}

extension AttrValue {
    var proto: Tensorflow_AttrValue {
        var value = Tensorflow_AttrValue()
        switch self {
        case .int(let v): value.i = Int64(v)
        case .float(let v): value.f = v
        case .bool(let v): value.b = v
        case .string(let v): value.s = Data(v.utf8)
        case .type(let v): value.type = v.dataType
        case .shape(let v): value.shape = v.proto
        case .types(let v): value.list.type = v.map(\.dataType)
        case .tensor(let v): value.tensor = v.proto
        }
        return value
    }
}
