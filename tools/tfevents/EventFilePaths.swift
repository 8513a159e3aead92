import Foundation
import TensorBoard

/// Event files named by command-line paths: a file is itself; a directory contributes every
/// event file below it, run by run.
func eventFiles(in paths: [String]) throws -> [String] {
    var files: [String] = []
    for path in paths {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ToolError("\(path): no such file or directory")
        }
        if isDirectory.boolValue {
            let found = EventFileReader.runs(under: path).flatMap(\.files)
            guard !found.isEmpty else {
                throw ToolError("\(path): no event files (names containing \"tfevents\") below it")
            }
            files += found
        } else {
            files.append(path)
        }
    }
    return files
}

/// The runs below each path (a file is a run of its own, named by the file).
func runs(in paths: [String]) throws -> [(run: String, files: [String])] {
    var result: [(run: String, files: [String])] = []
    for path in paths {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ToolError("\(path): no such file or directory")
        }
        if isDirectory.boolValue {
            let found = EventFileReader.runs(under: path)
            guard !found.isEmpty else {
                throw ToolError("\(path): no event files (names containing \"tfevents\") below it")
            }
            result += found
        } else {
            result.append((path, [path]))
        }
    }
    return result
}
