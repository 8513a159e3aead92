extension Graph {
    /// Symbolic gradients of the scalar `y` with respect to each of `xs`, added to the graph
    /// under a `gradients/` scope the way `tf.gradients` does (`gradients/hidden1/MatMul_grad/...`).
    ///
    /// Only ops on a path from an x to y are differentiated; an x that does not reach y gets
    /// nil; gradients of a tensor used several times are summed (`AddN`).
    /// - Throws: `GraphError.invalidArgument` when an op on the path has no gradient rule;
    ///   `.foreignInput` when `y` or an x belongs to another graph.
    public func gradients(of y: Output, withRespectTo xs: [Output]) throws -> [Output?] {
        try checkOwnership(of: y, for: "gradients")
        for x in xs { try checkOwnership(of: x, for: "gradients") }
        guard y.dtype == .float32 else {
            throw GraphError.invalidArgument("gradients: \(y.name) must be float32, it is \(y.dtype)")
        }
        // Ops that y depends on, and ops that depend on an x: differentiate their intersection.
        var reachesY = Set<ObjectIdentifier>()
        var stack = [y.operation]
        while let op = stack.popLast() {
            guard reachesY.insert(ObjectIdentifier(op)).inserted else { continue }
            stack += op.inputs.map(\.operation)
        }
        var fromX = Set(xs.map { ObjectIdentifier($0.operation) })
        for op in operations where op.inputs.contains(where: { fromX.contains(ObjectIdentifier($0.operation)) }) {
            fromX.insert(ObjectIdentifier(op))
        }
        let between = operations.filter {
            reachesY.contains(ObjectIdentifier($0)) && fromX.contains(ObjectIdentifier($0))
        }

        let outer = uniqueName("gradients") + "/"
        var pending: [Output: [Output]] = [:]
        try withNameScope(outer) {
            let ones = try fill(
                dimensions: shape(of: y), value: constant(1, name: "grad_ys_0"), staticShape: y.shape)
            pending[y] = [ones]
        }

        for op in between.reversed() {
            let outputGradients = try (0..<op.outputTypes.count).map { index -> Output? in
                let output = Output(op, unchecked: index)
                guard let parts = pending[output], !parts.isEmpty else { return nil }
                if parts.count == 1 { return parts[0] }
                return try withNameScope(outer) { try addN(parts) }
            }
            if outputGradients.allSatisfy({ $0 == nil }) { continue }
            if xs.contains(where: { $0.operation === op }) && op.inputs.isEmpty { continue }
            let inputGradients = try withNameScope(outer + op.name + "_grad/") {
                try op.definition.gradients(op, outputGradients)
            }
            guard let inputGradients else {
                let needsGradient = op.inputs.contains {
                    $0.dtype == .float32 && fromX.contains(ObjectIdentifier($0.operation))
                }
                if needsGradient {
                    throw GraphError.invalidArgument("No gradient defined for operation '\(op.name)' (op type: \(op.type))")
                }
                continue
            }
            for (input, gradient) in zip(op.inputs, inputGradients) {
                guard let gradient, input.dtype == .float32, fromX.contains(ObjectIdentifier(input.operation)) else { continue }
                pending[input, default: []].append(gradient)
            }
        }

        return try xs.map { x in
            guard let parts = pending[x], !parts.isEmpty else { return nil }
            if parts.count == 1 { return parts[0] }
            return try withNameScope(outer) { try addN(parts) }
        }
    }
}
