import Testing
import TFCore

/// A graph's ops only take tensors and operations of the same graph: anything else is a
/// thrown `GraphError` naming both, never a trap, also when the other graph is gone.
struct GraphOwnershipTests {
    @Test func anInputOfAnotherGraphIsAThrownError() throws {
        let g = Graph()
        let other = Graph()
        let x = g.placeholder(.float32, shape: [2], name: "x")
        let y = other.placeholder(.float32, shape: [2], name: "y")
        #expect(throws: GraphError.foreignInput(op: "add", input: "y:0")) { try g.add(x, y) }
        #expect(throws: GraphError.foreignInput(op: "Identity", input: "y:0")) { try g.identity(y) }
        #expect(throws: GraphError.foreignInput(op: "Cast", input: "y:0")) { try g.cast(y, to: .int32) }
        #expect(throws: GraphError.foreignInput(op: "Shape", input: "y:0")) { try g.shape(of: y) }
        #expect(throws: GraphError.foreignInput(op: "Size", input: "y:0")) { try g.size(of: y) }
        #expect(throws: GraphError.foreignInput(op: "Reshape", input: "y:0")) { try g.reshape(y, to: [2, 1]) }
        #expect(throws: GraphError.foreignInput(op: "variable v", input: "y:0")) { try g.variable(y, name: "v") }
        #expect(throws: GraphError.foreignInput(op: "gradients", input: "y:0")) { try g.gradients(of: y, withRespectTo: [x]) }
        #expect(throws: GraphError.foreignInput(op: "group_deps", input: "y")) { try g.group([y.operation]) }
        let error = #expect(throws: GraphError.self) { try g.mul(x, y) }
        #expect(
            error?.description
                == "mul: y:0 belongs to another graph: build each op from tensors and operations of the graph it is added to")
        // Nothing was added for the refused ops, and the graph still builds.
        #expect(g.operations.map(\.name) == ["x"])
        #expect(try g.add(x, x).operation.name == "add")
    }

    @Test func aControlDependencyOfAnotherGraphIsRefusedBeforeTheBlockRuns() throws {
        let g = Graph()
        let other = Graph()
        let foreign = other.noOp(name: "elsewhere")
        var ran = false
        #expect(throws: GraphError.foreignInput(op: "withControlDependencies", input: "elsewhere")) {
            try g.withControlDependencies([foreign]) { ran = true }
        }
        #expect(!ran)
        // An op of the graph's own is taken as before.
        let first = g.noOp(name: "first")
        let second = try g.withControlDependencies([first]) { g.noOp(name: "second") }
        #expect(second.controlInputs == [first])
    }

    @Test func aSummaryOfAnotherGraphInTheCollectionIsRefusedByTheMerge() throws {
        let g = Graph()
        let other = Graph()
        let value = other.placeholder(.float32, shape: [], name: "value")
        let summary = try other.scalarSummary("loss", value)
        g.addToCollection(.summaries, summary)
        #expect(throws: GraphError.foreignInput(op: "Merge/MergeSummary", input: summary.name)) { try g.mergeAllSummaries() }
        #expect(throws: GraphError.foreignInput(op: "loss", input: "value:0")) { try g.scalarSummary("loss", value) }
    }

    @Test func tensorsOfAGraphThatIsGoneAreRefusedNotTrappedOn() throws {
        func orphan() throws -> (loss: Output, value: Output) {
            let gone = Graph()
            let x = gone.placeholder(.float32, shape: [], name: "x")
            let weight = try gone.variable(gone.constant(1, name: "initial"), name: "w")
            return (try gone.mul(x, weight, name: "loss"), x)
        }
        let (loss, x) = try orphan()
        #expect(loss.graph == nil)
        #expect(throws: GraphError.deallocatedGraph(tensor: "loss:0")) {
            try GradientDescentOptimizer(learningRate: 0.1).minimize(loss)
        }
        let g = Graph()
        #expect(throws: GraphError.foreignInput(op: "Identity", input: "x:0")) { try g.identity(x) }
        let session = Session(graph: g)
        #expect(throws: SessionError.foreignGraph(name: "loss:0")) { try session.run(loss) }
        #expect(throws: SessionError.foreignGraph(name: "x:0")) {
            try session.run(fetches: [], feeding: [x: Tensor(Float(1))])
        }
    }

    @Test func optimizersRefuseVariablesOfAnotherGraph() throws {
        let g = Graph()
        let other = Graph()
        let x = g.placeholder(.float32, shape: [], name: "x")
        let w = try g.variable(g.constant(1, name: "initial"), name: "w")
        let loss = try g.mul(x, w, name: "loss")
        let foreign = try other.variable(other.constant(1, name: "initial"), name: "foreign")
        #expect(throws: GraphError.foreignInput(op: "gradients", input: "foreign/read:0")) {
            try GradientDescentOptimizer(learningRate: 0.1).minimize(loss, variables: [foreign])
        }
        let step = try other.variable(other.constant(Tensor(Int32(0)), name: "step0"), name: "step", trainable: false)
        #expect(throws: GraphError.foreignInput(op: "applyGradients", input: "step:0")) {
            try GradientDescentOptimizer(learningRate: 0.1).minimize(loss, globalStep: step)
        }
    }

    @Test func sessionsRefuseVariablesOfAnotherGraph() throws {
        let g = Graph()
        let other = Graph()
        let foreign = try other.variable(other.constant(1, name: "initial"), name: "foreign")
        let session = Session(graph: g)
        #expect(throws: SessionError.foreignGraph(name: "foreign")) { try session.value(of: foreign) }
        #expect(throws: SessionError.foreignGraph(name: "foreign")) { try session.setValue(Tensor(Float(2)), of: foreign) }
    }

    @Test func shapesNoTensorHasAreRefusedWhereTheyAreGiven() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [2, 3], name: "x")
        #expect(throws: GraphError.self) { try g.zeros([2, -1]) }
        #expect(throws: GraphError.self) { try g.zeros([Int.max, 2]) }
        #expect(throws: GraphError.self) { try g.constant(1, shape: [Int.max, 2]) }
        #expect(throws: GraphError.self) { try g.reshape(x, to: [Int(Int32.max), Int(Int32.max), Int(Int32.max)]) }
        let negative = g.placeholder(.float32, shape: [-2], name: "negative")
        #expect(throws: GraphError.self) { try g.variable(negative, name: "v") }
        let error = #expect(throws: GraphError.self) { try g.zeros([2, -1]) }
        #expect(error?.description == "zeros: Tensor: shape [2, -1] has dimension -1 at axis 1: dimensions must be 0 or more")
    }
}
