/// A symbolic tensor: output `index` of an operation, with its dtype and static shape.
public struct Output: Hashable, CustomStringConvertible {
    public let operation: GraphOperation
    public let index: Int

    /// Output `index` of `operation`.
    /// - Throws: `GraphError.invalidArgument` when `operation` has no output `index`.
    public init(_ operation: GraphOperation, _ index: Int = 0) throws(GraphError) {
        guard operation.outputTypes.indices.contains(index) else {
            throw .invalidArgument(
                "\(operation.name) (\(operation.type)) has \(operation.outputTypes.count) outputs: there is no output \(index)")
        }
        self.init(operation, unchecked: index)
    }

    /// Output `index` of `operation`, which the caller knows exists.
    package init(_ operation: GraphOperation, unchecked index: Int) {
        self.operation = operation
        self.index = index
    }

    public var dtype: DType { operation.outputTypes[index] }
    public var shape: TensorShape { operation.outputShapes[index] }
    /// The graph this tensor belongs to; nil once that graph is gone (tensors do not keep
    /// their graph alive).
    public var graph: Graph? { operation.graphIdentity.graph }

    /// TensorFlow's name for this tensor: `op:index`.
    public var name: String { "\(operation.name):\(index)" }

    /// The input string that names this tensor in a NodeDef (`op` or `op:index`).
    var inputName: String { index == 0 ? operation.name : name }

    public var description: String { "\(name) \(dtype) \(shape)" }

    public static func == (a: Output, b: Output) -> Bool {
        a.operation === b.operation && a.index == b.index
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(operation))
        hasher.combine(index)
    }
}
