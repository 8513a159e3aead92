#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open POSIX file descriptor: the one place the TFRecord module makes file system calls.
///
/// Each call retries on `EINTR` and throws an `IOError` naming the call and the path.
public final class PosixFile: @unchecked Sendable {
    /// The path the file was opened with.
    public let path: String
    private var descriptor: Int32

    /// Whether `close()` has been called.
    public var isClosed: Bool { descriptor < 0 }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }

    /// Opens `path` for reading.
    /// - Throws: `IOError` if the file cannot be opened.
    public static func openForReading(_ path: String) throws(IOError) -> PosixFile {
        try open(path, flags: O_RDONLY | O_CLOEXEC)
    }

    /// Creates `path` (which must not exist unless `truncate` or `append` is set) for writing.
    /// - Throws: `IOError` if the file cannot be created.
    public static func openForWriting(_ path: String, exclusive: Bool = true, append: Bool = false)
        throws(IOError) -> PosixFile
    {
        var flags = O_WRONLY | O_CREAT | O_CLOEXEC
        if exclusive { flags |= O_EXCL }
        if append { flags |= O_APPEND } else if !exclusive { flags |= O_TRUNC }
        return try open(path, flags: flags)
    }

    private static func open(_ path: String, flags: Int32) throws(IOError) -> PosixFile {
        let fd = try retrying("open", path) { Glibc.open(path, flags, 0o644) }
        return PosixFile(path: path, descriptor: fd)
    }

    /// Writes all of `bytes`. When a write fails part way (disk full, file-size limit), the
    /// file is cut back to the first `keeping(written)` bytes of this write, so a caller
    /// writing whole records keeps every record that reached the file and no partial one.
    /// By default nothing of a failed write is kept.
    /// - Throws: `IOError` (for example `ENOSPC`, `EFBIG`, `EBADF` after `close()`).
    public func writeAll(_ bytes: UnsafeRawBufferPointer, keeping: (Int) -> Int = { _ in 0 }) throws(IOError) {
        guard var base = bytes.baseAddress else { return }
        var remaining = bytes.count
        var written = 0
        while remaining > 0 {
            let result = Glibc.write(descriptor, base, remaining)
            if result < 0 {
                let code = errno
                if code == EINTR { continue }
                if written > 0 { rollBack(written - min(max(keeping(written), 0), written)) }
                throw IOError(operation: "write", path: path, code: code)
            }
            written += result
            remaining -= result
            base += result
        }
    }

    /// Writes all of `bytes`; see `writeAll(_:)` for the guarantee on failure.
    public func writeAll(_ bytes: [UInt8], keeping: (Int) -> Int = { _ in 0 }) throws(IOError) {
        var result: Result<Void, IOError> = .success(())
        bytes.withUnsafeBytes { buffer in
            do throws(IOError) { try writeAll(buffer, keeping: keeping) } catch { result = .failure(error) }
        }
        try result.get()
    }

    private func rollBack(_ count: Int) {
        let end = lseek(descriptor, 0, SEEK_END)
        if end >= 0 { _ = ftruncate(descriptor, end - off_t(count)) }
    }

    /// Reads up to `buffer.count` bytes at the current position; 0 means end of file.
    /// - Throws: `IOError` if the read fails.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return try Self.retrying("read", path) { Glibc.read(descriptor, base, buffer.count) }
    }

    /// The file's current size in bytes.
    /// - Throws: `IOError` if `fstat` fails.
    public func size() throws(IOError) -> Int {
        var info = stat()
        _ = try Self.retrying("fstat", path) { fstat(descriptor, &info) }
        return Int(info.st_size)
    }

    /// Moves the read/write position to `offset` bytes from the start.
    public func seek(to offset: Int) throws(IOError) {
        _ = try Self.retrying("lseek", path) { lseek(descriptor, off_t(offset), SEEK_SET) }
    }

    /// Forces written data to stable storage (`fsync`).
    public func synchronize() throws(IOError) {
        _ = try Self.retrying("fsync", path) { fsync(descriptor) }
    }

    /// True while the path still names this open file (it was not deleted or replaced).
    public func isStillLinked() -> Bool {
        var open = stat()
        var named = stat()
        guard fstat(descriptor, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_ino == named.st_ino && open.st_dev == named.st_dev && open.st_nlink > 0
    }

    /// Closes the descriptor. Calling it twice is harmless.
    /// - Throws: `IOError` if the OS reports a failure (data may not have been written).
    public func close() throws(IOError) {
        guard descriptor >= 0 else { return }
        let fd = descriptor
        descriptor = -1
        if Glibc.close(fd) != 0 && errno != EINTR {
            throw IOError(operation: "close", path: path, code: errno)
        }
    }

    @inline(__always)
    private static func retrying<T: BinaryInteger>(_ operation: String, _ path: String, _ call: () -> T)
        throws(IOError) -> T
    {
        while true {
            let result = call()
            if result >= 0 { return result }
            let code = errno
            if code != EINTR { throw IOError(operation: operation, path: path, code: code) }
        }
    }
}
