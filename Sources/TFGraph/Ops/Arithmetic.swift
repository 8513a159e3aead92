/// Binary elementwise float32 arithmetic with broadcasting: `Add`, `Sub`, `Mul`, `RealDiv`,
/// and `AddN` (the sum of many equally shaped tensors).

/// A binary elementwise float32 op with NumPy broadcasting.
package protocol BinaryFloatOp: OpDefinition {}

extension BinaryFloatOp {
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError)
        -> [[Int]]
    {
        guard let shape = Broadcasting.shape(inputShapes[0], inputShapes[1]) else {
            throw ShapeError("shapes \(inputShapes[0]) and \(inputShapes[1]) cannot be broadcast")
        }
        return [shape]
    }
}

package enum AddOp: BinaryFloatOp {
    package static let type = "Add"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil, nil] }
        return [
            try op.graph.reduceGradient(grad, toShapeOf: op.inputs[0]),
            try op.graph.reduceGradient(grad, toShapeOf: op.inputs[1]),
        ]
    }
}

package enum SubOp: BinaryFloatOp {
    package static let type = "Sub"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil, nil] }
        let graph = op.graph
        return [
            try graph.reduceGradient(grad, toShapeOf: op.inputs[0]),
            try graph.reduceGradient(try graph.negate(grad), toShapeOf: op.inputs[1]),
        ]
    }
}

package enum MulOp: BinaryFloatOp {
    package static let type = "Mul"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil, nil] }
        let graph = op.graph
        let (x, y) = (op.inputs[0], op.inputs[1])
        return [
            try graph.reduceGradient(try graph.mul(grad, y), toShapeOf: x),
            try graph.reduceGradient(try graph.mul(x, grad), toShapeOf: y),
        ]
    }
}

package enum RealDivOp: BinaryFloatOp {
    package static let type = "RealDiv"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        guard let grad = g[0] else { return [nil, nil] }
        let graph = op.graph
        let (x, y) = (op.inputs[0], op.inputs[1])
        // d(x/y)/dx = 1/y; d(x/y)/dy = -x/y^2
        let gradY = try graph.negate(try graph.mul(grad, try graph.div(try graph.div(x, y), y)))
        return [
            try graph.reduceGradient(try graph.div(grad, y), toShapeOf: x),
            try graph.reduceGradient(gradY, toShapeOf: y),
        ]
    }
}

package enum AddNOp: OpDefinition {
    package static let type = "AddN"
    package static func gradients(_ op: GraphOperation, _ g: [Output?]) throws -> [Output?]? {
        Array(repeating: g[0], count: op.inputs.count)
    }
}

extension Graph {
    private func binary(_ definition: any BinaryFloatOp.Type, _ a: Output, _ b: Output, name: String) throws -> Output {
        guard a.dtype == .float32, b.dtype == .float32 else {
            throw GraphError.invalidArgument("\(definition.type) needs float32 inputs, got \(a.dtype) and \(b.dtype)")
        }
        let shape = try Broadcasting.staticShape(a.shape, b.shape)
        return try addOperation(
            definition, name: name, inputs: [a, b], attributes: ["T": .type(.float32)],
            outputTypes: [.float32], outputShapes: [shape]
        ).firstOutput
    }

    /// `a + b`, broadcasting (e.g. a bias vector over a batch).
    public func add(_ a: some OutputConvertible, _ b: some OutputConvertible, name: String = "add") throws -> Output {
        try binary(AddOp.self, a.output, b.output, name: name)
    }

    /// `a - b`, broadcasting.
    public func sub(_ a: some OutputConvertible, _ b: some OutputConvertible, name: String = "sub") throws -> Output {
        try binary(SubOp.self, a.output, b.output, name: name)
    }

    /// `a * b` elementwise, broadcasting.
    public func mul(_ a: some OutputConvertible, _ b: some OutputConvertible, name: String = "mul") throws -> Output {
        try binary(MulOp.self, a.output, b.output, name: name)
    }

    /// `a / b` elementwise, broadcasting.
    public func div(_ a: some OutputConvertible, _ b: some OutputConvertible, name: String = "truediv") throws -> Output {
        try binary(RealDivOp.self, a.output, b.output, name: name)
    }

    /// The sum of equally shaped float32 tensors.
    public func addN(_ inputs: [Output], name: String = "AddN") throws -> Output {
        guard let first = inputs.first, inputs.allSatisfy({ $0.dtype == .float32 }) else {
            throw GraphError.invalidArgument("addN needs at least one float32 tensor")
        }
        if inputs.count == 1 { return first }
        return try addOperation(
            AddNOp.self, name: name, inputs: inputs, attributes: ["T": .type(.float32), "N": .int(inputs.count)],
            outputTypes: [.float32], outputShapes: [first.shape]
        ).firstOutput
    }
}
