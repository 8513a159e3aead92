import Foundation
import Testing
import TrainerTestSupport
import TFCore
@testable import TFCheckpoint
@testable import TFGraph
import TestSupport

/// The `save/` scope a Saver adds, node for node as TensorFlow 1's Saver builds it
/// (observed with TensorFlow 2.21's `tf.compat.v1.train.Saver` on the tutorial's graph).
struct SaverGraphTests {
    @Test func saveScopeMatchesTensorFlows() throws {
        let model = try MNISTGraphFixture.make()
        let before = model.graph.operations.count
        let saver = Saver(graph: model.graph)
        let added = model.graph.graphDef().node.dropFirst(before)
        let sorted = ["global_step", "hidden1/biases", "hidden1/weights", "hidden2/biases", "hidden2/weights",
                      "softmax_linear/biases", "softmax_linear/weights"]
        var expected: [(String, String, [String])] = [
            ("save/filename/input", "Const", []),
            ("save/filename", "PlaceholderWithDefault", ["save/filename/input"]),
            ("save/Const", "PlaceholderWithDefault", ["save/filename"]),
            ("save/SaveV2/tensor_names", "Const", []),
            ("save/SaveV2/shape_and_slices", "Const", []),
            ("save/SaveV2", "SaveV2", ["save/Const", "save/SaveV2/tensor_names", "save/SaveV2/shape_and_slices"] + sorted),
            ("save/control_dependency", "Identity", ["save/Const", "^save/SaveV2"]),
            ("save/RestoreV2/tensor_names", "Const", []),
            ("save/RestoreV2/shape_and_slices", "Const", []),
            ("save/RestoreV2", "RestoreV2", ["save/Const", "save/RestoreV2/tensor_names", "save/RestoreV2/shape_and_slices"]),
        ]
        for (index, name) in sorted.enumerated() {
            expected.append((index == 0 ? "save/Assign" : "save/Assign_\(index)", "Assign",
                             [name, index == 0 ? "save/RestoreV2" : "save/RestoreV2:\(index)"]))
        }
        expected.append(("save/restore_all", "NoOp", (0..<7).map { $0 == 0 ? "^save/Assign" : "^save/Assign_\($0)" }))
        #expect(added.map(\.name) == expected.map(\.0))
        for (node, (name, op, inputs)) in zip(added, expected) {
            #expect(node.op == op && node.input == inputs, "\(name)")
        }

        let nodes = Dictionary(added.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(nodes["save/filename/input"]?.attr["value"]?.tensor.stringVal == [Data("model".utf8)])
        #expect(nodes["save/SaveV2/tensor_names"]?.attr["value"]?.tensor.stringVal == sorted.map { Data($0.utf8) })
        #expect(nodes["save/RestoreV2/shape_and_slices"]?.attr["value"]?.tensor.stringVal == Array(repeating: Data(), count: 7))
        let dtypes: [DType] = [.int32] + Array(repeating: .float32, count: 6)
        #expect(nodes["save/SaveV2"]?.attr["dtypes"]?.list.type == dtypes.map(\.dataType))
        #expect(nodes["save/RestoreV2"]?.attr["dtypes"]?.list.type == dtypes.map(\.dataType))
        #expect(nodes["save/Const"]?.attr["dtype"]?.type == .dtString && nodes["save/Const"]?.attr["shape"]?.shape.dim.isEmpty == true)
        #expect(nodes["save/Assign_2"]?.attr["T"]?.type == .dtFloat && nodes["save/Assign"]?.attr["T"]?.type == .dtInt32)
        #expect(nodes["save/Assign_2"]?.attr["validate_shape"]?.b == true && nodes["save/Assign_2"]?.attr["use_locking"]?.b == true)

        let saverDef = try #require(saver.saverDef)
        #expect(saverDef.filenameTensorName == "save/Const:0")
        #expect(saverDef.saveTensorName == "save/control_dependency:0")
        #expect(saverDef.restoreOpName == "save/restore_all")
        #expect(saverDef.maxToKeep == 5 && saverDef.keepCheckpointEveryNHours == 10000 && saverDef.version == .v2)
        #expect(!saverDef.sharded)
    }

    @Test func aSecondSaverGetsItsOwnScope() throws {
        let model = try MNISTGraphFixture.make()
        _ = Saver(graph: model.graph)
        let second = Saver(graph: model.graph, maxToKeep: 2)
        #expect(second.saverDef?.restoreOpName == "save_1/restore_all")
        #expect(second.saverDef?.maxToKeep == 2)
    }

    @Test func nothingToSaveAddsNoOps() throws {
        let g = Graph()
        _ = g.placeholder(.float32, shape: [1], name: "x")
        let saver = Saver(graph: g)
        #expect(saver.saverDef == nil)
        #expect(g.operations.count == 1)
        let other = Graph()
        let foreign = try other.variable(other.zeros([1]), name: "v")
        #expect(Saver(graph: g, variables: [foreign]).saverDef == nil && g.operations.count == 1)
    }

    /// Our Session runs the filename default, and names `Saver` for what it does not run.
    @Test func runningTheSaveOpsInASessionIsAClearError() throws {
        let model = try MNISTGraphFixture.make()
        let saver = Saver(graph: model.graph)
        let session = Session(graph: model.graph)
        try session.run(model.initializer)
        let filename = try #require(model.graph.operation(named: "save/Const")).output
        #expect(try session.run(filename).strings == [Array("model".utf8)])
        #expect(try session.run(filename, feeding: [filename: try Tensor(strings: [Array("x".utf8)], shape: [])]).strings == [Array("x".utf8)])
        let save = try #require(model.graph.operation(named: "save/control_dependency")).output
        #expect(throws: SessionError.unsupported(op: "save/SaveV2", what: "running an op of type SaveV2 (this runtime has no kernel for it)")) {
            try session.run(save)
        }
        let restore = try #require(model.graph.operation(named: "save/restore_all"))
        #expect {
            try session.run(restore)
        } throws: { error in
            guard case .unsupported(let name, let message) = error as? SessionError else { return false }
            return name == "save/RestoreV2" && message.contains("RestoreV2")
        }
        // The graph still trains, and our Saver still saves.
        #expect(saver.saverDef != nil)
        try session.run(model.trainOp, feeding: [
            model.images: try Tensor(floats: [Float](repeating: 0.5, count: 78400), shape: [100, 784]),
            model.labels: try Tensor(int32s: [Int32](repeating: 1, count: 100), shape: [100]),
        ])
    }
}
