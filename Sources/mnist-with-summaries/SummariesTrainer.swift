import Foundation
import MNIST
import ProgramSupport
import TensorBoard
import TFCore
import TFRecord

/// The tutorial's `train()`: every 10th step evaluates the merged summaries and accuracy
/// on the whole test set into `test`; the other steps train on a batch of 100 and write
/// the merged summaries into `train`; steps 99, 199, ... are fully traced and their run
/// metadata written as `step099`, `step199`, ...
struct SummariesTrainer {
    let options: MNISTWithSummaries
    static let batchSize = 100

    func run() throws {
        var dataSets = try loadData()
        let directories = try RunDirectories(options.logDir, overwrite: options.overwrite)
        defer { directories.release() }
        let model: SummariesGraph
        do {
            model = try SummariesGraph(learningRate: options.learningRate, seed: options.seed)
        } catch {
            throw TrainingFailure(message: "cannot build the graph: \(error)")
        }
        let session = Session(graph: model.graph)
        try session.run(model.initializer)
        if let traceDir = options.traceDir {
            do {
                try FileManager.default.createDirectory(atPath: traceDir, withIntermediateDirectories: true)
            } catch {
                throw TrainingFailure(message: "cannot create --trace-dir \(traceDir): \(error.localizedDescription)")
            }
        }
        let trainWriter: SummaryWriter
        let testWriter: SummaryWriter
        do {
            trainWriter = try SummaryWriter(logDirectory: directories.train)
            testWriter = try SummaryWriter(logDirectory: directories.test)
        } catch {
            throw TrainingFailure(message: "cannot write to --log-dir \(options.logDir): \(error)")
        }
        StopSignals.install()
        do {
            try trainWriter.add(graph: model.graph.graphDef())
            try train(session, model, &dataSets, trainWriter, testWriter)
            try trainWriter.close()
            try testWriter.close()
        } catch {
            try? trainWriter.close(status: .failure)
            try? testWriter.close(status: .failure)
            throw error
        }
    }

    private func loadData() throws -> DataSets {
        if options.fakeData { return DataSets.fake() }
        let directory = try TrainingDataDirectory.choose(options.dataDir, flag: "--data-dir")
        do {
            let sets = try DataSets.read(from: directory, validationSize: 5000, seed: UInt64(truncatingIfNeeded: options.seed ?? 0))
            guard sets.train.numExamples >= Self.batchSize, sets.test.numExamples > 0 else {
                throw TrainingFailure(message: "\(directory) holds \(sets.train.numExamples) training and \(sets.test.numExamples) test images; a batch needs \(Self.batchSize) and evaluation at least one")
            }
            return sets
        } catch let error as TrainingFailure {
            throw error
        } catch {
            throw TrainingFailure(message: "\(error)")
        }
    }

    private func train(
        _ session: Session, _ model: SummariesGraph, _ dataSets: inout DataSets, _ trainWriter: SummaryWriter,
        _ testWriter: SummaryWriter
    ) throws {
        // The tutorial's feed_dict(False): the whole test set with keep probability 1, except
        // with fake data, where it is a training batch with the training keep probability.
        let testFeed: [Output: Tensor]?
        if options.fakeData {
            testFeed = nil
        } else {
            let test = try dataSets.test.nextBatch(dataSets.test.numExamples)
            testFeed = try feed(model, test.images, test.labels, keep: 1)
        }
        var batch = (images: [Float](), labels: [Int32]())
        for step in 0..<options.maxSteps {
            let signal = StopSignals.requested
            if signal != 0 {
                try trainWriter.close(status: .failure)
                try testWriter.close(status: .failure)
                try say("Stopped by signal \(signal) before step \(step); events are written.")
                throw TrainingFailure(message: "interrupted", exitCode: 128 + signal)
            }
            if step % 10 == 0 {
                let feeds: [Output: Tensor]
                if let testFeed {
                    feeds = testFeed
                } else {
                    try dataSets.train.nextBatch(Self.batchSize, into: &batch.images, &batch.labels, halves: session.runInHalves)
                    feeds = try feed(model, batch.images, batch.labels, keep: options.dropout)
                }
                let results = try session.run(fetches: [model.merged, model.accuracy], feeding: feeds)
                try testWriter.add(serializedSummary: results[0].strings.first ?? [], step: step)
                try say("Accuracy at step \(step): \(results[1].scalarFloat)")
                continue
            }
            try dataSets.train.nextBatch(Self.batchSize, into: &batch.images, &batch.labels, halves: session.runInHalves)
            let feeds = try feed(model, batch.images, batch.labels, keep: options.dropout)
            if step % 100 == 99 {
                let (results, statistics) = try session.run(
                    fetches: [model.merged], targets: [model.trainStep], feeding: feeds, options: .fullTrace)
                let tag = String(format: "step%03d", step)
                if let statistics {
                    try trainWriter.add(serializedRunMetadata: statistics.serializedRunMetadata(), tag: tag)
                    try writeTrace(statistics, tag: tag)
                }
                try trainWriter.add(serializedSummary: results[0].strings.first ?? [], step: step)
                try say("Adding run metadata for \(step)")
            } else {
                let results = try session.run(fetches: [model.merged], targets: [model.trainStep], feeding: feeds)
                try trainWriter.add(serializedSummary: results[0].strings.first ?? [], step: step)
            }
        }
    }

    /// The feed of the tutorial's placeholders; labels become int64 as `y-input` is.
    private func feed(_ model: SummariesGraph, _ images: [Float], _ labels: [Int32], keep: Float) throws(TensorError) -> [Output: Tensor] {
        [
            model.images: try Tensor(floats: images, shape: [labels.count, SummariesGraph.imagePixels]),
            model.labels: try Tensor(int64s: labels.map(Int64.init), shape: [labels.count]),
            model.keepProbability: Tensor(keep),
        ]
    }

    /// Writes the traced step as `<trace-dir>/<tag>.json` when `--trace-dir` is given.
    private func writeTrace(_ statistics: StepStatistics, tag: String) throws {
        guard let traceDir = options.traceDir else { return }
        let path = (traceDir as NSString).appendingPathComponent("\(tag).json")
        do {
            try statistics.chromeTrace().write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TrainingFailure(message: "cannot write the trace \(path): \(error.localizedDescription)")
        }
    }
}
