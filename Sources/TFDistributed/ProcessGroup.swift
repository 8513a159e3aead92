import Foundation
import Synchronization
import TFGraph
import TFRuntime

/// The processes training one model together, data-parallel: `mpirun -np N program` starts
/// N of them, each with its `rank` (0..<N); a program started on its own is a group of one.
///
///     let group = try ProcessGroup.fromLaunch()
///     let trainOp = try DistributedOptimizer(GradientDescentOptimizer(learningRate: 0.01)).minimize(loss)
///     let session = Session(graph: graph)
///     group.attach(to: session)
///     try session.run(graph.globalVariablesInitializer())
///     try group.broadcastVariables(of: session)   // every rank starts from rank 0's values
///
/// Open MPI is loaded only when the process was started by `mpirun`, so a group of one
/// costs nothing. Every method except `rank`, `size` and `attach` is collective: all ranks
/// call it, in the same order. Use a group from the thread that made it.
public final class ProcessGroup {
    /// This process's index, 0..<size; rank 0 is the one that writes files.
    public let rank: Int
    /// How many processes train together.
    public let size: Int
    private let world: MPICommunicator?
    private let local: SingleProcessCollective?

    /// How many ranks of the job run on this machine (Open MPI's `OMPI_COMM_WORLD_LOCAL_SIZE`).
    public let ranksOnThisMachine: Int

    /// Whether this process is rank 0.
    public var isRoot: Bool { rank == 0 }

    /// The `blasThreads` a rank's `Session` should use: nil (the session splits large
    /// products over a second core of its own) when this machine has two cores for each of
    /// its ranks, else 1, so that ranks sharing cores do not each spin a helper thread on a
    /// core another rank computes on.
    public var sessionBLASThreads: Int? {
        ranksOnThisMachine * 2 <= ProcessInfo.processInfo.activeProcessorCount ? nil : 1
    }

    /// Whether `mpirun` (Open MPI) started this process: it sets `OMPI_COMM_WORLD_SIZE`.
    public static func isLaunchedByMPI(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["OMPI_COMM_WORLD_SIZE"] != nil
    }

    /// The group this process was started in: under `mpirun`, every rank of the job (Open
    /// MPI is loaded and initialized here, once per process); otherwise this process alone.
    /// - Throws: `DistributedError` when started by `mpirun` but Open MPI cannot be loaded
    ///   or started, or when the job's group was already made by this process.
    public static func fromLaunch(environment: [String: String] = ProcessInfo.processInfo.environment) throws(DistributedError)
        -> ProcessGroup
    {
        guard isLaunchedByMPI(environment: environment) else { return ProcessGroup() }
        guard !mpiStarted.exchange(true, ordering: .relaxed) else {
            throw DistributedError("the MPI job's process group was already made in this process; make it once and pass it on")
        }
        let ranksHere = environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap { Int($0) }.map { max($0, 1) } ?? 1
        return ProcessGroup(world: try MPICommunicator(), ranksOnThisMachine: ranksHere)
    }

    /// A group of this process alone, without MPI.
    public init() {
        rank = 0
        size = 1
        ranksOnThisMachine = 1
        world = nil
        local = SingleProcessCollective()
    }

    private init(world: MPICommunicator, ranksOnThisMachine: Int) {
        rank = world.rank
        size = world.size
        self.ranksOnThisMachine = ranksOnThisMachine
        self.world = world
        local = nil
    }

    /// Makes `session`'s `AllreduceMean` ops (from `DistributedOptimizer`) average over
    /// this group. A session that runs them must be attached.
    public func attach(to session: Session) {
        if let world {
            session.attach(world)
        } else if let local {
            session.attach(local)
        }
    }

    /// Gives every variable of `session`'s graph rank `root`'s value, in one broadcast:
    /// call it after initializing or restoring, so every rank starts from the same model.
    /// - Throws: `DistributedError` when the broadcast fails, or `SessionError` when a
    ///   variable is not initialized.
    public func broadcastVariables(of session: Session, from root: Int = 0) throws {
        guard let world else { return }
        guard (0..<size).contains(root) else {
            throw DistributedError("broadcastVariables: root \(root) is not a rank of this job of \(size)")
        }
        let variables = session.graph.globalVariables
        var sizes: [Int] = []
        for variable in variables { sizes.append(try session.withVariableBytes(variable) { $0.count }) }
        let packed = UnsafeMutableRawBufferPointer.allocate(byteCount: max(sizes.reduce(0, +), 1), alignment: 16)
        defer { packed.deallocate() }
        var offset = 0
        for (variable, count) in zip(variables, sizes) {
            try session.withVariableBytes(variable) { bytes in
                UnsafeMutableRawBufferPointer(rebasing: packed[offset..<offset + count]).copyMemory(from: bytes)
            }
            offset += count
        }
        try world.broadcast(UnsafeMutableRawBufferPointer(rebasing: packed[0..<offset]), from: root)
        offset = 0
        for (variable, count) in zip(variables, sizes) {
            try session.setVariableBytes(variable, UnsafeRawBufferPointer(rebasing: packed[offset..<offset + count]))
            offset += count
        }
    }

    /// The elementwise sum of `values` over every rank (e.g. evaluation counts).
    /// - Throws: `DistributedError` when the ranks cannot be reached.
    public func sum(_ values: [Int]) throws(DistributedError) -> [Int] {
        guard let world else { return values }
        var totals = values.map { Int64($0) }
        try totals.withUnsafeMutableBufferPointer { (buffer) throws(DistributedError) in try world.sumInPlace(buffer) }
        return totals.map { Int($0) }
    }

    /// The largest of every rank's `value` (e.g. the stop signal any rank was sent).
    /// - Throws: `DistributedError` when the ranks cannot be reached.
    public func maximum(_ value: Int) throws(DistributedError) -> Int {
        guard let world else { return value }
        var values: [Int64] = [Int64(value)]
        try values.withUnsafeMutableBufferPointer { (buffer) throws(DistributedError) in try world.maximumInPlace(buffer) }
        return Int(values[0])
    }

    /// Returns when every rank has called it.
    public func barrier() throws(DistributedError) {
        try world?.barrier()
    }

    /// Ends MPI for this process (`MPI_Finalize`); the group must not be used afterwards.
    /// Call it on every rank before exiting normally.
    public func finish() throws(DistributedError) {
        try world?.finish()
    }

    /// What this rank's gradient allreduces (`AllreduceMean` steps) have cost so far: zero
    /// in a group of one, which communicates nothing.
    public var allreduceStatistics: AllreduceStatistics { world?.statistics ?? AllreduceStatistics() }

    /// Ends every rank of the job at once with `code`: for a failure on one rank that the
    /// others would otherwise wait on forever.
    public func abortJob(code: Int32) {
        world?.abort(code: code)
    }
}

/// Whether this process has started MPI (it can only once).
private let mpiStarted = Atomic<Bool>(false)

/// The collective of a group of one: the sum over one process is its own value.
private final class SingleProcessCollective: Collective {
    let rank = 0
    let size = 1

    func sumInPlace(_ values: UnsafeMutableBufferPointer<Float>) throws {}
}

/// The cost of a rank's allreduces: how many, the bytes each rank contributed (the fused
/// buffers' sizes), and the wall time spent in them (waiting for slower ranks included).
public struct AllreduceStatistics: Sendable, Equatable {
    public var calls = 0
    public var bytes = 0
    public var seconds = 0.0

    public init() {}
}
