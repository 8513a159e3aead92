import TFGraph

/// Runs a graph: `run` computes fetches from a feed dictionary, like TensorFlow 1's
/// `tf.Session.run`. Variables live in the session.
///
///     let session = Session(graph: graph)
///     try session.run(graph.globalVariablesInitializer())
///     let lossValue = try session.run(trainOp, fetching: loss, feeding: [images: batch, labels: batchLabels])
///
/// The first run of a distinct set of fetches, targets and feed shapes compiles a plan
/// (ops, order, buffers); later runs reuse it, so a warm step allocates only its results.
public final class Session {
    public let graph: Graph
    private var plans: [PlanKey: ExecutionPlan] = [:]
    /// The plan of the previous run and its key: a training loop repeats the same call, so
    /// it is found without building a key (which would allocate).
    private var lastPlan: (key: PlanKey, plan: ExecutionPlan)?
    private let variables = VariableStore()

    /// OpenBLAS's thread count while this session runs.
    private let blasThreads: Int
    /// The session's second core for large products and `runInHalves` (nil when OpenBLAS
    /// threads itself or the machine has one core); stopped when the session goes.
    private let helper: ParallelGEMM?
    private let context: KernelContext
    /// The BLAS every matrix product runs on, or why there is none (thrown by the first
    /// `run`, before any kernel).
    private let blas: Result<BLASLibrary, BLASUnavailable>

    /// A session over `graph`.
    ///
    /// With `blasThreads` nil (the default), OpenBLAS runs single-threaded and the session
    /// splits each large product across two cores itself, with a helper thread of its own
    /// (`ParallelGEMM`: faster than OpenBLAS's own threading on training-step shapes, and
    /// allocation-free). A number hands threading to OpenBLAS with that many threads
    /// instead. OpenBLAS has one thread count per process: each run sets it to this
    /// session's when it differs, so sessions with different settings should not run at
    /// the same time. OpenBLAS is loaded here, with the kernel chosen for the CPU
    /// (`BLASLibrary`).
    public init(graph: Graph, blasThreads: Int? = nil) {
        self.graph = graph
        blas = Result { () throws(BLASUnavailable) in try BLASLibrary.loaded() }
        self.blasThreads = max(blasThreads ?? 1, 1)
        helper = blasThreads == nil ? ParallelGEMM.forThisMachine() : nil
        context = KernelContext(products: MatrixProducts(helper: helper))
    }

    deinit {
        helper?.stop()
    }

    /// Runs `body(0)` on the calling thread and `body(1)` on the session's helper thread, at
    /// once, and returns when both are done: for work between runs, such as gathering the
    /// next batch, so the core that splits products does half of it. The halves must not
    /// write the same memory. Without a helper (one core, or `blasThreads` set), both halves
    /// run on the caller.
    ///
    ///     session.runInHalves { half in copyRows(half == 0 ? 0..<50 : 50..<100) }
    public func runInHalves(_ body: (_ half: Int) -> Void) {
        context.runInHalves(body)
    }

    /// Computes `fetches` and runs `targets`, feeding `feeds` into placeholders (or any
    /// other tensors). Returns one tensor per fetch.
    /// - Throws: `SessionError` naming the node: an unfed placeholder, a feed of the wrong
    ///   type or shape, an uninitialized variable, a label out of range.
    public func run(fetches: [Output], targets: [GraphOperation] = [], feeding feeds: [Output: Tensor] = [:]) throws -> [Tensor] {
        var results: [Tensor] = []
        results.reserveCapacity(fetches.count)
        try plan(fetches, targets, feeds).run(feeding: feeds) { results.append($0) }
        return results
    }

    /// `run(fetches:targets:feeding:)` with `options`: with `.fullTrace`, each op is timed
    /// and its outputs recorded, and the statistics are returned (nil without tracing), to
    /// write with `SummaryWriter.add(serializedRunMetadata:tag:step:)`
    /// (`statistics.serializedRunMetadata()`; `runMetadata()` is the same as a message) or
    /// open as a Chrome trace (`statistics.chromeTrace()`).
    ///
    ///     let (results, statistics) = try session.run(fetches: [merged], targets: [train], feeding: feeds, options: .fullTrace)
    public func run(fetches: [Output], targets: [GraphOperation] = [], feeding feeds: [Output: Tensor] = [:], options: RunOptions)
        throws -> (results: [Tensor], statistics: StepStatistics?)
    {
        guard options.traceLevel == .full else { return (try run(fetches: fetches, targets: targets, feeding: feeds), nil) }
        var results: [Tensor] = []
        results.reserveCapacity(fetches.count)
        let statistics = try plan(fetches, targets, feeds).runTraced(feeding: feeds) { results.append($0) }
        return (results, statistics)
    }

    /// Runs `target` (e.g. an initializer or a train op).
    public func run(_ target: GraphOperation, feeding feeds: [Output: Tensor] = [:]) throws {
        try plan(EmptyCollection(), CollectionOfOne(target), feeds).run(feeding: feeds) { _ in }
    }

    /// Computes one tensor.
    public func run(_ fetch: Output, feeding feeds: [Output: Tensor] = [:]) throws -> Tensor {
        try runOne(fetch, EmptyCollection(), feeds)
    }

    /// Runs `target` and computes `fetch` in the same step (`sess.run([train_op, loss])`).
    /// A warm step allocates nothing when the caller does not keep the previous result.
    public func run(_ target: GraphOperation, fetching fetch: Output, feeding feeds: [Output: Tensor] = [:]) throws -> Tensor {
        try runOne(fetch, CollectionOfOne(target), feeds)
    }

