/// A symbolic tensor: output `index` of an operation, with its dtype and static shape.
public struct Output: Hashable, CustomStringConvertible {
    public let operation: GraphOperation
    public let index: Int

    public init(_ operation: GraphOperation, _ index: Int = 0) {
        self.operation = operation
        self.index = index
    }

    public var dtype: DType { operation.outputTypes[index] }
    public var shape: TensorShape { operation.outputShapes[index] }
    public var graph: Graph { operation.graph }

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
