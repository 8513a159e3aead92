#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The writers of this process that are open, so that an `atexit` handler can flush them
/// when the process ends through `exit()` or by returning from `main` (tensorboardX and
/// PyTorch register `close` with Python's `atexit` for the same reason).
///
/// The registry holds writers weakly, so it never keeps one alive, and a writer leaves it
/// in `close()` and `deinit`. The handler is installed once, with the first writer.
enum LiveWriters {
    /// A weak reference: the registry must not extend a writer's life.
    private struct Entry: Sendable {
        weak var writer: SummaryWriter?
    }

    private static let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    /// How long the exit handler waits for each writer's file to take its queued events;
    /// a writer stuck on a hung file system must not hang the process's exit forever.
    static let exitFlushTimeout: Double = 10

    private static let handlerInstalled: Bool = {
        atexit { LiveWriters.flushAll(timeout: LiveWriters.exitFlushTimeout) }
        return true
    }()

    /// Adds `writer`; installs the exit handler on first use.
    static func register(_ writer: SummaryWriter) {
        _ = handlerInstalled
        let key = ObjectIdentifier(writer)
        entries.withLock { $0[key] = Entry(writer: writer) }
    }

    /// Removes the writer with this identity (safe to call twice, and from `deinit`).
    static func unregister(_ key: ObjectIdentifier) {
        entries.withLock { _ = $0.removeValue(forKey: key) }
    }

    /// Whether `writer` is registered (open).
    static func contains(_ writer: SummaryWriter) -> Bool {
        entries.withLock { $0[ObjectIdentifier(writer)]?.writer === writer }
    }

    /// Writes every live writer's queued events to its file, waiting at most `timeout`
    /// seconds per writer. Failures are ignored: the process is ending and has nobody left
    /// to tell (they were thrown to the writer's caller already, if it called again).
    static func flushAll(timeout: Double) {
        // Take strong references outside the lock: a flush may take a while, and a writer
        // released meanwhile on another thread must be able to unregister.
        let writers = entries.withLock { $0.values.compactMap(\.writer) }
        for writer in writers {
            writer.flushForExit(timeout: timeout)
        }
    }
}
