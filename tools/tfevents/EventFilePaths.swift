import Foundation
import TFRecord
import TensorBoard

/// Event files named by command-line paths: a file is itself; a directory contributes every
/// event file below it, run by run.
/// - Throws: `EventFileError` for a path that does not exist or cannot be listed, or a
///   directory holding no event file.
func eventFiles(in paths: [String]) throws -> [String] {
    var files: [String] = []
    for path in paths {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ToolError("\(path): no such file or directory")
        }
        if isDirectory.boolValue {
            let found = try scan(path).runs.flatMap(\.files)
            guard !found.isEmpty else {
                throw ToolError("\(path): no event files (names containing \"tfevents\") below it")
            }
            files += found
        } else {
            try requireRegularFile(path)
            files.append(path)
        }
    }
    return files
}

/// The runs below each path (a file is a run of its own, named by the file).
/// - Throws: as `eventFiles(in:)`.
func runs(in paths: [String]) throws -> [(run: String, files: [String])] {
    var result: [(run: String, files: [String])] = []
    for path in paths {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ToolError("\(path): no such file or directory")
        }
        if isDirectory.boolValue {
            let found = try scan(path).runs
            guard !found.isEmpty else {
                throw ToolError("\(path): no event files (names containing \"tfevents\") below it")
            }
            result += found
        } else {
            try requireRegularFile(path)
            result.append((path, [path]))
        }
    }
    return result
}

/// Walks a log directory: what is skipped (FIFOs, devices, sockets, directories reached a
/// second time) is named in a warning; what cannot be read is an error (exit 2), so no
/// subcommand reports on a directory it did not read.
private func scan(_ directory: String) throws -> LogDirectoryScan {
    let scan = LogDirectoryScan(root: directory)
    for note in scan.skipped { printError("tfevents: warning: \(note)") }
    guard scan.unreadable.isEmpty else {
        throw ToolError(scan.unreadable.map {
            "cannot read \($0.path): \($0.reason); nothing below it was checked (fix its permissions, or run as a user who can read it)"
        }.joined(separator: "\n"))
    }
    return scan
}

/// Refuses a named path that is not a regular file: opening a FIFO could block forever.
private func requireRegularFile(_ path: String) throws {
    var info = stat()
    guard stat(path, &info) == 0 else { return }
    guard info.st_mode & S_IFMT == S_IFREG else {
        throw ToolError("\(path): \(PosixFile.kind(ofMode: info.st_mode)), not a regular file; name an event file or a log directory")
    }
}
