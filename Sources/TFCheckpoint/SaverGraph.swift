import TFGraph
import TFProtos

/// The `save/` scope TensorFlow 1's `tf.compat.v1.train.Saver` adds to its graph (V2
/// format, one shard), node for node, so that TensorFlow can save and restore our graph's
/// variables after `import_meta_graph`:
///
///     save/filename/input        Const "model"
///     save/filename              PlaceholderWithDefault(save/filename/input)
///     save/Const                 PlaceholderWithDefault(save/filename)   feed the prefix here
///     save/SaveV2/tensor_names   Const, the variables' names
///     save/SaveV2/shape_and_slices  Const, one "" per variable (whole tensors)
///     save/SaveV2                SaveV2(save/Const, names, slices, variables...)
///     save/control_dependency    Identity(save/Const, ^save/SaveV2)      fetch this to save
///     save/RestoreV2             RestoreV2(save/Const, names, slices), its own name constants
///     save/Assign, save/Assign_1, ...  Assign(variable i, save/RestoreV2:i)
///     save/restore_all           NoOp(^save/Assign, ...)                  run this to restore
///
/// Variables are in name order, as TensorFlow sorts them. A second `Saver` of the same
/// graph gets `save_1/`, as in TensorFlow.
struct SaverGraph {
    /// `save/Const:0`, the checkpoint prefix.
    let filename: Output
    /// `save/control_dependency:0`, the prefix once saved.
    let saveTensor: Output
    /// `save/restore_all`.
    let restoreOperation: GraphOperation

    /// Adds the ops to `graph`, in its current name scope. Every variable must belong to it
    /// (`Saver` checks), so nothing here can fail.
    init(graph: Graph, variables: [Variable]) {
        let variables = variables.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        // Op names relative to the current scope, under a unique `save` scope.
        let scope = String(graph.uniqueName("save").dropFirst(graph.currentScope.count)) + "/"
        let names = Tensor(unchecked: .string(variables.map { Array($0.name.utf8) }), shape: [variables.count])
        let wholeTensors = Tensor(unchecked: .string(variables.map { _ in [] }), shape: [variables.count])
        let dtypes = AttrValue.types(variables.map(\.dtype))

        let defaultName = graph.constant(Tensor(unchecked: .string([Array("model".utf8)]), shape: []), name: scope + "filename/input")
        let filename = graph.placeholderWithDefault(
            graph.placeholderWithDefault(defaultName, name: scope + "filename"), name: scope + "Const")
        let save = graph.addOwnedOperation(
            SaveV2Op.self, name: scope + "SaveV2",
            inputs: [
                filename, graph.constant(names, name: scope + "SaveV2/tensor_names"),
                graph.constant(wholeTensors, name: scope + "SaveV2/shape_and_slices"),
            ] + variables.map(\.handle),
            controlInputs: [], attributes: ["dtypes": dtypes], outputTypes: [], outputShapes: [])
        // tf.identity(filename) under tf.control_dependencies([save]).
        saveTensor = graph.addOwnedOperation(
            IdentityOp.self, name: scope + "control_dependency", inputs: [filename], controlInputs: [save],
            attributes: ["T": .type(filename.dtype)], outputTypes: [filename.dtype], outputShapes: [filename.shape]
        ).firstOutput

        let restore = graph.addOwnedOperation(
            RestoreV2Op.self, name: scope + "RestoreV2",
            inputs: [
                filename, graph.constant(names, name: scope + "RestoreV2/tensor_names"),
                graph.constant(wholeTensors, name: scope + "RestoreV2/shape_and_slices"),
            ],
            controlInputs: [], attributes: ["dtypes": dtypes], outputTypes: variables.map(\.dtype),
            outputShapes: variables.map(\.shape))
        let assigns = variables.enumerated().map { index, variable in
            graph.addOwnedOperation(
                AssignOp.self, name: scope + "Assign", inputs: [variable.handle, restore.output(unchecked: index)], controlInputs: [],
                attributes: ["T": .type(variable.dtype), "validate_shape": .bool(true), "use_locking": .bool(true)],
                outputTypes: [variable.dtype], outputShapes: [variable.shape])
        }
        // tf.group(assigns).
        restoreOperation = graph.addOwnedOperation(
            NoOp.self, name: scope + "restore_all", inputs: [], controlInputs: assigns, attributes: [:], outputTypes: [],
            outputShapes: [])
        self.filename = filename
    }

    /// The SaverDef naming these ops, as TensorFlow's Saver writes it into a meta graph.
    func saverDef(maxToKeep: Int) -> Tensorflow_SaverDef {
        var saver = Tensorflow_SaverDef()
        saver.filenameTensorName = filename.name
        saver.saveTensorName = saveTensor.name
        saver.restoreOpName = restoreOperation.name
        saver.maxToKeep = Int32(clamping: maxToKeep)
        // TensorFlow's default: keep one checkpoint per 10000 hours beyond max_to_keep, i.e.
        // none in practice, which is what our Saver does.
        saver.keepCheckpointEveryNHours = 10000
        saver.version = .v2
        return saver
    }
}

extension Graph {
    /// `input`, unless a value is fed for this output (`tf.compat.v1.placeholder_with_default`).
    /// `input` must belong to this graph.
    func placeholderWithDefault(_ input: Output, name: String = "PlaceholderWithDefault") -> Output {
        addOwnedOperation(
            PlaceholderWithDefaultOp.self, name: name, inputs: [input], controlInputs: [],
            attributes: ["dtype": .type(input.dtype), "shape": .shape(input.shape)],
            outputTypes: [input.dtype], outputShapes: [input.shape]
        ).firstOutput
    }
}

extension Graph {
    /// The graph as a TensorFlow `MetaGraphDef` with `saver`'s `save/` ops as its SaverDef
    /// (see `metaGraphDef(saverDef:device:)`): what `Saver.save` writes to `model.ckpt-N.meta`.
    /// - Throws: as `metaGraphDef(saverDef:device:)`.
    public func metaGraphDef(saver: Saver?, device: String = Graph.defaultDevice) throws -> Tensorflow_MetaGraphDef {
        try metaGraphDef(saverDef: saver?.saverDef, device: device)
    }
}
