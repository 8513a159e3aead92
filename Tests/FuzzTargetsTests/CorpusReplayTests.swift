import Foundation
import Testing
import FuzzTargets
import MNIST
import TFCore
import TensorBoard

/// Every committed corpus input (seeds, and inputs that once crashed a target) runs through
/// its target on every test run, so a fixed finding stays fixed.
struct CorpusReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzCorpus").path

    static func inputs(_ target: FuzzTarget) throws -> [(name: String, bytes: [UInt8])] {
        let directory = corpus + "/" + target.rawValue
        return try FileManager.default.contentsOfDirectory(atPath: directory).sorted().map {
            ($0, Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0))))
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func committedCorpusRunsClean(_ target: FuzzTarget) throws {
        let inputs = try Self.inputs(target)
        #expect(inputs.contains { $0.name.hasPrefix("seed-") }, "\(target.rawValue) has no seeds")
        for input in inputs { target.run(input.bytes) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func generatedSeedsRunClean(_ target: FuzzTarget) throws {
        let seeds = try target.seeds()
        #expect(!seeds.isEmpty)
        for seed in seeds { target.run(seed) }
    }

    /// Seeds are only useful if they are valid inputs that reach the deep code.
    @Test func seedsAreValidInputs() throws {
        for seed in try FuzzTarget.recordReader.seeds().prefix(1) {
            #expect(EventFileValidator.validate(bytes: seed).isClean)
            #expect(try EventFileReader(bytes: seed).readAll().count == 6)
        }
        let idx = try FuzzTarget.idxParser.seeds()
        #expect(try IDXFile.images(from: idx[0], name: "seed").count == 2)
        #expect(try IDXFile.labels(from: idx[1], name: "seed") == [0, 9, 4])
        let checkpoint = try FuzzTarget.checkpointReader.seeds()[0]
        let length = Int(checkpoint[0]) | Int(checkpoint[1]) << 8
        let reader = try CheckpointReader(index: Array(checkpoint[4..<(4 + length)]), data: Array(checkpoint[(4 + length)...]))
        #expect(Set(reader.variables.keys) == ["layer/weights", "layer/biases", "global_step"])
        #expect(try reader.tensor("layer/weights").floats == [1, 2, 3, 4, 5, 6])
        #expect(try reader.tensor("global_step").int32s == [7])
    }
}
