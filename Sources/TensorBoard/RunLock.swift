import Foundation
import Synchronization
import TFRecord

/// An advisory lock on a run directory (`<directory>/.writer.lock`, taken with `flock`), for
/// writers that must not share a run: two training jobs given the same log directory would
/// otherwise interleave their curves and overwrite each other's checkpoints.
///
///     let lock = try RunLock(directory: "runs/exp1")   // throws .runInUse if held
///
/// The kernel drops the lock when its holder exits, even by `kill -9`, so a lock is only
/// ever refused while its holder is alive; `release()` (and a clean exit) removes the file.
/// The lock file is never opened through a symbolic link, and one that another user
/// created (or a hard link to another file) is refused, so a link planted in a shared
/// directory such as `/tmp` cannot make the writer overwrite a file with its pid.
/// `SummaryWriter` takes one when asked (`RunSharing.exclusive` or `.uniqueSubRun`); by
/// default writers share a run, as TensorFlow's do (each writes its own file, TensorBoard
/// merges them).
public final class RunLock: Sendable {
    /// The lock file's name; it does not contain "tfevents", so TensorBoard ignores it.
    public static let fileName = ".writer.lock"

    /// The locked run directory.
    public let directory: String
    private let path: String
    private let lock = Mutex<Int32>(-1)

    /// Locks `directory`, creating it (with parents) if missing.
    /// - Throws: `SummaryWriterError.runInUse` naming the holder's pid when a live process
    ///   (or another lock in this one) holds it; `.cannotCreateDirectory`; `.writeFailed`
    ///   when the lock file cannot be opened, is a link, or belongs to another user.
    public init(directory: String) throws {
        try LogDirectory.create(directory)
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        var descriptor: Int32 = -1
        // A holder releasing the lock removes the file; whoever opened it just before then
        // holds a lock on a removed file, notices, and tries again on the new one.
        for _ in 0..<100 {
            descriptor = try Self.openLockFile(path)
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                let code = errno
                let holder = Self.readPID(descriptor)
                close(descriptor)
                guard code == EWOULDBLOCK else {
                    throw SummaryWriterError.writeFailed(IOError(operation: "flock", path: path, code: code))
                }
                throw SummaryWriterError.runInUse(directory: directory, holder: holder)
            }
            if Self.pathNames(descriptor, path) { break }
            close(descriptor)
            descriptor = -1
        }
        guard descriptor >= 0 else {
            throw SummaryWriterError.writeFailed(IOError(
                operation: "flock", path: path, code: EAGAIN,
                detail: "the lock file keeps being replaced by other processes; try again"))
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.directory = directory
        self.path = path
        lock.withLock { $0 = descriptor }
    }

    /// Locks `directory` if it is free, else the first free of `directory/run-1`,
    /// `directory/run-2`, ... (TensorBoard shows each as its own run).
    public static func uniqueRun(under directory: String) throws -> RunLock {
        do {
            return try RunLock(directory: directory)
        } catch SummaryWriterError.runInUse {
            for number in 1...10_000 {
                do {
                    return try RunLock(directory: (directory as NSString).appendingPathComponent("run-\(number)"))
                } catch SummaryWriterError.runInUse {
                    continue
                }
            }
            throw SummaryWriterError.runInUse(directory: directory, holder: nil)
        }
    }

    /// Releases the lock and removes the lock file (also done when the lock is
    /// deallocated; the kernel releases it if the process dies).
    public func release() {
        lock.withLock { descriptor in
            guard descriptor >= 0 else { return }
            if Self.pathNames(descriptor, path) { unlink(path) }
            close(descriptor)
            descriptor = -1
        }
    }

    deinit { release() }

    /// Opens (or creates) the lock file, refusing anything but a regular file of this user
    /// with a single name.
    private static func openLockFile(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            let detail = code == ELOOP
                ? "it is a symbolic link, which a lock never follows (someone may have planted it); remove it, or choose a --log-dir only you can write to"
                : nil
            throw SummaryWriterError.writeFailed(IOError(operation: "open", path: path, code: code, detail: detail))
        }
        var info = stat()
        let problem: String?
        if fstat(descriptor, &info) != 0 {
            problem = String(cString: strerror(errno))
        } else if info.st_mode & S_IFMT != S_IFREG {
            problem = "it is \(PosixFile.kind(ofMode: info.st_mode)), not a lock file; remove it"
        } else if info.st_uid != geteuid() {
            problem = "it belongs to another user (uid \(info.st_uid)), who may have planted it; remove it, or choose a --log-dir only you can write to"
        } else if info.st_nlink != 1 {
            problem = "it has \(info.st_nlink) names (a hard link to another file?); remove it"
        } else {
            problem = nil
        }
        if let problem {
            close(descriptor)
            throw SummaryWriterError.writeFailed(IOError(operation: "lock", path: path, code: EPERM, detail: problem))
        }
        return descriptor
    }

    /// Whether `path` still names the open file `descriptor`.
    private static func pathNames(_ descriptor: Int32, _ path: String) -> Bool {
        var open = stat()
        var named = stat()
        guard fstat(descriptor, &open) == 0, lstat(path, &named) == 0 else { return false }
        return open.st_ino == named.st_ino && open.st_dev == named.st_dev
    }

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 16)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: bytes[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Whether a `SummaryWriter` shares its run directory with other writers.
public enum RunSharing: Sendable {
    /// Other writers may add files to the same run (TensorFlow's behaviour; the default).
    case shared
    /// Take the run's `RunLock`; throw `SummaryWriterError.runInUse` if a live writer holds it.
    case exclusive
    /// Take the run's lock, or move to the first free `run-<n>` sub-directory.
    case uniqueSubRun
}

/// Creating log directories, with errors that say what to do.
enum LogDirectory {
    /// Creates `path` and its missing parents (mode 0755, less the umask).
    /// - Throws: `SummaryWriterError.cannotCreateDirectory` naming the part of the path at
    ///   fault and the reason.
    static func create(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            var info = stat()
            if stat(prefix, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw SummaryWriterError.cannotCreateDirectory(
                        path: path,
                        reason: prefix == path
                            ? "it is \(PosixFile.kind(ofMode: info.st_mode)), not a directory; choose another log directory"
                            : "\(prefix) is \(PosixFile.kind(ofMode: info.st_mode)), not a directory; choose another log directory")
                }
                continue
            }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                let error = IOError(operation: "mkdir", path: prefix, code: errno)
                throw SummaryWriterError.cannotCreateDirectory(path: path, reason: error.description)
            }
        }
    }
}
