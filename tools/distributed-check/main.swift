// Trains a small two-layer classifier on deterministic data with the library's
// data-parallel API, and writes each rank's final variables for TFDistributedTests:
//
//     distributed-check OUT_DIR BATCH_PER_RANK STEPS [momentum]
//     mpirun -np 2 distributed-check OUT_DIR 50 100
//
// Step s's global batch is examples s*G ..< (s+1)*G (mod the data set), G = ranks x batch;
// rank r trains on the r-th slice of it. So a 1-process run with batch 100 and a 2-rank run
// with batch 50 see the same global batches. Each rank initializes with its own seed, so
// only the broadcast makes the replicas start equal. Rank r writes OUT_DIR/rank-<r>.bin:
// every variable's float32 bytes, in graph order.
import Foundation
import TFCore
import TFDistributed

let arguments = CommandLine.arguments
guard arguments.count >= 4, let batch = Int(arguments[2]), batch > 0, let steps = Int(arguments[3]), steps >= 0 else {
    FileHandle.standardError.write(Data("usage: distributed-check OUT_DIR BATCH_PER_RANK STEPS [momentum]\n".utf8))
    exit(2)
}
let outDirectory = arguments[1]
let useMomentum = arguments.count > 4 && arguments[4] == "momentum"
let features = 20
let classes = 3
let examples = 1000

do {
    let group = try ProcessGroup.fromLaunch()
    let graph = Graph(randomSeed: 7 + group.rank)
    let inputs = graph.placeholder(.float32, shape: [batch, features], name: "inputs")
    let labels = graph.placeholder(.int32, shape: [batch], name: "labels")
    let hidden = try graph.withNameScope("hidden") {
        let weights = try graph.variable(graph.truncatedNormal([features, 16], stddev: 0.3), name: "weights")
        let biases = try graph.variable(graph.zeros([16]), name: "biases")
        return try graph.relu(graph.add(graph.matMul(inputs, weights), biases))
    }
    let logits = try graph.withNameScope("output") {
        let weights = try graph.variable(graph.truncatedNormal([16, classes], stddev: 0.3), name: "weights")
        let biases = try graph.variable(graph.zeros([classes]), name: "biases")
        return try graph.add(graph.matMul(hidden, weights), biases)
    }
    let crossEntropy = try graph.sparseSoftmaxCrossEntropyWithLogits(labels: graph.cast(labels, to: .int64), logits: logits)
    let loss = try graph.reduceMean(crossEntropy)
    let trainOp = useMomentum
        ? try DistributedOptimizer(MomentumOptimizer(learningRate: 0.1, momentum: 0.9)).minimize(loss)
        : try DistributedOptimizer(GradientDescentOptimizer(learningRate: 0.1)).minimize(loss)
    let session = Session(graph: graph, blasThreads: group.sessionBLASThreads)
    group.attach(to: session)
    try session.run(graph.globalVariablesInitializer())
    try group.broadcastVariables(of: session)

    let globalBatch = batch * group.size
    var images = [Float](repeating: 0, count: batch * features)
    var classesOfBatch = [Int32](repeating: 0, count: batch)
    var lastLoss: Float = .nan
    for step in 0..<steps {
        for row in 0..<batch {
            let example = (step * globalBatch + group.rank * batch + row) % examples
            for column in 0..<features {
                images[row * features + column] = sin(Float(example) * 0.37 + Float(column) * 1.3) + Float(example % classes) * 0.2
            }
            classesOfBatch[row] = Int32(example % classes)
        }
        lastLoss = try session.run(
            trainOp, fetching: loss,
            feeding: [inputs: try Tensor(floats: images, shape: [batch, features]), labels: try Tensor(int32s: classesOfBatch, shape: [batch])]
        ).scalarFloat
    }
    var bytes = Data()
    for variable in graph.globalVariables {
        _ = try session.value(of: variable).withUnsafeElementBytes { bytes.append(contentsOf: $0) }
    }
    try bytes.write(to: URL(fileURLWithPath: outDirectory).appendingPathComponent("rank-\(group.rank).bin"))
    print("rank \(group.rank) of \(group.size): loss \(lastLoss) after \(steps) steps")
    try group.finish()
} catch {
    FileHandle.standardError.write(Data("distributed-check: \(error)\n".utf8))
    exit(1)
}
