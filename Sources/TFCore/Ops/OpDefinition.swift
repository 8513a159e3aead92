/// What an op type is: its TensorFlow name, how its output shapes follow from its inputs,
/// its kernel, and its gradient rule. Each op type is one enum conforming to this protocol,
/// in a file next to the graph function that builds it.
protocol OpDefinition {
    /// TensorFlow's op type name (`MatMul`, `Relu`, ...), used in the GraphDef.
    static var type: String { get }

    /// Ops with side effects or randomness are never folded or pruned as constants.
    static var isStateful: Bool { get }

    /// Concrete output shapes for concrete input shapes. `constants` holds the values of
    /// inputs known when the plan is compiled (constants and shapes), nil for the others.
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]]

    /// The computation; nil when there is nothing to do at run time.
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?

    /// Gradients with respect to each input, given the gradients of the outputs (nil where
    /// an output does not reach the loss). Returns nil when the op has no gradient rule.
    static func gradients(_ op: Operation, _ outputGradients: [Output?]) throws -> [Output?]?
}

extension OpDefinition {
    static var isStateful: Bool { false }

    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] {
        [inputShapes[0]]
    }

    static func gradients(_ op: Operation, _ outputGradients: [Output?]) throws -> [Output?]? { nil }
}

/// A compiled computation step: reads its input buffers, writes its output buffers.
typealias Kernel = () throws -> Void

/// What kernels may need beyond their buffers.
struct KernelContext {
    unowned let session: Session
}
