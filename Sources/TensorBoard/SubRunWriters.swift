import Synchronization

/// The writers a `SummaryWriter` opens for sub-runs (`add(scalars:mainTag:step:)`, one per
/// key, as tensorboardX's `add_scalars` does): made with the parent's options, flushed by
/// its `flush()` and closed by its `close()`.
final class SubRunWriters: Sendable {
    /// The options a sub-run's writer is made with: the parent's.
    struct Options: Sendable {
        var fileSuffix = ""
        var flushInterval = 2.0
        var queueCapacity = 65_536
        var durability = Durability.operatingSystem
        var environment = WriterEnvironment.system
    }

    private struct State {
        var options = Options()
        var writers: [String: SummaryWriter] = [:]
        var isClosed = false
    }

    private let state = Mutex(State())

    /// Sets the options later sub-run writers are made with.
    func configure(_ options: Options) {
        state.withLock { $0.options = options }
    }

    /// The writer of the run directory `path`, made on first use.
    /// - Throws: `.closed` once `closeAll()` ran; the writer's own errors when it cannot be made.
    func writer(for path: String) throws -> SummaryWriter {
        try state.withLock { state in
            if state.isClosed { throw SummaryWriterError.closed }
            if let writer = state.writers[path] { return writer }
            let options = state.options
            let writer = try SummaryWriter(
                logDirectory: path, fileSuffix: options.fileSuffix, flushInterval: options.flushInterval,
                queueCapacity: options.queueCapacity, durability: options.durability, environment: options.environment)
            state.writers[path] = writer
            return writer
        }
    }

    /// Flushes every sub-run writer; throws the first failure after trying them all.
    func flushAll() throws {
        let writers = state.withLock { Array($0.writers.values) }
        var firstError: (any Error)?
        for writer in writers {
            do { try writer.flush() } catch { firstError = firstError ?? error }
        }
        if let firstError { throw firstError }
    }

    /// Closes every sub-run writer and refuses new ones; returns the first failure.
    func closeAll() -> (any Error)? {
        let writers = state.withLock { state -> [SummaryWriter] in
            state.isClosed = true
            defer { state.writers = [:] }
            return Array(state.writers.values)
        }
        var firstError: (any Error)?
        for writer in writers {
            do { try writer.close() } catch { firstError = firstError ?? error }
        }
        return firstError
    }
}
