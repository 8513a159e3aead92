/// What an op type is in the graph layer: its TensorFlow name, whether it has effects, how
/// its output shapes follow from its inputs, and its gradient rule. Each op type is one enum
/// conforming to this protocol, in a file with the graph function that builds it. The graph
/// layer never sees a kernel: the runtime (TFRuntime's `KernelTable`) finds the computation
/// by `type`.
package protocol OpDefinition {
    /// TensorFlow's op type name (`MatMul`, `Relu`, ...), used in the GraphDef and as the
    /// runtime's key for the kernel.
    static var type: String { get }

    /// Ops with side effects or randomness are never folded or pruned as constants.
    static var isStateful: Bool { get }

    /// Whether the op writes the variable given as its first input (TensorFlow's ref input:
    /// `Assign`, `ApplyGradientDescent`, ...); its output is then that variable.
    static var updatesVariable: Bool { get }

    /// Concrete output shapes for concrete input shapes. `constants` holds the values of
    /// inputs known when a plan is compiled (constants and shapes), nil for the others.
    /// - Throws: `ShapeError` saying why the shapes do not fit.
    static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]]

    /// Gradients with respect to each input, given the gradients of the outputs (nil where
    /// an output does not reach the loss). Returns nil when the op has no gradient rule.
    static func gradients(_ op: GraphOperation, _ outputGradients: [Output?]) throws -> [Output?]?
}

extension OpDefinition {
    package static var isStateful: Bool { false }

    package static var updatesVariable: Bool { false }

    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError)
        -> [[Int]]
    {
        [inputShapes[0]]
    }

    package static func gradients(_ op: GraphOperation, _ outputGradients: [Output?]) throws -> [Output?]? { nil }
}

/// Shapes that do not fit an op, found when concrete shapes are known (a plan is compiled).
/// The runtime reports it as `SessionError.shapeMismatch` naming the op.
package struct ShapeError: Error, Equatable {
    package let message: String

    package init(_ message: String) {
        self.message = message
    }
}
