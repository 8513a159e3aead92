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
    /// The event files directly inside `directory`, in name order (TensorBoard's order).
    /// - Throws: `EventFileError.record(…, .io)` when `directory` does not exist, is not a
    ///   directory or cannot be listed. An existing directory without event files gives `[]`.
    public static func eventFiles(inRun directory: String) throws -> [String] {
        try DirectoryEntry.list(directory).filter { !$0.isDirectory && EventFileName.isEventFile($0.name) }
            .map(\.name).sorted().map { (directory as NSString).appendingPathComponent($0) }
    }

    /// Every run under `logDirectory`: directories (the root is `"."`) that directly hold
    /// event files, as TensorBoard finds them, sorted by name. A directory reached twice
    /// through symbolic links is read once.
    /// - Throws: `EventFileError.record(…, .io)` when a directory cannot be listed.
    public static func runs(under logDirectory: String) throws -> [(run: String, files: [String])] {
        var result: [(String, [String])] = []
        var pending = [""]
        var visited: Set<String> = []
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? logDirectory : (logDirectory as NSString).appendingPathComponent(relative)
            guard visited.insert((directory as NSString).resolvingSymlinksInPath).inserted else { continue }
            let entries = try DirectoryEntry.list(directory)
            let files = entries.filter { !$0.isDirectory && EventFileName.isEventFile($0.name) }.map(\.name).sorted()
            if !files.isEmpty {
                result.append((relative.isEmpty ? "." : relative, files.map { (directory as NSString).appendingPathComponent($0) }))
            }
            for child in entries where child.isDirectory {
                pending.append(relative.isEmpty ? child.name : (relative as NSString).appendingPathComponent(child.name))
            }
        }
        return result.sorted { $0.0 < $1.0 }
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

/// A name in a directory, and whether it is a directory itself (symbolic links followed).
struct DirectoryEntry {
    var name: String
    var isDirectory: Bool

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

    /// The entries of `directory` other than `.` and `..`, in no particular order.
    /// - Throws: `EventFileError.record(…, .io)` naming the failed call.
    static func list(_ directory: String) throws -> [DirectoryEntry] {
        guard let stream = opendir(directory) else {
            throw EventFileError.record(file: directory, .io(IOError(operation: "opendir", path: directory, code: errno)))
        }
        defer { closedir(stream) }
        var entries: [DirectoryEntry] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                guard errno == 0 else {
                    throw EventFileError.record(file: directory, .io(IOError(operation: "readdir", path: directory, code: errno)))
                }
                return entries
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            // An entry that vanished or is a dangling link counts as a file; reading it
            // reports the problem if it is an event file.
            entries.append(DirectoryEntry(name: name, isDirectory: (try? isDirectory(path)) ?? false))
        }
    }
}
