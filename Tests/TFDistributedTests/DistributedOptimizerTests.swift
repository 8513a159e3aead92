import Foundation
import TFCore
import TFDistributed
import Testing

/// `DistributedOptimizer` and `ProcessGroup` in one process, without MPI.
@Suite struct DistributedOptimizerTests {
    /// A small regression: `y = x w + b` with a mean squared loss.
    struct Model {
        let graph = Graph(randomSeed: 3)
        let inputs: Output
        let targets: Output
        let loss: Output

        init() throws {
            inputs = graph.placeholder(.float32, shape: [4, 3], name: "inputs")
            targets = graph.placeholder(.float32, shape: [4, 2], name: "targets")
            let weights = try graph.variable(graph.truncatedNormal([3, 2], stddev: 0.5), name: "weights")
            let biases = try graph.variable(graph.zeros([2]), name: "biases")
            let error = try graph.sub(graph.add(graph.matMul(inputs, weights), biases), targets)
            loss = try graph.reduceMean(graph.square(error))
        }

        func feed() throws -> [Output: Tensor] {
            [
                inputs: try Tensor(floats: (0..<12).map { Float($0) * 0.1 - 0.5 }, shape: [4, 3]),
                targets: try Tensor(floats: (0..<8).map { Float($0 % 3) }, shape: [4, 2]),
            ]
        }

        func train(_ trainOp: GraphOperation, group: ProcessGroup?, steps: Int) throws -> [Tensor] {
            let session = Session(graph: graph)
            group?.attach(to: session)
            try session.run(graph.globalVariablesInitializer())
            try group?.broadcastVariables(of: session)
            for _ in 0..<steps { try session.run(trainOp, feeding: feed()) }
            return try graph.trainableVariables.map { try session.value(of: $0) }
        }
    }

    @Test func oneAllreduceOpUnderItsOwnScopeFeedsEveryUpdate() throws {
        let model = try Model()
        let trainOp = try DistributedOptimizer(GradientDescentOptimizer(learningRate: 0.1)).minimize(model.loss)
        let allreduces = model.graph.operations.filter { $0.type == "AllreduceMean" }
        try #require(allreduces.count == 1)
        let allreduce = allreduces[0]
        #expect(allreduce.name == "DistributedAllreduce/AllreduceMean")
        #expect(allreduce.inputs.count == 2)
        let updates = model.graph.operations.filter { $0.type == "ApplyGradientDescent" }
        #expect(updates.count == 2)
        #expect(updates.allSatisfy { $0.inputs[2].operation === allreduce })
        #expect(model.graph.operations(in: .trainOps).contains { $0 === trainOp })
    }

    /// In a group of one, averaging is the identity: the plain optimizer's result, to the
    /// rounding of its fused matrix-product update (the distributed update is not fused:
    /// the allreduce sits between the product and the update).
    @Test func aGroupOfOneTrainsExactlyAsThePlainOptimizer() throws {
        let plainModel = try Model()
        let plain = try plainModel.train(
            GradientDescentOptimizer(learningRate: 0.1).minimize(plainModel.loss), group: nil, steps: 20)
        let distributedModel = try Model()
        let group = ProcessGroup()
        #expect(group.rank == 0 && group.size == 1 && group.isRoot)
        let distributed = try distributedModel.train(
            DistributedOptimizer(GradientDescentOptimizer(learningRate: 0.1)).minimize(distributedModel.loss), group: group, steps: 20)
        let difference = zip(plain.flatMap(\.floats), distributed.flatMap(\.floats)).map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference <= 1e-6, "largest difference \(difference)")
        let fresh = try Model()
        let untrained = try fresh.train(GradientDescentOptimizer(learningRate: 0.1).minimize(fresh.loss), group: nil, steps: 0)
        #expect(zip(plain.flatMap(\.floats), untrained.flatMap(\.floats)).contains { abs($0 - $1) > 1e-3 })
        #expect(try group.sum([3, 4]) == [3, 4])
        #expect(try group.maximum(7) == 7)
    }

    @Test func aSessionWithoutAGroupSaysHowToAttachOne() throws {
        let model = try Model()
        let trainOp = try DistributedOptimizer(MomentumOptimizer(learningRate: 0.1, momentum: 0.9)).minimize(model.loss)
        let error = #expect(throws: SessionError.self) { try model.train(trainOp, group: nil, steps: 1) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("ProcessGroup.attach(to: session)"))
    }

    @Test func aPlainLaunchIsAGroupOfOneWithoutMPI() throws {
        #expect(!ProcessGroup.isLaunchedByMPI(environment: [:]))
        #expect(ProcessGroup.isLaunchedByMPI(environment: ["OMPI_COMM_WORLD_SIZE": "2"]))
        let group = try ProcessGroup.fromLaunch(environment: [:])
        #expect(group.size == 1)
    }
}
