/// A dataflow graph in the TensorFlow 1 style: build it with ops, then run it in a
/// `Session`.
///
///     let graph = Graph()
///     let x = graph.placeholder(.float32, shape: [nil, 784], name: "images")
///     let logits = try graph.withNameScope("hidden1") { ... }
///
/// Names follow TensorFlow: an op's name is its scope plus its base name, made unique by
/// appending `_1`, `_2`, ... (compared case-insensitively, as TensorFlow does).
///
/// A graph is built, and run by its sessions, from one thread at a time: it is not
/// `Sendable`, and neither are its ops and tensors.
public final class Graph {
    public private(set) var operations: [GraphOperation] = []
    /// This graph's identity, which its operations hold (they do not keep the graph alive).
    package let identity = GraphIdentity()
    /// The graph-level random seed; with an op seed it makes random ops reproducible.
    public var randomSeed: Int?

    private var scope = ""
    private var usedNames: [String: Int] = [:]
    /// The open `withControlDependencies` blocks: their operations, and the id of the first
    /// op created inside each.
    private var controlDependencies: [(operations: [GraphOperation], firstID: Int)] = []
    private var collections: [GraphCollection: [Output]] = [:]
    private var operationCollections: [GraphCollection: [GraphOperation]] = [:]

    /// Every variable, in creation order.
    public private(set) var globalVariables: [Variable] = []
    /// The variables optimizers update by default.
    public private(set) var trainableVariables: [Variable] = []

    func registerVariable(_ variable: Variable, trainable: Bool) {
        globalVariables.append(variable)
        if trainable { trainableVariables.append(variable) }
    }

    public init(randomSeed: Int? = nil) {
        self.randomSeed = randomSeed
        identity.graph = self
    }

    /// Whether `operation` belongs to this graph. Never touches another graph, so it is safe
    /// for an operation whose graph is gone.
    package func owns(_ operation: GraphOperation) -> Bool {
        operation.graphIdentity === identity
    }

    /// Throws unless `tensor` belongs to this graph.
    /// - Throws: `GraphError.foreignInput` naming `op`, the op `tensor` was given to.
    package func checkOwnership(of tensor: Output, for op: String) throws(GraphError) {
        guard owns(tensor.operation) else { throw .foreignInput(op: op, input: tensor.name) }
    }

    /// Runs `body` with `name` pushed on the name scope (`hidden1/...`). The scope is
    /// restored afterwards, even when `body` throws. A name ending in `/` is used as is.
    /// - Throws: `GraphError.invalidName` for names TensorFlow rejects, or what `body` throws.
    public func withNameScope<T>(_ name: String, _ body: () throws -> T) throws -> T {
        let saved = scope
        defer { scope = saved }
        if name.isEmpty {
            scope = ""
        } else if name.hasSuffix("/") {
            scope = name
        } else {
            try Self.validate(name)
            scope = uniqueName(name) + "/"
        }
        return try body()
    }

    /// The current name scope, e.g. `"hidden1/"` (empty at the top).
    public var currentScope: String { scope }

    /// Runs `body` so that every op it creates runs after `operations`. As in TensorFlow, an
    /// op whose data input was itself created inside the block gets no control inputs of
    /// its own: it already runs after them through that input.
    /// - Throws: `GraphError.foreignInput` when one of `operations` belongs to another graph
    ///   (before `body` runs), or what `body` throws.
    public func withControlDependencies<T>(_ operations: [GraphOperation], _ body: () throws -> T) throws -> T {
        if let foreign = operations.first(where: { !owns($0) }) {
            throw GraphError.foreignInput(op: "withControlDependencies", input: foreign.name)
        }
        controlDependencies.append((operations, self.operations.count))
        defer { controlDependencies.removeLast() }
        return try body()
    }

    /// A unique name for `base` in the current scope (`base`, `base_1`, `base_2`, ...).
    public func uniqueName(_ base: String) -> String {
        let full = scope + base
        let key = full.lowercased()
        if let count = usedNames[key] {
            var next = count
            var candidate: String
            repeat {
                next += 1
                candidate = "\(full)_\(next)"
            } while usedNames[candidate.lowercased()] != nil
            usedNames[key] = next
            usedNames[candidate.lowercased()] = 0
            return candidate
        }
        usedNames[key] = 0
        return full
    }

    /// Adds an operation; the building block of every op function.
    /// - Throws: `GraphError.foreignInput` when an input or control input belongs to another
    ///   graph (nothing is added then).
    @discardableResult
    package func addOperation(
        _ definition: any OpDefinition.Type, name: String? = nil, inputs: [Output] = [],
        controlInputs: [GraphOperation] = [], attributes: [String: AttrValue] = [:],
        outputTypes: [DType], outputShapes: [TensorShape]
    ) throws(GraphError) -> GraphOperation {
        let op = scope + (name ?? definition.type)
        if let foreign = inputs.first(where: { !owns($0.operation) }) {
            throw .foreignInput(op: op, input: foreign.name)
        }
        if let foreign = controlInputs.first(where: { !owns($0) }) {
            throw .foreignInput(op: op, input: foreign.name)
        }
        return addOwnedOperation(
            definition, name: name, inputs: inputs, controlInputs: controlInputs, attributes: attributes,
            outputTypes: outputTypes, outputShapes: outputShapes)
    }

