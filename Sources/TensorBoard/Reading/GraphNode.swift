/// A node of a `GraphDef`, with the fields that identify it.
public struct GraphNode: Sendable, Equatable {
    /// Its name, e.g. `hidden1/weights` (`/` separates name scopes).
    public var name: String
    /// Its op, e.g. `MatMul`.
    public var op: String
    /// Its inputs: `node`, `node:1` (output 1), `^node` (a control input).
    public var inputs: [String]
    /// The device it was placed on, or `""`.
    public var device: String

    /// Creates a node from its parts (tests compare the nodes read with these).
    public init(name: String, op: String, inputs: [String] = [], device: String = "") {
        self.name = name
        self.op = op
        self.inputs = inputs
        self.device = device
    }

    /// `GraphDef`: 1 repeated NodeDef node. `NodeDef`: 1 name, 2 op, 3 input, 4 device.
    static func nodes(ofGraph bytes: UnsafeRawBufferPointer) throws(ProtoFields.Malformed) -> [GraphNode] {
        var nodes: [GraphNode] = []
        var graph = ProtoFields(bytes)
        while let field = try graph.next() {
            guard field.number == 1, let range = field.value.range else { continue }
            var node = GraphNode(name: "", op: "")
            var fields = ProtoFields(graph.slice(range))
            while let inner = try fields.next() {
                guard let range = inner.value.range else { continue }
                let text = String(decoding: fields.slice(range), as: UTF8.self)
                switch inner.number {
                case 1: node.name = text
                case 2: node.op = text
                case 3: node.inputs.append(text)
                case 4: node.device = text
                default: break
                }
            }
            nodes.append(node)
        }
        return nodes
    }
}
