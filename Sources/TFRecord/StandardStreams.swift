#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard input, output and error, made safe for programs that also write data files.
///
/// A program started with a standard stream closed (`prog <&- >&-`) would give that
/// descriptor number to the next file it opens, and its progress lines would land in an
/// event file or a checkpoint. `ensureOpen()` at the start of `main` puts `/dev/null` on
/// every closed one of descriptors 0, 1 and 2, so data files never get them. Writes are
/// checked: a full disk, a closed pipe (with SIGPIPE ignored) or `/dev/full` is an
/// `IOError`, never a trap or a silent loss (`BufferedOutput` for reports of many lines).
public enum StandardStreams {
    /// Opens `/dev/null` on each of descriptors 0, 1 and 2 that is closed. Call it first
    /// in `main`, before any file is opened.
    /// - Returns: false if one could not be opened (the program should stop).
    @discardableResult
    public static func ensureOpen() -> Bool {
        for fd in Int32(0)...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            guard opened >= 0 else { return false }
            if opened != fd {
                guard dup2(opened, fd) == fd else { return false }
                close(opened)
            }
        }
        return true
    }

    /// Writes `text` to descriptor `fd` at once (unbuffered), so a pipe sees each line as
    /// it happens.
    /// - Throws: `IOError` naming the stream (and the file it is, when known).
    public static func write(_ text: String, to fd: Int32 = STDOUT_FILENO) throws(IOError) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(fd, base + offset, buffer.count - offset)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw IOError(operation: "write", path: name(of: fd), code: errno)
            }
            offset += count
        }
        bytes.removeAll()
    }

    /// Writes `text` to standard error, ignoring failure (there is nowhere left to report it).
    public static func writeError(_ text: String) {
        try? write(text, to: STDERR_FILENO)
    }

    /// Writes out `BufferedOutput.standardOutput` and C `stdout` (where Swift's own
    /// `print` writes) and reports whether any write to standard output failed.
    /// - Throws: `IOError` naming standard output and the reason.
    public static func flushStandardOutput() throws(IOError) {
        try BufferedOutput.standardOutput.flush()
        if fflush(stdout) != 0 || ferror(stdout) != 0 {
            throw IOError(operation: "write", path: name(of: STDOUT_FILENO), code: errno == 0 ? EIO : errno)
        }
    }

    /// "standard output (/path/of/the/file)" for descriptor 1, and likewise for 0 and 2.
    public static func name(of fd: Int32) -> String {
        let stream = fd == 0 ? "standard input" : fd == 1 ? "standard output" : fd == 2 ? "standard error" : "descriptor \(fd)"
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard count > 0 else { return stream }
        let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "\(stream) (\(target))"
    }
}