    /// Adds an operation without inputs (a constant, a placeholder, a variable's node, a
    /// no-op), which cannot fail.
    @discardableResult
    package func addSourceOperation(
        _ definition: any OpDefinition.Type, name: String? = nil, attributes: [String: AttrValue] = [:],
        outputTypes: [DType], outputShapes: [TensorShape]
    ) -> GraphOperation {
        addOwnedOperation(
            definition, name: name, inputs: [], controlInputs: [], attributes: attributes, outputTypes: outputTypes,
            outputShapes: outputShapes)
    }

    /// Adds an operation whose inputs and control inputs the caller knows belong to this
    /// graph: nothing is checked (the open control dependencies were checked when their
    /// block opened). `addOperation` checks.
    package func addOwnedOperation(
        _ definition: any OpDefinition.Type, name: String?, inputs: [Output], controlInputs: [GraphOperation],
        attributes: [String: AttrValue], outputTypes: [DType], outputShapes: [TensorShape]
    ) -> GraphOperation {
        var controls = controlInputs
        for group in controlDependencies where !inputs.contains(where: { $0.operation.id >= group.firstID }) {
            for operation in group.operations where !controls.contains(operation) && !inputs.contains(where: { $0.operation === operation }) {
                controls.append(operation)
            }
        }
        let base = name ?? definition.type
        // A name ending in "/" is a scope's own name, used verbatim (TensorFlow's rule).
        let unique = base.hasSuffix("/") ? String(base.dropLast()) : uniqueName(base)
        let operation = GraphOperation(
            graph: self, id: operations.count, name: unique, definition: definition,
            inputs: inputs, controlInputs: controls, attributes: attributes,
            outputTypes: outputTypes, outputShapes: outputShapes)
        operations.append(operation)
        return operation
    }

    /// The operation called `name`, if any.
    public func operation(named name: String) -> GraphOperation? {
        operations.first { $0.name == name }
    }

    /// Adds `output` to a collection (TensorFlow's `tf.add_to_collection`).
    public func addToCollection(_ collection: GraphCollection, _ output: Output) {
        collections[collection, default: []].append(output)
    }

    /// The members of a collection, in the order they were added.
    public func collection(_ collection: GraphCollection) -> [Output] {
        collections[collection] ?? []
    }

    /// Adds `operation` to a collection of operations (TensorFlow's `train_op` holds each
    /// `minimize`'s train op this way).
    public func addToCollection(_ collection: GraphCollection, _ operation: GraphOperation) {
        operationCollections[collection, default: []].append(operation)
    }

    /// The operations in a collection, in the order they were added.
    public func operations(in collection: GraphCollection) -> [GraphOperation] {
        operationCollections[collection] ?? []
    }

    /// Every non-empty collection's name, tensors first, then operations (for the meta graph).
    var collectionNames: [GraphCollection] {
        Array(collections.keys) + operationCollections.keys.filter { collections[$0] == nil }
    }

    static func validate(_ name: String) throws {
        let allowedFirst = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._")
        let allowed = allowedFirst.union("-/")
        guard let first = name.first, allowedFirst.contains(first), name.allSatisfy(allowed.contains) else {
            throw GraphError.invalidName(name)
        }
    }
}

/// Named collections of a graph (the variables are `globalVariables` and
/// `trainableVariables`, not collections).
public enum GraphCollection: Hashable, Sendable {
    /// The summary ops, which `mergeAllSummaries` merges (TensorFlow's `summaries`).
    case summaries
    /// The train ops `minimize` returned (TensorFlow's `train_op`).
    case trainOps
    /// A collection of the user's, under its name in the meta graph.
    case custom(String)
}

/// Errors raised while building a graph.
public enum GraphError: Error, CustomStringConvertible, Equatable {
    /// TensorFlow only accepts names of letters, digits, `.`, `_`, `-` and `/`.
    case invalidName(String)
    /// Inputs do not fit the op; the message says how.
    case invalidArgument(String)
    /// A tensor or operation of another graph was given to `op` (a graph's ops only take
    /// tensors of the same graph).
    case foreignInput(op: String, input: String)
    /// `tensor` belongs to a graph that no longer exists: tensors and operations do not keep
    /// their graph alive.
    case deallocatedGraph(tensor: String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            return "'\(name)' is not a valid scope name: use letters, digits, '.', '_', '-' and '/', "
                + "starting with a letter, digit, '.' or '_'"
        case .invalidArgument(let message):
            return message
        case .foreignInput(let op, let input):
            return "\(op): \(input) belongs to another graph: build each op from tensors and operations of the "
                + "graph it is added to"
        case .deallocatedGraph(let tensor):
            return "\(tensor) belongs to a graph that no longer exists: keep the Graph alive (a variable or property "
                + "holding it) as long as its tensors are used"
        }
    }
}
