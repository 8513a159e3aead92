import Foundation
import TFRecord

/// Checks on a path a subcommand writes (`export -o`, `repair -o`).
enum OutputPath {
    /// Refuses `output` when it is one of `inputs` (under any name: links, `..`), or a
    /// directory: writing there would destroy what is being read.
    static func refuseOverwritingInput(_ output: String, inputs: [String]) throws {
        var target = stat()
        guard stat(output, &target) == 0 else { return }
        if target.st_mode & S_IFMT == S_IFDIR {
            throw ToolError("--output \(output) is a directory; name a file to write (for example \(output)/scalars.csv)")
        }
        for input in inputs {
            var source = stat()
            if stat(input, &source) == 0, source.st_dev == target.st_dev, source.st_ino == target.st_ino {
                throw ToolError("--output \(output) is the input file \(input); choose another output path")
            }
        }
    }
}
