import Mechanics101
import TFCore

/// The tutorial's training graph with the tutorial's sizes, for tests of every layer.
public enum MNISTGraphFixture {
    public static func make(batchSize: Int? = 100, seed: Int? = 1) throws -> MNISTTrainingGraph {
        try MNISTTrainingGraph(batchSize: batchSize, hidden1Units: 128, hidden2Units: 32, learningRate: 0.01, seed: seed)
    }
}
