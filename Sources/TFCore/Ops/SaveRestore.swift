/// The op types of a TensorFlow 1 `Saver`'s `save/` scope (`SaverGraph` builds them). They
/// exist so that TensorFlow, after `import_meta_graph`, saves and restores our graph's
/// variables by itself. Our `Saver` reads and writes checkpoints directly, so a `Session`
/// asked to run `SaveV2` or `RestoreV2` throws `SessionError.unsupported` naming `Saver`.

/// `PlaceholderWithDefault(input)`: its input unless a value is fed for it.
enum PlaceholderWithDefaultOp: OpDefinition {
    static let type = "PlaceholderWithDefault"
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        try IdentityOp.makeKernel(op, inputs, outputs, context)
    }
}

/// `SaveV2(prefix, tensor_names, shape_and_slices, tensors...)`: writes a V2 checkpoint.
enum SaveV2Op: OpDefinition {
    static let type = "SaveV2"
    static var isStateful: Bool { true }
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] { [] }
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        throw SessionError.unsupported(op.name, "running SaveV2 in a Session (save with Saver.save, which writes the same checkpoint)")
    }
}

/// `RestoreV2(prefix, tensor_names, shape_and_slices)`: reads tensors from a V2 checkpoint.
enum RestoreV2Op: OpDefinition {
    static let type = "RestoreV2"
    static var isStateful: Bool { true }
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] {
        op.outputShapes.map { $0.knownDimensions ?? [] }
    }
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        throw SessionError.unsupported(op.name, "running RestoreV2 in a Session (restore with Saver.restore, which reads the same checkpoint)")
    }
}
