import Foundation
import Testing
import TrainerTestSupport
import TFProtos
import TFRecord
import TestSupport
import TFCore
@testable import TFCheckpoint
@testable import TFGraph

/// The meta graph, with collections as TensorFlow 1 writes them for the tutorial
/// (observed in TensorFlow 2.21's `model.ckpt-N.meta`), and its `.meta` files.
struct MetaGraphTests {
    @Test func metaGraphHoldsGraphSaverAndCollections() throws {
        let model = try MNISTGraphFixture.make()
        let saver = Saver(graph: model.graph)
        let meta = try model.graph.metaGraphDef(saver: saver)
        #expect(meta.graphDef == model.graph.graphDef())
        #expect(meta.saverDef == saver.saverDef)
        #expect(Set(meta.collectionDef.keys) == ["variables", "trainable_variables", "train_op", "summaries"])
        #expect(meta.collectionDef["train_op"]?.nodeList.value == ["GradientDescent"])
        #expect(meta.collectionDef["summaries"]?.nodeList.value == ["loss:0"])

        let variables = try (meta.collectionDef["variables"]?.bytesList.value ?? []).map { try Tensorflow_VariableDef(serializedBytes: $0) }
        #expect(variables.map(\.variableName) == model.graph.globalVariables.map { $0.name + ":0" })
        let weights = try #require(variables.first)
        #expect(weights.initializerName == "hidden1/weights/Assign")
        #expect(weights.snapshotName == "hidden1/weights/read:0")
        #expect(weights.initialValueName == "hidden1/truncated_normal:0")
        #expect(weights.trainable && !weights.isResource)
        let step = try #require(variables.last)
        #expect(step.variableName == "global_step:0" && step.initialValueName == "global_step/initial_value:0" && !step.trainable)
        let trainable = try (meta.collectionDef["trainable_variables"]?.bytesList.value ?? []).map { try Tensorflow_VariableDef(serializedBytes: $0) }
        #expect(trainable == Array(variables.dropLast()))
    }

    @Test func withoutASaverThereIsNoSaverDef() throws {
        let model = try MNISTGraphFixture.make()
        let meta = try model.graph.metaGraphDef()
        #expect(!meta.hasSaverDef)
        #expect(meta.collectionDef["train_op"]?.nodeList.value == ["GradientDescent"])
    }

    @Test func eachSaveWritesItsMetaGraphAndRotationDeletesIt() throws {
        let (model, session) = try CheckpointTests.trainedSession()
        let directory = makeTemporaryDirectory("ckpt-meta")
        let saver = Saver(graph: model.graph, maxToKeep: 1)
        try saver.save(session, prefix: directory + "/model.ckpt", globalStep: 1)
        let meta = try Tensorflow_MetaGraphDef(serializedBytes: readFileBytes(directory + "/model.ckpt-1.meta"))
        #expect(meta.saverDef == saver.saverDef && meta.graphDef.node.count == model.graph.operations.count)
        // The same graph gives the same bytes (map entries in key order).
        try saver.save(session, prefix: directory + "/model.ckpt", globalStep: 2)
        #expect(try readFileBytes(directory + "/model.ckpt-2.meta") == (try model.graph.metaGraphDef(saver: saver).deterministicBytes()))
        #expect(!FileManager.default.fileExists(atPath: directory + "/model.ckpt-1.meta"))
        try saver.save(session, prefix: directory + "/model.ckpt", globalStep: 3, writeMetaGraph: false)
        #expect(try DirectoryListing.names(in: directory) == ["checkpoint", "model.ckpt-3.data-00000-of-00001", "model.ckpt-3.index"])
    }

    /// TensorFlow runs ops that do not depend on each other in any order, and an update
    /// writes its variable in place: each update waits for the step's other reads of it.
    @Test func updatesWaitForTheStepsReadsOfTheirVariable() throws {
        let model = try MNISTGraphFixture.make()
        let nodes = Dictionary(model.graph.graphDef().node.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let controls = { (name: String) in nodes[name]?.input.filter { $0.hasPrefix("^") } ?? [] }
        #expect(controls("GradientDescent/update_softmax_linear/weights/ApplyGradientDescent") == ["^gradients/softmax_linear/MatMul_grad/MatMul"])
        #expect(controls("GradientDescent/update_hidden2/weights/ApplyGradientDescent") == ["^gradients/hidden2/MatMul_grad/MatMul"])
        // The first layer's backprop product is not part of the step; biases are read only
        // on the way forward, which their gradients already follow.
        #expect(controls("GradientDescent/update_hidden1/weights/ApplyGradientDescent").isEmpty)
        #expect(controls("GradientDescent/update_hidden1/biases/ApplyGradientDescent").isEmpty)
    }

    /// TensorFlow's rule: inside `withControlDependencies`, an op fed by an op made inside
    /// the same block already waits through it, so only the first ones get control inputs.
    @Test func controlInputsAreNotRepeatedDownstreamInsideABlock() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [1], name: "x")
        let first = g.noOp(name: "first")
        let (a, b) = try g.withControlDependencies([first]) {
            let a = try g.relu(x, name: "a")
            return (a, try g.relu(a, name: "b"))
        }
        #expect(a.operation.controlInputs == [first])
        #expect(b.operation.controlInputs.isEmpty)
    }
}
