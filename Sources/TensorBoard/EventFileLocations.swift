#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TFRecord

/// Finding event files the way TensorBoard does: a run is a directory that directly holds
/// files whose names contain `tfevents`; a log directory holds runs at any depth. A path
/// that does not exist, or cannot be listed, is an error, never an empty list.
extension EventFileReader {
    /// The regular event files directly inside `directory`, in name order (TensorBoard's
    /// order).
    /// - Throws: `EventFileError.record(…, .io)` when `directory` does not exist, is not a
    ///   directory or cannot be listed. An existing directory without event files gives `[]`.
    public static func eventFiles(inRun directory: String) throws -> [String] {
        let names: [String]
        do throws(IOError) {
            names = try DirectoryListing.names(in: directory)
        } catch {
            throw EventFileError.record(file: directory, .io(error))
        }
        return names.filter(EventFileName.isEventFile).sorted().map { (directory as NSString).appendingPathComponent($0) }
            .filter { path in
                var info = stat()
                return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
            }
    }

    /// Every run under `logDirectory`: directories (the root is `"."`) that directly hold
    /// regular event files, as TensorBoard finds them, sorted by name. The walk is
    /// `LogDirectoryScan`'s: a directory reached twice through links is read once, and a
    /// FIFO, device or socket named like an event file is passed over.
    /// - Throws: `EventFileError.record(…, .io)` for the first directory or event file
    ///   that could not be read: a check must not pass without having read everything.
    public static func runs(under logDirectory: String) throws -> [(run: String, files: [String])] {
        let scan = LogDirectoryScan(root: logDirectory)
        if let unreadable = scan.unreadable.first {
            throw EventFileError.record(file: unreadable.path, .io(unreadable))
        }
        return scan.runs
    }

    /// The event files `path` names: the file itself, or every event file below a directory,
    /// run by run (what `tfevents validate` and `EventFileValidator.validate(path:)` check).
    /// - Throws: `EventFileError.record(…, .io)` when `path` does not exist or cannot be
    ///   listed; `.noEventFiles` when a directory holds no event file at any depth.
    public static func eventFiles(at path: String) throws -> [String] {
        guard try DirectoryEntry.isDirectory(path) else { return [path] }
        let files = try runs(under: path).flatMap(\.files)
        guard !files.isEmpty else { throw EventFileError.noEventFiles(path: path) }
        return files
    }
}

/// What kind of file a path names (symbolic links followed).
enum DirectoryEntry {
    /// Whether `path` is a directory (false for any other kind of file).
    /// - Throws: `EventFileError.record(…, .io)` when `path` does not exist or cannot be
    ///   examined.
    static func isDirectory(_ path: String) throws -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw EventFileError.record(file: path, .io(IOError(operation: "stat", path: path, code: errno)))
        }
        return status.st_mode & S_IFMT == S_IFDIR
    }
}
