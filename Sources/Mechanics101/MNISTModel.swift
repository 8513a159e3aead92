
import TFCore
import TFDistributed

/// The TensorFlow "Mechanics 101" model (`mnist.py`) on TFCore: `inference`, `loss`,
/// `training` and `evaluation`, written as the tutorial writes them.
public enum MNISTModel {
    /// The MNIST data set has 10 classes, the digits 0 through 9.
    public static let numClasses = 10
    /// MNIST images are always 28x28 pixels.
    public static let imageSize = 28
    public static let imagePixels = imageSize * imageSize

    /// Builds the model up to where it may be used for inference: two ReLU layers and a
    /// linear layer.
    /// - Returns: logits, `[batch, numClasses]`.
    public static func inference(_ graph: Graph, images: Output, hidden1Units: Int, hidden2Units: Int) throws -> Output {
        let hidden1 = try graph.withNameScope("hidden1") {
            let weights = try graph.variable(
                graph.truncatedNormal([imagePixels, hidden1Units], stddev: 1 / Float(imagePixels).squareRoot()), name: "weights")
            let biases = try graph.variable(graph.zeros([hidden1Units]), name: "biases")
            return try graph.relu(graph.add(graph.matMul(images, weights), biases))
        }
        let hidden2 = try graph.withNameScope("hidden2") {
            let weights = try graph.variable(
                graph.truncatedNormal([hidden1Units, hidden2Units], stddev: 1 / Float(hidden1Units).squareRoot()), name: "weights")
            let biases = try graph.variable(graph.zeros([hidden2Units]), name: "biases")
            return try graph.relu(graph.add(graph.matMul(hidden1, weights), biases))
        }
        return try graph.withNameScope("softmax_linear") {
            let weights = try graph.variable(
                graph.truncatedNormal([hidden2Units, numClasses], stddev: 1 / Float(hidden2Units).squareRoot()), name: "weights")
            let biases = try graph.variable(graph.zeros([numClasses]), name: "biases")
            return try graph.add(graph.matMul(hidden2, weights), biases)
        }
    }

    /// The mean cross-entropy loss of the logits against the labels.
    public static func loss(_ graph: Graph, logits: Output, labels: Output) throws -> Output {
        let labels = try graph.cast(labels, to: .int64, name: "ToInt64")
        let crossEntropy = try graph.sparseSoftmaxCrossEntropyWithLogits(labels: labels, logits: logits, name: "xentropy")
        return try graph.reduceMean(crossEntropy, name: "xentropy_mean")
    }

    /// Adds the loss summary and a gradient-descent train op that also increments
    /// `global_step` (an int32 variable, as in the tutorial). With `dataParallel`, the
    /// gradients are averaged across the processes of a job (`DistributedOptimizer`) before
    /// the update; the session must then be attached to a `ProcessGroup`.
    public static func training(_ graph: Graph, loss: Output, learningRate: Float, dataParallel: Bool = false) throws -> GraphOperation {
        try graph.scalarSummary("loss", loss)
        let optimizer = GradientDescentOptimizer(learningRate: learningRate)
        let globalStep = try graph.variable(
            graph.constant(Tensor(Int32(0)), name: "global_step/initial_value"), name: "global_step", trainable: false)
        if dataParallel {
            return try DistributedOptimizer(optimizer).minimize(loss, globalStep: globalStep)
        }
        return try optimizer.minimize(loss, globalStep: globalStep)
    }

    /// The number of examples whose label is the top prediction.
    public static func evaluation(_ graph: Graph, logits: Output, labels: Output) throws -> Output {
        let correct = try graph.inTopK(predictions: logits, targets: labels, k: 1)
        return try graph.reduceSum(graph.cast(correct, to: .int32))
    }
}

/// The tutorial's whole graph, built once: placeholders, logits, loss, train op,
/// evaluation, merged summaries and the initializer.
public struct MNISTTrainingGraph {
    public let graph: Graph
    public let images: Output
    public let labels: Output
    public let logits: Output
    public let loss: Output
    public let trainOp: GraphOperation
    public let evalCorrect: Output
    public let summary: Output?
    public let initializer: GraphOperation
    public let globalStep: Variable

    /// Builds the graph for `batchSize`-row placeholders (nil: any batch size); with
    /// `dataParallel`, for one rank of a data-parallel job (see `MNISTModel.training`).
    public init(
        batchSize: Int?, hidden1Units: Int, hidden2Units: Int, learningRate: Float, seed: Int? = nil, dataParallel: Bool = false
    ) throws {
        let graph = Graph(randomSeed: seed)
        self.graph = graph
        images = graph.placeholder(.float32, shape: [batchSize, MNISTModel.imagePixels], name: "Placeholder")
        labels = graph.placeholder(.int32, shape: [batchSize], name: "Placeholder_1")
        logits = try MNISTModel.inference(graph, images: images, hidden1Units: hidden1Units, hidden2Units: hidden2Units)
        loss = try MNISTModel.loss(graph, logits: logits, labels: labels)
        trainOp = try MNISTModel.training(graph, loss: loss, learningRate: learningRate, dataParallel: dataParallel)
        evalCorrect = try MNISTModel.evaluation(graph, logits: logits, labels: labels)
        summary = try graph.mergeAllSummaries()
        initializer = graph.globalVariablesInitializer()
        guard let step = graph.globalVariables.first(where: { $0.name == "global_step" }) else {
            throw GraphError.invalidArgument("the training graph has no global_step")
        }
        globalStep = step
    }
}
