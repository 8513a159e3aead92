import Foundation
import TensorBoard

/// Event files named by command-line paths: a file is itself; a directory contributes every
/// event file below it, run by run.
/// - Throws: `EventFileError` for a path that does not exist or cannot be listed, or a
///   directory holding no event file.
func eventFiles(in paths: [String]) throws -> [String] {
    try paths.flatMap { try EventFileReader.eventFiles(at: $0) }
}

/// The runs below each path (a file is a run of its own, named by the file).
/// - Throws: as `eventFiles(in:)`.
func runs(in paths: [String]) throws -> [(run: String, files: [String])] {
    var result: [(run: String, files: [String])] = []
    for path in paths {
        let files = try EventFileReader.eventFiles(at: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            result += try EventFileReader.runs(under: path)
        } else {
            result.append((path, files))
        }
    }
    return result
}
