import TFGraph
/// A compiled `Session.run`: the ops the fetches need, in order, each a kernel bound to
/// preallocated buffers. Compiling lists the steps, lets the passes rewrite them (fusions:
/// `GradientFusion`, `BiasFusion`), then propagates concrete shapes from the feeds, folds
/// steps that depend only on constants and shapes, and checks every shape once; running is
/// then a loop over kernels.
final class ExecutionPlan {
    struct Feed {
        let output: Output
        let buffer: TensorBuffer
        /// Placeholders read the caller's tensor in place; anything else fed gets a copy.
        let borrows: Bool
    }

    /// The passes every plan goes through, in order.
    static let passes: [any PlanPass] = [GradientFusion(), BiasFusion()]

    private(set) var kernels: [Kernel] = []
    /// For each kernel, what a trace records of it (the op, its output buffers).
    private(set) var tracedKernels: [TracedKernel] = []
    private(set) var feeds: [Feed] = []
    private(set) var fetchBuffers: [TensorBuffer] = []
    /// The tensors returned by the previous run, whose storage the next run reuses when the
    /// caller has let go of them.
    private var previousResults: [Tensor?] = []
    /// Variables read by this plan, which must be initialized before it runs.
    private(set) var readVariables: [(name: String, buffer: TensorBuffer)] = []

    init(
        graph: Graph, variables: VariableStore, context: KernelContext, fetches: [Output], targets: [GraphOperation],
        feeds fedValues: [Output: [Int]]
    ) throws {
        for output in fetches where !graph.owns(output.operation) { throw SessionError.foreignGraph(name: output.name) }
        for target in targets where !graph.owns(target) { throw SessionError.foreignGraph(name: target.name) }

        // The ops needed: everything the fetches and targets depend on, stopping at feeds.
        let fed = Set(fedValues.keys)
        var needed = Set<ObjectIdentifier>()
        var stack = fetches.map(\.operation) + targets
        while let op = stack.popLast() {
            guard needed.insert(ObjectIdentifier(op)).inserted else { continue }
            if op.outputTypes.count > 0 && (0..<op.outputTypes.count).allSatisfy({ fed.contains(Output(op, unchecked: $0)) }) {
                continue
            }
            stack += op.inputs.map(\.operation)
            stack += op.controlInputs
        }
        var steps = try graph.operations.filter { needed.contains(ObjectIdentifier($0)) }.map(PlanStep.init)
        for pass in Self.passes { steps = pass.rewrite(steps, kept: fed.union(fetches)) }

        var buffers: [Output: TensorBuffer] = [:]
        var constants: [Output: Tensor] = [:]
        var assignedVariables = Set<ObjectIdentifier>()
        for step in steps {
            let op = step.operation
            let outputs = (0..<op.outputTypes.count).map { Output(op, unchecked: $0) }
            if !outputs.isEmpty && outputs.allSatisfy({ fed.contains($0) }) {
                for output in outputs {
                    let buffer = TensorBuffer(dtype: output.dtype, shape: fedValues[output] ?? [])
                    buffers[output] = buffer
                    feeds.append(Feed(output: output, buffer: buffer, borrows: op.type == PlaceholderOp.type))
                }
                continue
            }
            let inputBuffers = try step.inputs.map { input -> TensorBuffer in
                guard let buffer = buffers[input] else {
                    throw SessionError.unsupported(op: op.name, what: "an input computed after it")
                }
                return buffer
            }
            let outputBuffers = try Self.outputBuffers(
                of: step, inputs: inputBuffers, constants: step.inputs.map { constants[$0] }, variables: variables)
            for (index, buffer) in outputBuffers.enumerated() { buffers[Output(op, unchecked: index)] = buffer }

            // Reads of variables (anything but the variable a step updates).
            for (index, input) in step.inputs.enumerated() where input.operation.type == VariableV2Op.type {
                if step.updatesVariable && index == 0 {
                    assignedVariables.insert(ObjectIdentifier(input.operation))
                } else if !assignedVariables.contains(ObjectIdentifier(input.operation)) {
                    readVariables.append((input.operation.name, inputBuffers[index]))
                }
            }

            let kernel: Kernel?
            let foldable: Bool
            switch step.computation {
            case .kernel(let definition):
                kernel = try Self.naming(op) { try definition.makeKernel(op, inputBuffers, outputBuffers, context) }
                foldable =
                    definition.readsOnlyShapes
                    || (!op.definition.isStateful && op.inputs.allSatisfy { constants[$0] != nil })
            case .fused(let fused):
                kernel = try Self.naming(op) { try fused.makeKernel(inputBuffers, outputBuffers, context) }
                foldable = false
            }
            if foldable {
                try Self.naming(op) { try kernel?() }
                for (index, buffer) in outputBuffers.enumerated() where buffer.count <= 1 << 16 {
                    constants[Output(op, unchecked: index)] = buffer.tensor()
                }
                continue
            }
            if let kernel {
                kernels.append(kernel)
                tracedKernels.append(Self.traced(step, outputBuffers))
            }
        }
        fetchBuffers = try fetches.map { output in
            guard let buffer = buffers[output] else {
                throw SessionError.unsupported(op: output.name, what: "fetching this output")
            }
            return buffer
        }
        previousResults = Array(repeating: nil, count: fetches.count)
    }

