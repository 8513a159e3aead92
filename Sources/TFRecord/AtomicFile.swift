#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file replaced all at once: the new contents go to a temporary file in the
/// destination's directory, created exclusively under an unpredictable name, and only after
/// a successful write, `fsync` and close is it renamed over the destination (and the
/// directory synced). A reader, a crash or a full disk sees the old file or the new one,
/// never a part; a failure leaves the destination as it was.
///
///     let csv = try AtomicFile(replacing: "scalars.csv")
///     try csv.write(Array("run,tag\n".utf8))
///     try csv.commit()            // without commit (an error thrown), nothing changes
///
/// Exports, repairs, checkpoints and the `checkpoint` state file are written this way. As
/// a `RecordSink`, it takes records from a `RecordWriter`; its `close()` is `commit()`.
/// Temporaries are named `.tmp-<pid>-<random>-<name>` (with "tfevents" spelled
/// "tfe-partial", so TensorBoard never loads a partial event file); those of dead
/// processes are removed by `removeStaleTemporaries(in:)`.
public final class AtomicFile {
    /// The path that `commit()` replaces.
    public let destination: String
    /// The temporary file being written.
    public let temporaryPath: String
    private let file: PosixFile
    private var finished = false

    /// Starts a replacement of `destination` (which need not exist).
    /// - Throws: `IOError` if the destination is a directory or its directory cannot hold
    ///   a new file.
    public init(replacing destination: String) throws(IOError) {
        var info = stat()
        if stat(destination, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw IOError(operation: "write", path: destination, code: EISDIR, detail: "it is a directory; name a file to write")
        }
        let (directory, name) = Self.split(destination)
        var attempt = 0
        while true {
            let candidate = Self.join(directory, Self.temporaryName(for: name))
            do throws(IOError) {
                file = try PosixFile.openForWriting(candidate, exclusive: true)
                temporaryPath = candidate
                break
            } catch where error.code == EEXIST && attempt < 8 {
                attempt += 1
            } catch {
                throw IOError(operation: "create a file in", path: directory, code: error.code, detail: error.detail)
            }
        }
        self.destination = destination
    }

    deinit { abandon() }

    /// Appends `bytes` to the new contents.
    /// - Throws: `IOError` (`ENOSPC`, `EFBIG`, ...); then nothing is replaced.
    public func write(_ bytes: [UInt8]) throws(IOError) {
        try bytes.withBytes { (bytes) throws(IOError) in try writeAll(bytes) }
    }

    /// Syncs the new contents and renames them over the destination, then syncs the
    /// directory.
    /// - Throws: `IOError`; the destination is then unchanged and the temporary removed.
    public func commit() throws(IOError) {
        guard !finished else { return }
        do throws(IOError) {
            try file.synchronize()
            try file.close()
        } catch {
            abandon()
            throw IOError(operation: error.operation, path: destination, code: error.code, detail: error.detail)
        }
        guard rename(temporaryPath, destination) == 0 else {
            let code = errno
            abandon()
            throw IOError(operation: "rename", path: destination, code: code)
        }
        finished = true
        try PosixFile.synchronizeDirectory(Self.split(destination).directory)
    }

    /// Drops the new contents: closes and removes the temporary file.
    public func abandon() {
        guard !finished else { return }
        finished = true
        try? file.close()
        unlink(temporaryPath)
    }

    /// Replaces `path` with `bytes` (see the type's description).
    /// - Throws: `IOError` naming `path`; then `path` is unchanged.
    public static func write(_ bytes: [UInt8], to path: String) throws(IOError) {
        let file = try AtomicFile(replacing: path)
        try file.write(bytes)
        try file.commit()
    }

    /// A fresh, unpredictable temporary name for a file to become `name`.
    static func temporaryName(for name: String) -> String {
        let random = String(UInt64.random(in: 0...UInt64.max) | (1 << 63), radix: 16)
        return ".tmp-\(getpid())-\(random)-" + name.split(separator: "tfevents", omittingEmptySubsequences: false).joined(separator: "tfe-partial")
    }

    /// Removes, in `directory`, the temporary files left by processes that died while
    /// writing (a `kill -9` during a save): this type's `.tmp-<pid>-<random>-<name>` and the
    /// `<checkpoint file>.tmp<pid>` names of earlier versions. Only regular files owned by
    /// this user whose process is gone are removed; links, other users' files and live
    /// processes' temporaries are left alone.
    /// - Returns: the names removed.
    @discardableResult
    public static func removeStaleTemporaries(in directory: String) -> [String] {
        guard let names = try? DirectoryListing.names(in: directory) else { return [] }
        var removed: [String] = []
        for name in names {
            guard let pid = temporaryOwner(name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = join(directory, name)
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid() else { continue }
            if unlink(path) == 0 { removed.append(name) }
        }
        return removed
    }

    /// The pid in a temporary name this package makes (or made), or nil for other names.
    static func temporaryOwner(_ name: String) -> pid_t? {
        if name.hasPrefix(".tmp-") {
            let parts = name.dropFirst(5).split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[1].count == 16, parts[1].allSatisfy(\.isHexDigit) else { return nil }
            return pid_t(parts[0])
        }
        // Earlier versions: "checkpoint.tmp<pid>", "<prefix>.index.tmp<pid>", "<prefix>.data-00000-of-00001.tmp<pid>".
        let digits = name.reversed().prefix { $0.isASCII && $0.isNumber }
        let base = name.dropLast(digits.count)
        guard !digits.isEmpty, base.hasSuffix(".tmp") else { return nil }
        let file = base.dropLast(4)
        guard file == "checkpoint" || file.hasSuffix(".index") || file.hasSuffix(".data-00000-of-00001") else { return nil }
        return pid_t(String(digits.reversed()))
    }

    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

/// A file replaced all at once takes records like any file; closing it commits it.
extension AtomicFile: RecordSink {
    /// Appends `bytes` to the new contents.
    /// - Throws: `IOError` (`ENOSPC`, `EFBIG`, ...); then nothing is replaced.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        do throws(IOError) {
            try file.writeAll(bytes, keeping: { _ in 0 })
        } catch {
            abandon()
            throw IOError(operation: error.operation, path: destination, code: error.code, detail: error.detail)
        }
    }

    /// Forces the new contents written so far to stable storage (`commit()` does it too).
    public func synchronize() throws(IOError) {
        do throws(IOError) {
            try file.synchronize()
        } catch {
            throw IOError(operation: error.operation, path: destination, code: error.code, detail: error.detail)
        }
    }

    /// Commits the new contents (see `commit()`).
    public func close() throws(IOError) {
        try commit()
    }
}
