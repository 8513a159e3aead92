import Foundation
import SwiftProtobuf
import TFProtos

extension Graph {
    /// The graph as a TensorFlow `MetaGraphDef`, as TensorFlow 1's `Saver` writes it to
    /// `model.ckpt-N.meta` and its `FileWriter` to the `meta_graph_def` event:
    ///
    /// - `graph_def`: `graphDef(device:)`;
    /// - `saver_def`: `saverDef`, naming a Saver's `save/` ops (absent without one; TFCheckpoint's
    ///   `metaGraphDef(saver:)` passes its `Saver`'s);
    /// - `collection_def`: `variables` and `trainable_variables` (one serialized
    ///   `VariableDef` each), `train_op` (the ops `minimize` returned), `summaries`
    ///   (`loss:0`, ...), and any custom collection (tensor names).
    ///
    /// `tf.compat.v1.train.import_meta_graph` rebuilds the graph from it, with its train op
    /// and a Saver that restores our checkpoints.
    /// - Throws: SwiftProtobuf's `BinaryEncodingError` if a `VariableDef` cannot be encoded
    ///   (a name past protobuf's 2 GB limit).
    public func metaGraphDef(saverDef: Tensorflow_SaverDef? = nil, device: String = Graph.defaultDevice) throws
        -> Tensorflow_MetaGraphDef
    {
        var meta = Tensorflow_MetaGraphDef()
        meta.graphDef = graphDef(device: device)
        if let saverDef { meta.saverDef = saverDef }
        if !globalVariables.isEmpty {
            meta.collectionDef["variables"] = try Self.variableCollection(globalVariables, trainable: trainableVariables)
        }
        if !trainableVariables.isEmpty {
            meta.collectionDef["trainable_variables"] = try Self.variableCollection(trainableVariables, trainable: trainableVariables)
        }
        for collection in collectionNames {
            let names = self.collection(collection).map(\.name) + operations(in: collection).map(\.name)
            var nodes = Tensorflow_CollectionDef()
            nodes.nodeList.value = names
            meta.collectionDef[collection.metaGraphKey] = nodes
        }
        return meta
    }

    /// A `bytes_list` collection of the variables' `VariableDef`s.
    private static func variableCollection(_ variables: [Variable], trainable: [Variable]) throws -> Tensorflow_CollectionDef {
        var collection = Tensorflow_CollectionDef()
        collection.bytesList.value = try variables.map { variable in
            try variable.definition(trainable: trainable.contains(variable)).serializedData()
        }
        return collection
    }
}

extension Variable {
    /// The names TensorFlow records for a `VariableV2` variable: `x:0`, `x/Assign`,
    /// `x/read:0` and its initial value's tensor.
    func definition(trainable: Bool) -> Tensorflow_VariableDef {
        var definition = Tensorflow_VariableDef()
        definition.variableName = handle.name
        definition.initializerName = initializer.name
        definition.snapshotName = value.name
        if initializer.inputs.count > 1 { definition.initialValueName = initializer.inputs[1].name }
        definition.trainable = trainable
        return definition
    }
}

extension GraphCollection {
    /// The collection's name in a meta graph (TensorFlow's `GraphKeys`).
    var metaGraphKey: String {
        switch self {
        case .summaries: return "summaries"
        case .trainOps: return "train_op"
        case .custom(let name): return name
        }
    }
}

extension Message {
    /// The message's bytes with map entries in key order, so one graph always gives the
    /// same `.meta` file.
    package func deterministicBytes() throws -> [UInt8] {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        return try serializedBytes(options: options)
    }
}
