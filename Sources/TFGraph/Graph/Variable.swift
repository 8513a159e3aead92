/// A variable (TensorFlow's `tf.Variable`): a `VariableV2` node holding state across runs,
/// its initializer (`name/Assign`) and its value (`name/read`), which ops consume.
public struct Variable: OutputConvertible, Hashable {
    /// The `VariableV2` node.
    public let handle: Output
    /// The op that assigns the initial value.
    public let initializer: GraphOperation
    /// The value, as ops read it.
    public let value: Output

    /// The variable's name, e.g. `hidden1/weights` (its name in checkpoints).
    public var name: String { handle.operation.name }
    public var dtype: DType { handle.dtype }
    public var shape: TensorShape { handle.shape }
    public var output: Output { value }
}

extension Graph {
    /// A variable initialized to `initialValue`, whose static shape must be fully known.
    /// Trainable variables are what optimizers update by default.
    /// - Throws: `GraphError.invalidArgument` for a partly unknown shape or one no tensor has,
    ///   or a bad name; `.foreignInput` when `initialValue` belongs to another graph.
    public func variable(
        _ initialValue: some OutputConvertible, name: String = "Variable", trainable: Bool = true
    ) throws -> Variable {
        let initial = initialValue.output
        try checkOwnership(of: initial, for: "variable \(name)")
        guard let dimensions = initial.shape.knownDimensions else {
            throw GraphError.invalidArgument("variable \(name): the initial value's shape \(initial.shape) must be fully known")
        }
        if case .failure(let error) = dimensions.checkedElementCount {
            throw GraphError.invalidArgument("variable \(name): the initial value's shape: \(error)")
        }
        try Graph.validate(name)
        let handle = addSourceOperation(
            VariableV2Op.self, name: name,
            attributes: ["dtype": .type(initial.dtype), "shape": .shape(initial.shape), "container": .string(""), "shared_name": .string("")],
            outputTypes: [initial.dtype], outputShapes: [initial.shape]
        ).firstOutput
        let scope = handle.operation.name + "/"
        let assign = try addOperation(
            AssignOp.self, name: scope + "Assign/", inputs: [handle, initial],
            attributes: ["T": .type(initial.dtype), "validate_shape": .bool(true), "use_locking": .bool(true)],
            outputTypes: [initial.dtype], outputShapes: [initial.shape])
        let read = try addOperation(
            IdentityOp.self, name: scope + "read/", inputs: [handle], attributes: ["T": .type(initial.dtype)],
            outputTypes: [initial.dtype], outputShapes: [initial.shape]
        ).firstOutput
        let variable = Variable(handle: handle, initializer: assign, value: read)
        registerVariable(variable, trainable: trainable)
        return variable
    }

    /// An op that runs every variable's initializer (`tf.global_variables_initializer`).
    public func globalVariablesInitializer(name: String = "init") -> GraphOperation {
        // This graph's own initializers: nothing to check.
        addOwnedOperation(
            NoOp.self, name: name, inputs: [], controlInputs: globalVariables.map(\.initializer), attributes: [:],
            outputTypes: [], outputShapes: [])
    }

    /// `ref += value`; returns the new value.
    public func assignAdd(_ variable: Variable, _ value: some OutputConvertible, name: String = "AssignAdd") throws -> Output {
        try update(AssignAddOp.self, variable, value.output, name: name, attributes: ["use_locking": .bool(false)])
    }

    /// `ref = value`; returns the new value.
    public func assign(_ variable: Variable, _ value: some OutputConvertible, name: String = "Assign") throws -> Output {
        try update(AssignOp.self, variable, value.output, name: name,
                   attributes: ["validate_shape": .bool(true), "use_locking": .bool(true)])
    }

    private func update(
        _ definition: any VariableUpdateOp.Type, _ variable: Variable, _ value: Output, name: String,
        attributes: [String: AttrValue]
    ) throws -> Output {
        guard value.dtype == variable.dtype else {
            throw GraphError.invalidArgument("\(definition.type): \(variable.name) is \(variable.dtype), the value is \(value.dtype)")
        }
        return try addOperation(
            definition, name: name, inputs: [variable.handle, value],
            attributes: attributes.merging(["T": .type(variable.dtype)]) { a, _ in a },
            outputTypes: [variable.dtype], outputShapes: [variable.shape]
        ).firstOutput
    }
}

package enum VariableV2Op: OpDefinition {
    package static let type = "VariableV2"
    package static var isStateful: Bool { true }
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        [op.outputShapes[0].knownDimensions ?? []]
    }
}

/// Ops that write the variable given as input 0; their output is that variable.
package protocol VariableUpdateOp: OpDefinition {}

extension VariableUpdateOp {
    package static var isStateful: Bool { true }
    package static var updatesVariable: Bool { true }
}

package enum AssignOp: VariableUpdateOp {
    package static let type = "Assign"
}

package enum AssignAddOp: VariableUpdateOp {
    package static let type = "AssignAdd"
}
