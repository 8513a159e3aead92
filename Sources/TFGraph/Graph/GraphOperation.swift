/// A node of a graph: a TensorFlow op type, inputs, attributes and typed outputs.
public final class GraphOperation: Hashable, CustomStringConvertible {
    /// The unique, scoped name, e.g. `hidden1/MatMul`.
    public let name: String
    /// TensorFlow's op type, e.g. `MatMul`.
    public let type: String
    /// Data inputs, in order.
    public let inputs: [Output]
    /// Operations that must run before this one.
    public let controlInputs: [GraphOperation]
    /// Attributes (exported to the GraphDef).
    public let attributes: [String: AttrValue]
    public let outputTypes: [DType]
    public let outputShapes: [TensorShape]
    /// Position in the graph, in creation order (inputs always come earlier).
    public let id: Int
    /// The graph, for code that runs while it exists (building on it, running it); code
    /// given an operation from outside asks `graphIdentity` first.
    package unowned let graph: Graph
    /// The graph's identity, which outlives the graph (see `GraphIdentity`).
    package let graphIdentity: GraphIdentity
    package let definition: any OpDefinition.Type

    init(
        graph: Graph, id: Int, name: String, definition: any OpDefinition.Type, inputs: [Output],
        controlInputs: [GraphOperation], attributes: [String: AttrValue], outputTypes: [DType], outputShapes: [TensorShape]
    ) {
        self.graph = graph
        graphIdentity = graph.identity
        self.id = id
        self.name = name
        self.type = definition.type
        self.definition = definition
        self.inputs = inputs
        self.controlInputs = controlInputs
        self.attributes = attributes
        self.outputTypes = outputTypes
        self.outputShapes = outputShapes
    }

    /// Every output, in order (none for an operation such as a `NoOp`).
    public var outputs: [Output] { outputTypes.indices.map { Output(self, unchecked: $0) } }

    /// Output `index` of this operation.
    /// - Throws: `GraphError.invalidArgument` when the operation has no output `index`.
    public func output(_ index: Int = 0) throws(GraphError) -> Output { try Output(self, index) }

    /// The first output.
    /// - Throws: `GraphError.invalidArgument` for an operation without outputs (a `NoOp`,
    ///   a group, a train op).
    public var output: Output {
        get throws(GraphError) { try Output(self, 0) }
    }

    /// Output `index`, which the caller knows exists (the op function that built this
    /// operation gave it that many outputs).
    package func output(unchecked index: Int) -> Output { Output(self, unchecked: index) }

    /// The first output of an operation the caller knows has one.
    package var firstOutput: Output { Output(self, unchecked: 0) }

    public var description: String { "\(name) (\(type))" }

    public static func == (a: GraphOperation, b: GraphOperation) -> Bool { a === b }

    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
