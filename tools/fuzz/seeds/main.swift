// Writes each fuzz target's seed inputs to DIRECTORY/<target>/seed-<n>.
// Usage: fuzz-seeds DIRECTORY   (tools/fuzz/run --seeds runs it into Tests/FuzzCorpus)
import Foundation
import FuzzTargets

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: fuzz-seeds DIRECTORY\n".utf8))
    exit(2)
}
do {
    for target in FuzzTarget.allCases {
        let directory = (arguments[1] as NSString).appendingPathComponent(target.rawValue)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (number, seed) in try target.seeds().enumerated() {
            try Data(seed).write(to: URL(fileURLWithPath: directory + "/seed-\(number)"))
        }
    }
} catch {
    FileHandle.standardError.write(Data("fuzz-seeds: \(error)\n".utf8))
    exit(1)
}
