#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What a writer reads from the outside world: the clock, the host name and the process id.
/// Tests inject fixed values to get byte-identical files.
public struct WriterEnvironment: Sendable {
    /// Seconds since the Unix epoch. Writers call `system`'s clock inline; any other (one
    /// assigned here, or passed to `init`, even `wallClock` itself) through the closure, so
    /// start from `system` and change `hostName` or `processID` to keep that.
    public var clock: @Sendable () -> Double {
        didSet { clockIsWallClock = false }
    }
    /// Goes into event file names.
    public var hostName: String
    /// Goes into event file names.
    public var processID: Int32

    /// Whether `clock` is `wallClock` (as `system` sets it), which writers then read
    /// inline rather than through the closure; false once `clock` is replaced.
    private(set) var clockIsWallClock = false

    public init(clock: @escaping @Sendable () -> Double, hostName: String, processID: Int32) {
        self.clock = clock
        self.hostName = hostName
        self.processID = processID
    }

    /// The clock as a writer reads it.
    var writerClock: WriterClock { clockIsWallClock ? .wallClock : .custom(clock) }

    /// The real clock, host name and process id.
    public static var system: WriterEnvironment {
        var environment = WriterEnvironment(clock: wallClock, hostName: currentHostName(), processID: getpid())
        environment.clockIsWallClock = true
        return environment
    }

    /// Seconds since the Unix epoch: `CLOCK_REALTIME`, read through the CPU's tick counter
    /// between readings of the kernel's clock where the kernel keeps time with that counter
    /// (`WallClock` says how, and how close the two stay).
    @Sendable public static func wallClock() -> Double {
        WallClock.now()
    }

    private static func currentHostName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return host.isEmpty ? "localhost" : host
    }
}

/// Where a writer's wall times come from: `WallClock`, called inline (the closure call
/// and the lookup of the clock's shared anchor behind it are a few percent of a scalar's
/// cost), or a clock the caller supplied.
enum WriterClock: Sendable {
    case wallClock
    case custom(@Sendable () -> Double)

    /// Seconds since the Unix epoch.
    @inline(__always)
    func now() -> Double {
        switch self {
        case .wallClock: WallClock.now()
        case .custom(let clock): clock()
        }
    }
}