    /// What a trace records of `step`: a fused step is attributed to the op whose outputs
    /// it produces, labelled with the fusion.
    private static func traced(_ step: PlanStep, _ outputs: [TensorBuffer]) -> TracedKernel {
        let op = step.operation
        let storage: OutputStorage
        let fusedLabel: String?
        switch step.computation {
        case .kernel(let definition):
            storage = definition.outputStorage(of: op)
            fusedLabel = nil
        case .fused(let fused):
            storage = fused.outputStorage
            fusedLabel = "fused with " + fused.absorbed.map { "\($0.name) (\($0.type))" }.joined(separator: ", ")
        }
        return TracedKernel(
            name: op.name, type: op.type, fusedLabel: fusedLabel, outputs: outputs,
            owned: Array(repeating: storage == .allocated, count: outputs.count))
    }

    /// The buffers `step` writes: its own, the variable's storage, or an input's.
    private static func outputBuffers(
        of step: PlanStep, inputs: [TensorBuffer], constants: [Tensor?], variables: VariableStore
    ) throws -> [TensorBuffer] {
        let op = step.operation
        let storage: OutputStorage
        switch step.computation {
        case .kernel(let definition): storage = definition.outputStorage(of: op)
        case .fused(let fused): storage = fused.outputStorage
        }
        switch storage {
        case .variable:
            return [try variables.buffer(for: op)]
        case .aliasesInput(let index):
            return [inputs[index]]
        case .fedOnly:
            throw SessionError.unfedPlaceholder(name: op.name, dtype: op.outputTypes[0], shape: op.outputShapes[0])
        case .allocated:
            let shapes = try naming(op) { () throws -> [[Int]] in
                switch step.computation {
                case .kernel: try op.definition.outputShapes(op, inputs.map(\.shape), constants)
                case .fused(let fused): try fused.outputShapes(inputs.map(\.shape))
                }
            }
            for (dtype, shape) in zip(op.outputTypes, shapes) {
                switch shape.checkedElementCount {
                case .failure(let error):
                    throw SessionError.shapeMismatch(op: op.name, reason: "its output shape: \(error)")
                case .success(let count) where count.multipliedReportingOverflow(by: dtype.byteSize).overflow:
                    throw SessionError.shapeMismatch(op: op.name, reason: "an output of shape \(shape) has more bytes than Int counts")
                case .success:
                    continue
                }
            }
            return zip(op.outputTypes, shapes).map { TensorBuffer(dtype: $0, shape: $1) }
        }
    }

    /// Runs `body`, reporting a shape rule's `ShapeError` as the session's error naming `op`.
    private static func naming<T>(_ op: GraphOperation, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ShapeError {
            throw SessionError.shapeMismatch(op: op.name, reason: error.message)
        }
    }

    /// Binds the feeds, runs every kernel, and copies the fetches out; `results` receives
    /// each fetched tensor in order.
    func run(feeding values: [Output: Tensor], results: (Tensor) -> Void) throws {
        for variable in readVariables where !variable.buffer.isInitialized {
            throw SessionError.uninitializedVariable(name: variable.name)
        }
        try runBindingFeeds(from: 0, values) {
            for kernel in kernels { try kernel() }
            for index in fetchBuffers.indices {
                results(fetchBuffers[index].tensor(reusing: &previousResults[index]))
            }
        }
    }

    /// `run`, timing each kernel with the wall clock (a loop of its own, so the untraced
    /// loop stays as it is); returns what each kernel did.
    func runTraced(feeding values: [Output: Tensor], results: (Tensor) -> Void) throws -> StepStatistics {
        for variable in readVariables where !variable.buffer.isInitialized {
            throw SessionError.uninitializedVariable(name: variable.name)
        }
        var times = [(start: Int64, end: Int64)](repeating: (0, 0), count: kernels.count)
        try runBindingFeeds(from: 0, values) {
            for index in kernels.indices {
                let start = wallClockNanoseconds()
                try kernels[index]()
                times[index] = (start, wallClockNanoseconds())
            }
            for index in fetchBuffers.indices {
                results(fetchBuffers[index].tensor(reusing: &previousResults[index]))
            }
        }
        return StepStatistics(nodes: zip(tracedKernels, times).map { $0.node(start: $1.start, end: $1.end) })
    }

    /// Binds feeds `index...` (borrowing placeholder values, copying others), then runs `body`.
    private func runBindingFeeds(from index: Int, _ values: [Output: Tensor], _ body: () throws -> Void) throws {
        guard index < feeds.count else { return try body() }
        let feed = feeds[index]
        guard let value = values[feed.output] else {
            throw SessionError.unsupported(op: feed.output.name, what: "a missing feed")
        }
        if feed.borrows {
            try feed.buffer.borrowing(value) { try runBindingFeeds(from: index + 1, values, body) }
        } else {
            feed.buffer.load(value)
            try runBindingFeeds(from: index + 1, values, body)
        }
    }
}
