#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// An open POSIX file descriptor: the one place the TFRecord module makes file system calls.
///
/// Each call retries on `EINTR` and throws an `IOError` naming the call and the path.
/// Any thread may use a file: every call on the descriptor runs holding the file's lock, so
/// calls from several threads take turns, and a `close()` never lands in the middle of
/// another thread's read or write (nor lets that call reach a reused descriptor number).
public final class PosixFile: Sendable {
    /// The path the file was opened with.
    public let path: String
    /// The descriptor, -1 once closed; held locked for the length of each system call on it.
    private let descriptor: Mutex<Int32>

    /// Whether `close()` has been called.
    public var isClosed: Bool { descriptor.withLock { $0 < 0 } }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    deinit {
        let fd = descriptor.withLock { $0 }
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Runs `body` with the open descriptor (-1 after `close()`, which the call then
    /// reports as `EBADF`), holding the file's lock.
    private func withDescriptor<Result>(_ body: (Int32) throws(IOError) -> Result) throws(IOError) -> Result {
        try descriptor.withLock { (fd) throws(IOError) -> Result in try body(fd) }
    }

    /// Opens `path` for reading. Only a regular file is opened as data: a FIFO, device,
    /// socket or directory is refused with an error naming what it is (the open never
    /// blocks, even on a FIFO without a writer). Symbolic links are followed for reading.
    /// - Throws: `IOError` if the file cannot be opened or is not a regular file.
    public static func openForReading(_ path: String) throws(IOError) -> PosixFile {
        let file: PosixFile
        do throws(IOError) {
            file = try open(path, flags: O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        } catch where error.code == ENXIO || error.code == EOPNOTSUPP {
            // A socket (or a device without a driver) cannot be opened: say what it is.
            var info = stat()
            guard stat(path, &info) == 0 else { throw error }
            throw IOError(operation: "open", path: path, code: error.code,
                          detail: "it is \(kind(ofMode: info.st_mode)), not a regular file; name a regular file")
        }
        try file.requireRegularFile(operation: "open")
        try file.clearNonBlocking()
        return file
    }

    /// Creates `path` for writing. By default (`exclusive`) the file must not exist: nothing
    /// already there (a file someone else created, a planted link) is ever written into.
    /// Symbolic links are never followed for writing. Without `exclusive` an existing
    /// regular file is truncated (or appended to with `append`); anything else is refused.
    /// - Throws: `IOError` if the file cannot be created (`EEXIST` when it exists and
    ///   `exclusive` is set, `ELOOP` for a symbolic link).
    public static func openForWriting(_ path: String, exclusive: Bool = true, append: Bool = false)
        throws(IOError) -> PosixFile
    {
        var flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK
        if exclusive { flags |= O_EXCL }
        if append { flags |= O_APPEND } else if !exclusive { flags |= O_TRUNC }
        let file = try open(path, flags: flags)
        try file.requireRegularFile(operation: "open")
        try file.clearNonBlocking()
        return file
    }

    /// The whole contents of the regular file at `path` (see `openForReading`).
    /// - Throws: `IOError` if it cannot be opened or read.
    public static func readContents(_ path: String) throws(IOError) -> [UInt8] {
        let file = try openForReading(path)
        defer { try? file.close() }
        var bytes = [UInt8](repeating: 0, count: try file.size())
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count))) }
            var result: Result<Int, IOError> = .success(0)
            bytes.withUnsafeMutableBytes { buffer in
                do throws(IOError) {
                    result = .success(try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])))
                } catch {
                    result = .failure(error)
                }
            }
            let count = try result.get()
            if count == 0 { break }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Forces the directory entry changes in `directory` (a create, a rename) to stable
    /// storage, so a renamed file survives a power cut under its new name.
    /// - Throws: `IOError` if the directory cannot be opened or synced.
    public static func synchronizeDirectory(_ directory: String) throws(IOError) {
        let path = directory.isEmpty ? "." : directory
        let fd = try retrying("open", path) { Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { _ = Glibc.close(fd) }
        _ = try retrying("fsync", path) { fsync(fd) }
    }

    /// `path` with every symbolic link and `..` resolved (`realpath`), or nil if it does
    /// not exist: what "inside a directory" is decided on.
    public static func resolvedPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// What kind of file `mode` describes, in words ("a FIFO", "a directory", ...).
    public static func kind(ofMode mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFLNK: return "a symbolic link"
        default: return "not a regular file"
        }
    }

    private static func open(_ path: String, flags: Int32) throws(IOError) -> PosixFile {
        let fd = try retrying("open", path) { Glibc.open(path, flags, 0o644) }
        return PosixFile(path: path, descriptor: fd)
    }

    /// Throws, closing the file, unless it is a regular file.
    private func requireRegularFile(operation: String) throws(IOError) {
        var info = stat()
        _ = try withDescriptor { (fd) throws(IOError) in try Self.retrying("fstat", path) { fstat(fd, &info) } }
        guard info.st_mode & S_IFMT == S_IFREG else {
            try? close()
            throw IOError(
                operation: operation, path: path, code: EINVAL,
                detail: "it is \(Self.kind(ofMode: info.st_mode)), not a regular file; name a regular file")
        }
    }

    private func clearNonBlocking() throws(IOError) {
        try withDescriptor { (fd) throws(IOError) in
            let flags = try Self.retrying("fcntl", path) { fcntl(fd, F_GETFL) }
            _ = try Self.retrying("fcntl", path) { fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        }
    }

    /// Writes all of `bytes`. When a write fails part way (disk full, file-size limit), the
    /// file is cut back to the first `keeping(written)` bytes of this write, so a caller
    /// writing whole records keeps every record that reached the file and no partial one.
    /// By default nothing of a failed write is kept.
    /// - Throws: `IOError` (for example `ENOSPC`, `EFBIG`, `EBADF` after `close()`).
    public func writeAll(_ bytes: UnsafeRawBufferPointer, keeping: (Int) -> Int = { _ in 0 }) throws(IOError) {
        guard var base = bytes.baseAddress else { return }
        try withDescriptor { (fd) throws(IOError) in
            var remaining = bytes.count
            var written = 0
            while remaining > 0 {
                let result = Glibc.write(fd, base, remaining)
                if result < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    if written > 0 { Self.rollBack(fd, written - min(max(keeping(written), 0), written)) }
                    throw IOError(operation: "write", path: path, code: code)
                }
                written += result
                remaining -= result
                base += result
            }
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

    private static func rollBack(_ fd: Int32, _ count: Int) {
        let end = lseek(fd, 0, SEEK_END)
        if end >= 0 { _ = ftruncate(fd, end - off_t(count)) }
    }

    /// Reads up to `buffer.count` bytes at the current position; 0 means end of file.
    /// - Throws: `IOError` if the read fails.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return try withDescriptor { (fd) throws(IOError) in
            try Self.retrying("read", path) { Glibc.read(fd, base, buffer.count) }
        }
    }

    /// The file's current size in bytes.
    /// - Throws: `IOError` if `fstat` fails.
    public func size() throws(IOError) -> Int {
        var info = stat()
        _ = try withDescriptor { (fd) throws(IOError) in try Self.retrying("fstat", path) { fstat(fd, &info) } }
        return Int(info.st_size)
    }

    /// Moves the read/write position to `offset` bytes from the start.
    public func seek(to offset: Int) throws(IOError) {
        _ = try withDescriptor { (fd) throws(IOError) in try Self.retrying("lseek", path) { lseek(fd, off_t(offset), SEEK_SET) } }
    }

    /// Forces written data to stable storage (`fsync`).
    public func synchronize() throws(IOError) {
        _ = try withDescriptor { (fd) throws(IOError) in try Self.retrying("fsync", path) { fsync(fd) } }
    }

    /// True while the path still names this open file (it was not deleted or replaced).
    public func isStillLinked() -> Bool {
        var open = stat()
        var named = stat()
        guard descriptor.withLock({ fstat($0, &open) }) == 0, stat(path, &named) == 0 else { return false }
        return open.st_ino == named.st_ino && open.st_dev == named.st_dev && open.st_nlink > 0
    }

    /// Closes the descriptor. Calling it twice is harmless.
    /// - Throws: `IOError` if the OS reports a failure (data may not have been written).
    public func close() throws(IOError) {
        let code = descriptor.withLock { fd -> Int32 in
            guard fd >= 0 else { return 0 }
            let closing = fd
            fd = -1
            return Glibc.close(closing) != 0 && errno != EINTR ? errno : 0
        }
        if code != 0 { throw IOError(operation: "close", path: path, code: code) }
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
