import TFCore

/// The graph of TensorFlow 1's `mnist_with_summaries.py`, with its names: two layers
/// (`layer1` 784 -> 500 ReLU, `layer2` 500 -> 10) with dropout between, Adam on the mean
/// sparse cross entropy, accuracy, and the summaries that feed every TensorBoard dashboard
/// (per-variable mean, stddev, max, min and histogram; pre-activation and activation
/// histograms; ten input images; the keep probability; cross entropy and accuracy), merged.
struct SummariesGraph {
    static let imagePixels = 784
    static let hiddenUnits = 500
    static let classes = 10

    let graph: Graph
    /// `input/x-input` [batch, 784] float32 and `input/y-input` [batch] int64.
    let images: Output
    let labels: Output
    /// `dropout/Placeholder`: the keep probability.
    let keepProbability: Output
    let crossEntropy: Output
    let accuracy: Output
    let trainStep: GraphOperation
    /// Every summary, merged (`Merge/MergeSummary`).
    let merged: Output
    let initializer: GraphOperation

    init(learningRate: Float, seed: Int?) throws {
        let graph = Graph(randomSeed: seed)
        self.graph = graph
        (images, labels) = try graph.withNameScope("input") {
            (graph.placeholder(.float32, shape: [nil, Self.imagePixels], name: "x-input"),
             graph.placeholder(.int64, shape: [nil], name: "y-input"))
        }
        let images = self.images
        try graph.withNameScope("input_reshape") {
            let shaped = try graph.reshape(images, to: [-1, 28, 28, 1])
            try graph.imageSummary("input", shaped, maxOutputs: 10)
        }
        let hidden1 = try Self.layer(graph, images, 784, Self.hiddenUnits, "layer1") { try graph.relu($0, name: "activation") }
        let (keep, dropped) = try graph.withNameScope("dropout") {
            let keep = graph.placeholder(.float32, shape: .scalar)
            try graph.scalarSummary("dropout_keep_probability", keep)
            return (keep, try graph.dropout(hidden1, keepProbability: keep))
        }
        keepProbability = keep
        let logits = try Self.layer(graph, dropped, Self.hiddenUnits, Self.classes, "layer2") { try graph.identity($0, name: "activation") }
        let labels = self.labels
        crossEntropy = try graph.withNameScope("cross_entropy") {
            try graph.withNameScope("total") {
                try graph.reduceMean(graph.sparseSoftmaxCrossEntropyWithLogits(labels: labels, logits: logits))
            }
        }
        try graph.scalarSummary("cross_entropy", crossEntropy)
        let loss = crossEntropy
        trainStep = try graph.withNameScope("train") { try AdamOptimizer(learningRate: learningRate).minimize(loss) }
        accuracy = try graph.withNameScope("accuracy") {
            let correct = try graph.withNameScope("correct_prediction") { try graph.equal(graph.argMax(logits), labels) }
            return try graph.withNameScope("accuracy") { try graph.reduceMean(graph.cast(correct, to: .float32)) }
        }
        try graph.scalarSummary("accuracy", accuracy)
        guard let merged = try graph.mergeAllSummaries() else {
            throw GraphError.invalidArgument("the summaries collection is empty")
        }
        self.merged = merged
        initializer = graph.globalVariablesInitializer()
    }

    /// `nn_layer`: weights and biases with their summaries, `Wx_plus_b` and its histogram,
    /// the activation and its histogram.
    private static func layer(
        _ graph: Graph, _ input: Output, _ inputs: Int, _ outputs: Int, _ name: String, activation: (Output) throws -> Output
    ) throws -> Output {
        try graph.withNameScope(name) {
            let weights = try graph.withNameScope("weights") {
                let weights = try graph.variable(graph.truncatedNormal([inputs, outputs], stddev: 0.1))
                try variableSummaries(graph, weights.value)
                return weights
            }
            let biases = try graph.withNameScope("biases") {
                let biases = try graph.variable(graph.constant(0.1, shape: [outputs]))
                try variableSummaries(graph, biases.value)
                return biases
            }
            let preactivate = try graph.withNameScope("Wx_plus_b") {
                let preactivate = try graph.add(graph.matMul(input, weights), biases)
                try graph.histogramSummary("pre_activations", preactivate)
                return preactivate
            }
            let activations = try activation(preactivate)
            try graph.histogramSummary("activations", activations)
            return activations
        }
    }

    /// `variable_summaries`: mean, standard deviation, max, min and a histogram.
    private static func variableSummaries(_ graph: Graph, _ variable: Output) throws {
        try graph.withNameScope("summaries") {
            let mean = try graph.reduceMean(variable)
            try graph.scalarSummary("mean", mean)
            let stddev = try graph.withNameScope("stddev") {
                try graph.sqrt(graph.reduceMean(graph.square(graph.sub(variable, mean))))
            }
            try graph.scalarSummary("stddev", stddev)
            try graph.scalarSummary("max", graph.reduceMax(variable))
            try graph.scalarSummary("min", graph.reduceMin(variable))
            try graph.histogramSummary("histogram", variable)
        }
    }
}
