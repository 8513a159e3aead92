import Foundation
import Mechanics101
import Testing
import TrainerTestSupport
import TFCore
@testable import TFCheckpoint
import TestSupport

struct CheckpointTests {
    /// FORMAT.md §6.4: TensorFlow's SaveV2 output for global_step = int64 5, w = float32 [1, 2].
    @Test func bundleIsByteIdenticalToTensorFlows() throws {
        let (data, index) = try TensorBundle.encode([
            .init(name: "global_step", dtype: .int64, shape: [], bytes: [5, 0, 0, 0, 0, 0, 0, 0]),
            .init(name: "w", dtype: .float32, shape: [2], bytes: [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]),
        ])
        #expect(data == hexBytes("05 00 00 00 00 00 00 00 00 00 80 3f 00 00 00 40"))
        let expected = hexBytes("""
            00 00 06 08 01 1a 02 08 01
            00 0b 0b 67 6c 6f 62 61 6c 5f 73 74 65 70 08 09 12 00 28 08 35 ea b2 04 3e
            00 01 11 77 08 01 12 04 12 02 08 02 20 08 28 08 35 59 3c e5 35
            00 00 00 00 01 00 00 00
            00 80 ce b5 34
            00 00 00 00 01 00 00 00 00 c0 f2 a1 b0
            00 01 02 78 00 3f 00 00 00 00 01 00 00 00
            00 f8 4d 77 f5
            44 08 51 0e 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            57 fb 80 8b 24 75 47 db
            """)
        #expect(index.count == 148)
        #expect(index == expected)
    }

    @Test func tableRoundTripsManyKeysAcrossBlocks() throws {
        let entries = (0..<20_000).map { i in (key: Array(String(format: "var/%06d", i).utf8), value: [UInt8](repeating: UInt8(i % 256), count: 20)) }
        let bytes = Table.build(entries)
        let read = try Table.read(bytes, path: "t")
        #expect(read.count == entries.count)
        #expect(zip(read, entries).allSatisfy { $0.key == $1.key && $0.value == $1.value })
    }

    static func trainedSession() throws -> (MNISTTrainingGraph, Session) {
        let model = try MNISTGraphFixture.make(batchSize: 2, seed: 3)
        let session = Session(graph: model.graph)
        try session.run(model.initializer)
        let feed = [model.images: try Tensor(floats: (0..<1568).map { Float($0 % 7) / 7 }, shape: [2, 784]),
                    model.labels: try Tensor(int32s: [3, 4], shape: [2])]
        for _ in 0..<3 { try session.run(model.trainOp, feeding: feed) }
        return (model, session)
    }

    @Test func saveRestoreRoundTripAndRotation() throws {
        let (model, session) = try Self.trainedSession()
        let directory = makeTemporaryDirectory("ckpt")
        let saver = Saver(graph: model.graph, maxToKeep: 2)
        for step in [1, 2, 3] { try saver.save(session, prefix: directory + "/model.ckpt", globalStep: step) }
        #expect(Saver.latestCheckpoint(in: directory) == directory + "/model.ckpt-3")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        // Each save writes its meta graph too; rotation deletes model.ckpt-1's with the rest.
        #expect(files == ["checkpoint", "model.ckpt-2.data-00000-of-00001", "model.ckpt-2.index", "model.ckpt-2.meta",
                          "model.ckpt-3.data-00000-of-00001", "model.ckpt-3.index", "model.ckpt-3.meta"])
        let state = try String(contentsOfFile: directory + "/checkpoint", encoding: .utf8)
        #expect(state.contains("model_checkpoint_path: \"model.ckpt-3\""))

        let fresh = Session(graph: model.graph)
        try Saver(graph: model.graph).restore(fresh, from: directory + "/model.ckpt-3")
        for variable in model.graph.globalVariables {
            #expect(try fresh.value(of: variable) == session.value(of: variable), "\(variable.name)")
        }
        #expect(try fresh.value(of: model.globalStep).int32s == [3])
    }

    @Test func damageIsReportedNamingTheVariableOrFile() throws {
        let (model, session) = try Self.trainedSession()
        let directory = makeTemporaryDirectory("damaged")
        let prefix = try Saver(graph: model.graph).save(session, prefix: directory + "/model.ckpt", globalStep: 7)

        var data = try readFileBytes(TensorBundle.dataPath(prefix))
        data[4 * 784 * 128 + 10] ^= 1  // inside hidden1/biases, after hidden1/weights
        try writeFileBytes(data, to: TensorBundle.dataPath(prefix))
        #expect(throws: CheckpointError.corruptData("hidden1/biases", reason: "checksum does not match")) {
            try Saver(graph: model.graph).restore(Session(graph: model.graph), from: prefix)
        }

        var index = try readFileBytes(TensorBundle.indexPath(prefix))
        index[20] ^= 1
        try writeFileBytes(index, to: TensorBundle.indexPath(prefix))
        #expect {
            try Saver(graph: model.graph).restore(Session(graph: model.graph), from: prefix)
        } throws: { error in
            guard case .corruptIndex(let path, let reason) = error as? CheckpointError else { return false }
            return path == TensorBundle.indexPath(prefix) && reason.contains("checksum")
        }

        #expect(throws: CheckpointError.missingFile(directory + "/nothing.index")) {
            try Saver(graph: model.graph).restore(Session(graph: model.graph), from: directory + "/nothing")
        }
    }

    @Test func mismatchedGraphIsNamed() throws {
        let (model, session) = try Self.trainedSession()
        let directory = makeTemporaryDirectory("mismatch")
        let prefix = try Saver(graph: model.graph).save(session, prefix: directory + "/model.ckpt")
        let other = try MNISTTrainingGraphFixtureWide.make()
        #expect(throws: CheckpointError.shapeMismatch("hidden1/weights", graph: [784, 64], checkpoint: [784, 128])) {
            try Saver(graph: other.graph).restore(Session(graph: other.graph), from: prefix)
        }
        let g = Graph()
        let extra = try g.variable(g.zeros([1]), name: "not_saved")
        #expect(throws: CheckpointError.missingVariable("not_saved", checkpoint: prefix)) {
            try Saver(graph: g, variables: [extra]).restore(Session(graph: g), from: prefix)
        }
    }
}

enum MNISTTrainingGraphFixtureWide {
    static func make() throws -> MNISTTrainingGraph {
        try MNISTTrainingGraph(batchSize: 2, hidden1Units: 64, hidden2Units: 32, learningRate: 0.01, seed: 1)
    }
}
