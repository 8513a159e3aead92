/// The op types of a TensorFlow 1 `Saver`'s `save/` scope (`SaverGraph` builds them). They
/// exist so that TensorFlow, after `import_meta_graph`, saves and restores our graph's
/// variables by itself. Our `Saver` reads and writes checkpoints directly; the runtime has
/// kernels for neither, so a `Session` asked to run them throws `SessionError.unsupported`.

/// `PlaceholderWithDefault(input)`: its input unless a value is fed for it.
package enum PlaceholderWithDefaultOp: OpDefinition {
    package static let type = "PlaceholderWithDefault"
}

/// `SaveV2(prefix, tensor_names, shape_and_slices, tensors...)`: writes a V2 checkpoint.
package enum SaveV2Op: OpDefinition {
    package static let type = "SaveV2"
    package static var isStateful: Bool { true }
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] { [] }
}

/// `RestoreV2(prefix, tensor_names, shape_and_slices)`: reads tensors from a V2 checkpoint.
package enum RestoreV2Op: OpDefinition {
    package static let type = "RestoreV2"
    package static var isStateful: Bool { true }
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        op.outputShapes.map { $0.knownDimensions ?? [] }
    }
}
