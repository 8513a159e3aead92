import Foundation
import TFRecord

/// The runs below a log directory, found the way TensorBoard finds them (directories that
/// directly hold files whose names contain "tfevents"), walked safely:
///
/// - only regular files are taken as event files; a FIFO, device or socket with such a
///   name is listed in `skipped` (opening it could block forever);
/// - a directory reached a second time (a symbolic-link loop, two links to one directory)
///   is not walked again, and is listed in `skipped`;
/// - a directory that cannot be listed, or an event file that cannot be examined, is in
///   `unreadable`: a check over the directory must not pass without having read it.
public struct LogDirectoryScan: Sendable {
    /// Runs (relative directory names, the root is `"."`) and their event files, by name.
    public var runs: [(run: String, files: [String])] = []
    /// What was passed over, one sentence each ("…: a FIFO, not a regular file; skipped").
    public var skipped: [String] = []
    /// Directories and files that could not be read.
    public var unreadable: [IOError] = []

    /// Walks `root` (a directory).
    public init(root: String) {
        var visited = Set<FileIdentity>()
        var pending = [""]
        if let identity = FileIdentity(path: root) { visited.insert(identity) }
        var found: [(String, [String])] = []
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
            let names: [String]
            do throws(IOError) {
                names = try DirectoryListing.names(in: directory)
            } catch {
                unreadable.append(error)
                continue
            }
            var files: [String] = []
            var children: [String] = []
            for name in names {
                let path = (directory as NSString).appendingPathComponent(name)
                var info = stat()
                guard stat(path, &info) == 0 else {
                    if EventFileName.isEventFile(name) { unreadable.append(IOError(operation: "stat", path: path, code: errno)) }
                    continue
                }
                if info.st_mode & S_IFMT == S_IFDIR {
                    let identity = FileIdentity(info)
                    guard !visited.contains(identity) else {
                        skipped.append("\(path): a link to a directory already scanned (a loop?); not followed again")
                        continue
                    }
                    visited.insert(identity)
                    children.append(relative.isEmpty ? name : (relative as NSString).appendingPathComponent(name))
                } else if EventFileName.isEventFile(name) {
                    if info.st_mode & S_IFMT == S_IFREG {
                        files.append(path)
                    } else {
                        skipped.append("\(path): \(PosixFile.kind(ofMode: info.st_mode)), not a regular file; skipped")
                    }
                }
            }
            if !files.isEmpty { found.append((relative.isEmpty ? "." : relative, files)) }
            pending.append(contentsOf: children.reversed())
        }
        runs = found.sorted { $0.0 < $1.0 }
    }
}

/// A file's device and inode: the same file under any name.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }
}
