/// A compiled `Session.run`: the ops the fetches need, in order, each a kernel bound to
/// preallocated buffers. Compiling propagates concrete shapes from the feeds, folds ops
/// that depend only on constants and shapes, fuses weight gradients into their updates
/// (`GradientFusion`) and bias adds into their products (`BiasFusion`), and checks every
/// shape once; running is then a loop over kernels.
final class ExecutionPlan {
    struct Feed {
        let output: Output
        let buffer: TensorBuffer
        /// Placeholders read the caller's tensor in place; anything else fed gets a copy.
        let borrows: Bool
    }

    private(set) var kernels: [Kernel] = []
    private(set) var feeds: [Feed] = []
    private(set) var fetchBuffers: [TensorBuffer] = []
    /// The tensors returned by the previous run, whose storage the next run reuses when the
    /// caller has let go of them.
    private var previousResults: [Tensor?] = []
    /// Variables read by this plan, which must be initialized before it runs.
    private(set) var readVariables: [(name: String, buffer: TensorBuffer)] = []

    init(session: Session, fetches: [Output], targets: [Operation], feeds fedValues: [Output: [Int]]) throws {
        let graph = session.graph
        for output in fetches where output.graph !== graph { throw SessionError.foreignGraph(output.name) }
        for target in targets where target.graph !== graph { throw SessionError.foreignGraph(target.name) }

        // The ops needed: everything the fetches and targets depend on, stopping at feeds.
        let fed = Set(fedValues.keys)
        var needed = Set<ObjectIdentifier>()
        var stack = fetches.map(\.operation) + targets
        while let op = stack.popLast() {
            guard needed.insert(ObjectIdentifier(op)).inserted else { continue }
            if op.outputTypes.count > 0 && (0..<op.outputTypes.count).allSatisfy({ fed.contains(Output(op, $0)) }) {
                continue
            }
            stack += op.inputs.map(\.operation)
            stack += op.controlInputs
        }
        let ordered = graph.operations.filter { needed.contains(ObjectIdentifier($0)) }

        var buffers: [Output: TensorBuffer] = [:]
        var constants: [Output: Tensor] = [:]
        let context = KernelContext(session: session)
        var assignedVariables = Set<ObjectIdentifier>()
        let kept = fed.union(fetches)
        let fusions: [any ProductFusion] = [GradientFusion(ordered: ordered, kept: kept), BiasFusion(ordered: ordered, kept: kept)]

        for op in ordered {
            let isFusedProduct = fusions.contains { $0.isFused(op) }
            let outputs = (0..<op.outputTypes.count).map { Output(op, $0) }
            if !outputs.isEmpty && outputs.allSatisfy({ fed.contains($0) }) {
                for output in outputs {
                    let shape = fedValues[output] ?? []
                    let buffer = TensorBuffer(dtype: output.dtype, shape: shape)
                    buffers[output] = buffer
                    feeds.append(Feed(output: output, buffer: buffer, borrows: op.definition is PlaceholderOp.Type))
                }
                continue
            }
            let inputBuffers = try op.inputs.map { input -> TensorBuffer in
                guard let buffer = buffers[input] else { throw SessionError.unsupported(op.name, "an input computed after it") }
                return buffer
            }
            let inputConstants = op.inputs.map { constants[$0] }
            let outputBuffers: [TensorBuffer]
            switch op.definition {
            case is VariableV2Op.Type:
                outputBuffers = [try session.variableBuffer(for: op)]
            case is any VariableUpdateOp.Type:
                outputBuffers = [inputBuffers[0]]
            case is IdentityOp.Type where op.inputs[0].operation.definition is VariableV2Op.Type:
                outputBuffers = [inputBuffers[0]]
            default:
                let shapes = try op.definition.outputShapes(op, inputBuffers.map(\.shape), inputConstants)
                outputBuffers = zip(op.outputTypes, shapes).map { TensorBuffer(dtype: $0, shape: $1, allocating: !isFusedProduct) }
            }
            for (index, buffer) in outputBuffers.enumerated() { buffers[Output(op, index)] = buffer }

            // Reads of variables (anything but the variable slot of an Assign).
            for (index, input) in op.inputs.enumerated() where input.operation.definition is VariableV2Op.Type {
                if op.definition is AssignOp.Type && index == 0 {
                    assignedVariables.insert(ObjectIdentifier(input.operation))
                } else if !assignedVariables.contains(ObjectIdentifier(input.operation)) {
                    readVariables.append((input.operation.name, inputBuffers[index]))
                }
            }

            if isFusedProduct { continue }
            var kernel: Kernel?
            for fusion in fusions where kernel == nil { kernel = try fusion.kernel(for: op, buffers, context) }
            if kernel == nil { kernel = try op.definition.makeKernel(op, inputBuffers, outputBuffers, context) }
            let foldable = !op.definition.isStateful && op.inputs.allSatisfy { constants[$0] != nil }
            if foldable || op.definition is ShapeOp.Type || op.definition is SizeOp.Type || op.definition is ConstOp.Type {
                try kernel?()
                for (index, buffer) in outputBuffers.enumerated() where buffer.count <= 1 << 16 {
                    constants[Output(op, index)] = buffer.tensor()
                }
                continue
            }
            if let kernel { kernels.append(kernel) }
        }
        fetchBuffers = try fetches.map { output in
            guard let buffer = buffers[output] else { throw SessionError.unsupported(output.name, "fetching this output") }
            return buffer
        }
        previousResults = Array(repeating: nil, count: fetches.count)
    }

    /// Binds the feeds, runs every kernel, and copies the fetches out; `results` receives
    /// each fetched tensor in order.
    func run(feeding values: [Output: Tensor], results: (Tensor) -> Void) throws {
        for variable in readVariables where !variable.buffer.isInitialized {
            throw SessionError.uninitializedVariable(variable.name)
        }
        try runBindingFeeds(from: 0, values) {
            for kernel in kernels { try kernel() }
            for index in fetchBuffers.indices {
                results(fetchBuffers[index].tensor(reusing: &previousResults[index]))
            }
        }
    }

    /// Binds feeds `index...` (borrowing placeholder values, copying others), then runs `body`.
    private func runBindingFeeds(from index: Int, _ values: [Output: Tensor], _ body: () throws -> Void) throws {
        guard index < feeds.count else { return try body() }
        let feed = feeds[index]
        guard let value = values[feed.output] else { throw SessionError.unsupported(feed.output.name, "a missing feed") }
        if feed.borrows {
            try feed.buffer.borrowing(value) { try runBindingFeeds(from: index + 1, values, body) }
        } else {
            feed.buffer.load(value)
            try runBindingFeeds(from: index + 1, values, body)
        }
    }
}