    private func runOne(_ fetch: Output, _ targets: some Collection<GraphOperation>, _ feeds: [Output: Tensor]) throws -> Tensor {
        var result: Tensor?
        try plan(CollectionOfOne(fetch), targets, feeds).run(feeding: feeds) { result = $0 }
        guard let result else { throw SessionError.unsupported(op: fetch.name, what: "fetching this output") }
        return result
    }

    /// The compiled plan for these arguments: the previous run's when they match (found
    /// without allocating), else a cached or newly compiled one. Checks the feeds first.
    private func plan(_ fetches: some Collection<Output>, _ targets: some Collection<GraphOperation>, _ feeds: [Output: Tensor])
        throws -> ExecutionPlan
    {
        for (output, value) in feeds {
            guard graph.owns(output.operation) else { throw SessionError.foreignGraph(name: output.name) }
            guard value.dtype == output.dtype else {
                throw SessionError.feedTypeMismatch(name: output.operation.name, expected: output.dtype, got: value.dtype)
            }
            guard output.shape.accepts(value.shape) else {
                throw SessionError.feedShapeMismatch(name: output.operation.name, expected: output.shape, got: value.shape)
            }
        }
        if case .success(let library) = blas { library.useThreads(blasThreads) }
        if let last = lastPlan, last.key.matches(fetches: fetches, targets: targets, feeds: feeds) {
            return last.plan
        }
        let key = PlanKey(fetches: Array(fetches), targets: Array(targets), feeds: feeds)
        let plan: ExecutionPlan
        if let cached = plans[key] {
            plan = cached
        } else {
            if case .failure(let error) = blas { throw SessionError.blasUnavailable(message: error.message) }
            plan = try ExecutionPlan(
                graph: graph, variables: variables, context: context, fetches: key.fetches, targets: Array(targets),
                feeds: feeds.mapValues(\.shape))
            plans[key] = plan
        }
        lastPlan = (key, plan)
        return plan
    }

    /// The current value of a variable.
    /// - Throws: `SessionError.uninitializedVariable` before it was initialized,
    ///   `.foreignGraph` for a variable of another graph.
    public func value(of variable: Variable) throws -> Tensor {
        let buffer = try buffer(of: variable)
        guard buffer.isInitialized else { throw SessionError.uninitializedVariable(name: variable.name) }
        return buffer.tensor()
    }

    /// Sets a variable's value (used by `Saver.restore`).
    /// - Throws: `SessionError` when the dtype or shape differ, or the variable is another
    ///   graph's.
    public func setValue(_ value: Tensor, of variable: Variable) throws {
        let buffer = try buffer(of: variable)
        guard value.dtype == buffer.dtype else {
            throw SessionError.feedTypeMismatch(name: variable.name, expected: buffer.dtype, got: value.dtype)
        }
        guard value.shape == buffer.shape else {
            throw SessionError.feedShapeMismatch(name: variable.name, expected: variable.shape, got: value.shape)
        }
        buffer.load(value)
        buffer.isInitialized = true
    }

    /// Raw little-endian bytes of a variable (for checkpoints), without copying into a Tensor.
    package func withVariableBytes<T>(_ variable: Variable, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        let buffer = try buffer(of: variable)
        guard buffer.isInitialized else { throw SessionError.uninitializedVariable(name: variable.name) }
        return try body(buffer.bytes)
    }

    /// The storage of `variable`, which must belong to this session's graph.
    private func buffer(of variable: Variable) throws -> TensorBuffer {
        guard graph.owns(variable.handle.operation) else { throw SessionError.foreignGraph(name: variable.name) }
        return try variables.buffer(for: variable.handle.operation)
    }

    /// Makes this session part of a data-parallel job: its `AllreduceMean` ops average over
    /// `collective`'s processes (TFDistributed's `ProcessGroup.attach(to:)`).
    package func attach(_ collective: any Collective) {
        context.collective = collective
    }

    /// The collective attached to this session, if any.
    package var collective: (any Collective)? { context.collective }

    /// Sets a variable from raw little-endian bytes of its dtype and shape.
    package func setVariableBytes(_ variable: Variable, _ bytes: UnsafeRawBufferPointer) throws {
        let buffer = try buffer(of: variable)
        guard bytes.count == buffer.bytes.count else {
            throw SessionError.shapeMismatch(
                op: variable.name, reason: "\(bytes.count) bytes for a variable of \(buffer.bytes.count) (\(buffer.dtype) \(buffer.shape))")
        }
        buffer.loadBytes(bytes)
        buffer.isInitialized = true
    }
}

/// What identifies a compiled plan: fetches, targets, and the fed tensors with their shapes.
private struct PlanKey: Hashable {
    let fetches: [Output]
    let targets: [ObjectIdentifier]
    let feeds: [Output]
    let feedShapes: [[Int]]

    init(fetches: [Output], targets: [GraphOperation], feeds: [Output: Tensor]) {
        self.fetches = fetches
        self.targets = targets.map(ObjectIdentifier.init)
        let sorted = feeds.keys.sorted { ($0.operation.id, $0.index) < ($1.operation.id, $1.index) }
        self.feeds = sorted
        feedShapes = sorted.map { feeds[$0]?.shape ?? [] }
    }

    /// Whether a run with these arguments has this key, checked without allocating.
    func matches(fetches: some Collection<Output>, targets: some Collection<GraphOperation>, feeds: [Output: Tensor]) -> Bool {
        guard fetches.elementsEqual(self.fetches), targets.count == self.targets.count, feeds.count == self.feeds.count else {
            return false
        }
        for (target, identifier) in zip(targets, self.targets) where ObjectIdentifier(target) != identifier {
            return false
        }
        for (output, shape) in zip(self.feeds, feedShapes) where feeds[output]?.shape != shape {
            return false
        }
        return true
    }
}
