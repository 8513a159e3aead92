import Foundation
import TFRecord

/// An advisory lock on a run directory (`<directory>/.writer.lock`, taken with `flock`), for
/// writers that must not share a run: two training jobs given the same log directory would
/// otherwise interleave their curves and overwrite each other's checkpoints.
///
///     let lock = try RunLock(directory: "runs/exp1")   // throws .runInUse if held
///
/// The kernel drops the lock when its holder exits, even by `kill -9`, so a lock is only
/// ever refused while its holder is alive. `SummaryWriter` takes one when asked
/// (`RunSharing.exclusive` or `.uniqueSubRun`); by default writers share a run, as
/// TensorFlow's do (each writes its own file, TensorBoard merges them).
public final class RunLock: @unchecked Sendable {
    /// The lock file's name; it does not contain "tfevents", so TensorBoard ignores it.
    public static let fileName = ".writer.lock"

    /// The locked run directory.
    public let directory: String
    private var descriptor: Int32

    /// Locks `directory`, creating it (with parents) if missing.
    /// - Throws: `SummaryWriterError.runInUse` naming the holder's pid when a live process
    ///   (or another lock in this one) holds it; `.cannotCreateDirectory` or `.writeFailed`.
    public init(directory: String) throws {
        try LogDirectory.create(directory)
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SummaryWriterError.writeFailed(IOError(operation: "open", path: path, code: errno))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.readPID(descriptor)
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw SummaryWriterError.writeFailed(IOError(operation: "flock", path: path, code: code))
            }
            throw SummaryWriterError.runInUse(directory: directory, holder: holder)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.directory = directory
        self.descriptor = descriptor
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

    /// Releases the lock (also done when the lock is deallocated or the process exits).
    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }

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
    static func create(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw SummaryWriterError.cannotCreateDirectory(
                    path: path, reason: "a file with that name exists; choose another log directory")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw SummaryWriterError.cannotCreateDirectory(path: path, reason: error.localizedDescription)
        }
    }
}
