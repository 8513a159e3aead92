import Foundation
import MNIST
import ProgramSupport

/// Where the data comes from: the tutorial's input dir, Debian's Fashion-MNIST, or fakes.
enum TrainingData {
    /// `quiet`: no note on which data is used (the job's other ranks leave it to rank 0).
    static func load(_ options: FullyConnectedFeed, seed: UInt64, quiet: Bool = false) throws -> DataSets {
        if options.fakeData { return DataSets.fake() }
        let directory = try TrainingDataDirectory.choose(options.inputDataDir, flag: "--input-data-dir", quiet: quiet)
        do {
            return try DataSets.read(from: directory, validationSize: options.validationSize, seed: seed)
        } catch .tooFewExamples(_, _, let available) {
            let file = (directory as NSString).appendingPathComponent("train-images-idx3-ubyte(.gz)")
            throw TrainingFailure(message: available == 0
                ? "\(file) holds no images; put a complete MNIST set in --input-data-dir, or pass --fake-data"
                : "--validation-size \(options.validationSize) holds out all \(available) training images of \(file), leaving none to train on; pass a smaller --validation-size")
        } catch {
            throw TrainingFailure(message: "\(error)")
        }
    }

    /// Every set must hold at least one global batch (`ranks` x --batch-size; an empty
    /// validation set is allowed: it is what --validation-size 0 asks for).
    static func checkBatchSize(_ options: FullyConnectedFeed, _ dataSets: DataSets, ranks: Int = 1) throws {
        let globalBatch = options.batchSize * ranks
        for (name, set, flag) in [("training", dataSets.train, "--validation-size"), ("validation", dataSets.validation, "--validation-size"), ("test", dataSets.test, "--input-data-dir")]
        where globalBatch > set.numExamples && (name != "validation" || set.numExamples > 0) {
            let fix = set.numExamples == 0
                ? "the \(name) set is empty; check the data files or \(flag)"
                : "pass a --batch-size of at most \(set.numExamples / ranks)"
            let what = ranks == 1 ? "--batch-size \(options.batchSize)" : "the global batch (\(ranks) ranks x --batch-size \(options.batchSize))"
            throw TrainingFailure(message: "\(what) is larger than the \(name) set (\(set.numExamples) examples): \(fix)")
        }
    }
}
