#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Buffered, checked output to a descriptor (standard output for reports of many lines).
///
/// Unlike C `stdout`, the first failed write is kept with its reason (`ENOSPC` on a full
/// disk, `EPIPE` from a reader gone with SIGPIPE ignored); later output is dropped, and
/// `check()`/`flush()` throw that error, so a program never reports success for output
/// that did not arrive.
public final class BufferedOutput: Sendable {
    /// Standard output.
    public static let standardOutput = BufferedOutput(descriptor: STDOUT_FILENO)

    private struct State {
        var buffer: [UInt8] = []
        var failure: IOError?
    }

    private let descriptor: Int32
    private let state = Mutex(State())
    private static let capacity = 1 << 16

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Adds `text`, writing the buffer out when it is full. Never throws: a failure is kept
    /// for `check()` and `flush()`.
    public func write(_ text: String) {
        state.withLock { state in
            guard state.failure == nil else { return }
            state.buffer.append(contentsOf: text.utf8)
            if state.buffer.count >= Self.capacity { drain(&state) }
        }
    }

    /// Throws the first write failure, if any (cheap: writes nothing).
    public func check() throws(IOError) {
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// Writes out everything buffered.
    /// - Throws: the first write failure, naming the stream and the file it is.
    public func flush() throws(IOError) {
        let failure = state.withLock { state -> IOError? in
            drain(&state)
            return state.failure
        }
        if let failure { throw failure }
    }

    private func drain(_ state: inout State) {
        guard state.failure == nil, !state.buffer.isEmpty else {
            state.buffer.removeAll(keepingCapacity: true)
            return
        }
        var offset = 0
        while offset < state.buffer.count {
            let count = state.buffer.withUnsafeBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + offset, bytes.count - offset)
            }
            if count < 0 {
                if errno == EINTR { continue }
                state.failure = IOError(operation: "write", path: StandardStreams.name(of: descriptor), code: errno)
                break
            }
            offset += count
        }
        state.buffer.removeAll(keepingCapacity: true)
    }
}
