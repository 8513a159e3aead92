import Testing
import TrainerTestSupport
import TFCore
@testable import TFGraph

struct GraphTests {
    @Test func uniqueNamesFollowTensorFlow() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [2, 2], name: "x")
        #expect(try g.matMul(x, x).operation.name == "MatMul")
        #expect(try g.matMul(x, x).operation.name == "MatMul_1")
        #expect(try g.matMul(x, x, name: "matmul").operation.name == "matmul_2")
        #expect(g.uniqueName("MatMul_1") == "MatMul_1_1")
    }

    @Test func nameScopesNestAndAreRestoredAfterAThrow() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [2], name: "x")
        let inner = try g.withNameScope("outer") { try g.withNameScope("inner") { try g.relu(x) } }
        #expect(inner.operation.name == "outer/inner/Relu")
        struct Boom: Error {}
        #expect(throws: Boom.self) { try g.withNameScope("failing") { throw Boom() } }
        #expect(g.currentScope == "")
        #expect(try g.withNameScope("outer") { try g.relu(x) }.operation.name == "outer_1/Relu")
        #expect(throws: GraphError.invalidName("bad name!")) { try g.withNameScope("bad name!") {} }
    }

    @Test func anOutputTheOperationDoesNotHaveIsAThrownError() throws {
        let g = Graph()
        let nothing = g.noOp(name: "nothing")
        #expect(throws: GraphError.invalidArgument("nothing (NoOp) has 0 outputs: there is no output 0")) { try nothing.output }
        #expect(nothing.outputs.isEmpty)
        let x = g.placeholder(.float32, shape: [2], name: "x")
        #expect(throws: GraphError.invalidArgument("x (Placeholder) has 1 outputs: there is no output 1")) { try x.operation.output(1) }
        #expect(throws: GraphError.self) { try Output(x.operation, -1) }
        #expect(try x.operation.output == x && x.operation.outputs == [x])
        #expect(try Output(x.operation, 0) == x)
    }

    @Test func mechanics101GraphHasTheTutorialsNodes() throws {
        let model = try MNISTGraphFixture.make()
        let names = Set(model.graph.graphDef().node.map(\.name))
        for name in [
            "Placeholder", "Placeholder_1", "hidden1/weights", "hidden1/weights/Assign", "hidden1/weights/read",
            "hidden1/biases", "hidden1/MatMul", "hidden1/add", "hidden1/Relu", "hidden1/truncated_normal",
            "hidden1/truncated_normal/TruncatedNormal", "hidden2/Relu", "softmax_linear/weights", "softmax_linear/add",
            "xentropy", "xentropy_mean", "loss", "loss/tags", "global_step", "GradientDescent",
            "GradientDescent/update_hidden1/weights/ApplyGradientDescent", "GradientDescent/update",
            "gradients/hidden1/MatMul_grad/MatMul_1", "gradients/xentropy_grad/mul", "in_top_k/InTopKV2",
            "Merge/MergeSummary", "init",
        ] {
            #expect(names.contains(name), "missing node \(name)")
        }
        let ops = Dictionary(model.graph.graphDef().node.map { ($0.name, $0.op) }, uniquingKeysWith: { a, _ in a })
        #expect(ops["hidden1/MatMul"] == "MatMul")
        #expect(ops["hidden1/weights"] == "VariableV2")
        #expect(ops["xentropy"] == "SparseSoftmaxCrossEntropyWithLogits")
        #expect(ops["xentropy_mean"] == "Mean")
        #expect(ops["GradientDescent"] == "AssignAdd")
        #expect(ops["loss"] == "ScalarSummary")
        // As TensorFlow builds it: the increment's constant waits for the updates, and the
        // AssignAdd, which reads that constant, needs no control input of its own.
        let nodes = Dictionary(model.graph.graphDef().node.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(nodes["GradientDescent"]?.input == ["global_step", "GradientDescent/value"])
        #expect(nodes["GradientDescent/value"]?.input == ["^GradientDescent/update"])
        #expect(nodes["GradientDescent"]?.attr["_output_shapes"] != nil)
        let variables = model.graph.globalVariables.map(\.name)
        #expect(variables == ["hidden1/weights", "hidden1/biases", "hidden2/weights", "hidden2/biases",
                              "softmax_linear/weights", "softmax_linear/biases", "global_step"])
        #expect(model.globalStep.dtype == .int32)
    }

    @Test func slotVariablesAreNamedAsTensorFlowNamesThem() throws {
        let g = Graph(randomSeed: 1)
        let x = g.placeholder(.float32, shape: [nil, 3], name: "x")
        let w = try g.withNameScope("layer") { try g.variable(g.truncatedNormal([3, 1], stddev: 0.1), name: "weights") }
        let loss = try g.reduceMean(g.square(g.matMul(x, w)))
        _ = try MomentumOptimizer(learningRate: 0.1, momentum: 0.9).minimize(loss)
        _ = try AdamOptimizer().minimize(loss)
        let names = g.globalVariables.map(\.name)
        #expect(names.contains("layer/weights/Momentum"))
        #expect(names.contains("layer/weights/Adam"))
        #expect(names.contains("layer/weights/Adam_1"))
        #expect(names.contains("beta1_power"))
    }
}
