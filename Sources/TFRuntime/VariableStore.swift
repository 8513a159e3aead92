import TFGraph
/// A session's variables: one buffer per `VariableV2` op, created on first use and kept
/// across runs.
final class VariableStore {
    private var buffers: [ObjectIdentifier: TensorBuffer] = [:]

    /// The storage of the variable `op`, created (zeroed, uninitialized) on first use.
    /// - Throws: `SessionError.shapeMismatch` when the variable's shape is not fully known.
    func buffer(for op: GraphOperation) throws -> TensorBuffer {
        if let buffer = buffers[ObjectIdentifier(op)] { return buffer }
        guard let shape = op.outputShapes[0].knownDimensions else {
            throw SessionError.shapeMismatch(op: op.name, reason: "a variable needs a fully known shape")
        }
        let buffer = TensorBuffer(dtype: op.outputTypes[0], shape: shape)
        buffers[ObjectIdentifier(op)] = buffer
        return buffer
    }
}
