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
    /// Seconds since the Unix epoch.
    public var clock: @Sendable () -> Double
    /// Goes into event file names.
    public var hostName: String
    /// Goes into event file names.
    public var processID: Int32

    public init(clock: @escaping @Sendable () -> Double, hostName: String, processID: Int32) {
        self.clock = clock
        self.hostName = hostName
        self.processID = processID
    }

    /// The real clock, host name and process id.
    public static var system: WriterEnvironment {
        WriterEnvironment(clock: wallClock, hostName: currentHostName(), processID: getpid())
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
