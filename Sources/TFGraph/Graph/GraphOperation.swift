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
    package unowned let graph: Graph
    package let definition: any OpDefinition.Type

    init(
        graph: Graph, id: Int, name: String, definition: any OpDefinition.Type, inputs: [Output],
        controlInputs: [GraphOperation], attributes: [String: AttrValue], outputTypes: [DType], outputShapes: [TensorShape]
    ) {
        self.graph = graph
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

    /// Output `index` of this operation.
    public func output(_ index: Int = 0) -> Output { Output(self, index) }

    /// The first output.
    public var output: Output { Output(self, 0) }

    public var description: String { "\(name) (\(type))" }

    public static func == (a: GraphOperation, b: GraphOperation) -> Bool { a === b }

    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
