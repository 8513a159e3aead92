import Foundation
import MNIST
import Mechanics101
import TFCore
import TFRecord
import TensorBoard

/// `run_training` and `do_eval` of the tutorial.
struct Trainer {
    let options: FullyConnectedFeed

    func run() throws {
        let seed = options.seed
        var dataSets = try TrainingData.load(options, seed: UInt64(truncatingIfNeeded: seed ?? 0))
        try TrainingData.checkBatchSize(options, dataSets)
        // One trainer per train dir: a second would interleave curves and checkpoints.
        let runLock = try lockRunDirectory()
        defer { runLock.release() }
        if let warning = SharedDirectory.warning(for: options.logDir) { warn(warning) }
        let resumeFrom = try RunDirectory.prepare(options)
        for name in AtomicFile.removeStaleTemporaries(in: options.logDir) {
            warn("removed \(name), left in --log-dir by a save that was killed")
        }

        let model = try MNISTTrainingGraph(
            batchSize: options.batchSize, hidden1Units: options.hidden1, hidden2Units: options.hidden2,
            learningRate: options.learningRate, seed: seed)
        let saver = Saver(graph: model.graph)
        let blas: BLASLibrary
        do {
            blas = try BLASLibrary.loaded()
        } catch {
            throw TrainingFailure(message: error.message)
        }
        if options.verbose { try say(blas.summary) }
        let session = Session(graph: model.graph)
        let firstStep = try startingStep(session, model, saver, resumeFrom)

        // Opened only now: a start that fails above leaves no event file behind.
        let writer: SummaryWriter
        do {
            writer = try SummaryWriter(logDirectory: options.logDir)
        } catch {
            throw TrainingFailure(message: "cannot write to --log-dir \(options.logDir): \(error)")
        }
        StopSignals.install()
        var stepsDone = 0
        do {
            if resumeFrom != nil {
                // The run's second START: TensorBoard's Python loader drops the events a
                // killed attempt wrote after this step.
                try writer.add(sessionLog: .start, step: firstStep)
            } else {
                // The run's first START, as TensorFlow 1's Supervisor writes it: it drops
                // nothing, and makes a later --resume's START a restart.
                try writer.add(sessionLog: .start, step: 0)
                try writer.add(graph: model.graph.graphDef())
                // And the meta graph beside it, as TensorFlow 1's FileWriter writes it.
                try writer.add(metaGraph: model.graph.metaGraphDef(saver: saver))
            }
            try train(session, model, saver, writer, &dataSets, from: firstStep, stepsDone: &stepsDone)
        } catch {
            try? writer.close(status: .failure)
            // Nothing trained: the file holds only its header, and would make the next
            // start ask for --overwrite. It is ours (created exclusively), so it goes.
            if stepsDone == 0 { unlink(writer.filePath) }
            throw error
        }
    }

    /// Takes the run directory's lock, with messages naming --log-dir.
    private func lockRunDirectory() throws -> RunLock {
        do {
            return try RunLock(directory: options.logDir)
        } catch SummaryWriterError.runInUse(_, let holder) {
            let who = holder.map { "process \($0)" } ?? "another process"
            throw TrainingFailure(message: "\(who) is already training into --log-dir \(options.logDir); wait for it to finish, or choose another --log-dir")
        } catch SummaryWriterError.cannotCreateDirectory(_, let reason) {
            throw TrainingFailure(message: "cannot write to --log-dir \(options.logDir): cannot create it: \(reason)")
        } catch SummaryWriterError.writeFailed(let error) {
            throw TrainingFailure(message: "cannot lock --log-dir \(options.logDir): \(error)")
        } catch {
            throw TrainingFailure(message: "cannot write to --log-dir \(options.logDir): \(error)")
        }
    }

    /// Restores the checkpoint to resume from (saying which, and why when it is not the
    /// one the `checkpoint` file names), or initializes the variables.
    /// - Returns: the first step to train.
    private func startingStep(_ session: Session, _ model: MNISTTrainingGraph, _ saver: Saver, _ resumeFrom: CheckpointChoice?) throws -> Int {
        guard let choice = resumeFrom else {
            try session.run(model.initializer)
            return 0
        }
        do {
            try saver.restore(session, from: choice.prefix)
        } catch {
            throw TrainingFailure(message: "--resume: cannot restore \(choice.prefix): \(error)")
        }
        let stored = try session.value(of: model.globalStep).scalarDouble
        guard let step = Int(exactly: stored), step >= 0 else {
            throw TrainingFailure(message: "--resume: \(choice.prefix) holds global_step = \(stored), not a step number; the checkpoint is damaged: move it away to resume from an older one")
        }
        if let note = choice.note { try say("Note: \(note)") }
        try say("Restored \(choice.prefix); continuing from step \(step)")
        return step
    }

    /// The training loop: steps, summaries every 100 steps, checkpoints and evaluations
    /// every 1000 and at the end. `stepsDone` counts the steps completed.
    private func train(
        _ session: Session, _ model: MNISTTrainingGraph, _ saver: Saver, _ writer: SummaryWriter,
        _ dataSets: inout DataSets, from firstStep: Int, stepsDone: inout Int
    ) throws {
        let checkpointPrefix = (options.logDir as NSString).appendingPathComponent("model.ckpt")
        let loopStart = DispatchTime.now().uptimeNanoseconds
        var batch = Batch()
        for step in firstStep..<max(firstStep, options.maxSteps) {
            if let signal = Optional(StopSignals.requested), signal != 0 {
                try writer.close(status: .failure)
                try say("Stopped by signal \(signal) before step \(step); events are written. Continue with --resume.")
                throw TrainingFailure(message: "interrupted", exitCode: 128 + signal)
            }
            let start = DispatchTime.now().uptimeNanoseconds
            // Gathered on both cores: the helper that splits the step's products is idle now.
            dataSets.train.nextBatch(options.batchSize, into: &batch.images, &batch.labels, halves: session.runInHalves)
            // Every 100 steps the merged summary is fetched in the same step as the loss, so
            // the curve TensorBoard shows matches the printed loss exactly.
            let results: [Tensor]
            if step % 100 == 0, let summary = model.summary {
                results = try session.run(fetches: [model.loss, summary], targets: [model.trainOp], feeding: batch.feed(model))
            } else {
                results = [try session.run(model.trainOp, fetching: model.loss, feeding: batch.feed(model))]
            }
            let lossValue = results[0].scalarFloat
            let duration = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

            if lossValue.isNaN {
                throw TrainingFailure(message: "the loss became NaN at step \(step): lower --learning-rate (now \(options.learningRate))")
            }
            stepsDone += 1
            if step % 100 == 0 {
                // Flushed before printed: a printed step is on disk.
                if results.count > 1, let summaryBytes = results[1].strings.first {
                    try writer.add(serializedSummary: summaryBytes, step: step)
                }
                try writer.flush()
                try say(String(format: "Step %d: loss = %.2f (%.3f sec)", step, lossValue, duration))
            }
            if (step + 1) % 1000 == 0 || step + 1 == options.maxSteps {
                try saver.save(session, prefix: checkpointPrefix, globalStep: step)
                try say("Training Data Eval:")
                try doEval(session, model, &dataSets.train)
                try say("Validation Data Eval:")
                try doEval(session, model, &dataSets.validation)
                try say("Test Data Eval:")
                try doEval(session, model, &dataSets.test)
            }
        }
        try writer.close()
        let loopSeconds = Double(DispatchTime.now().uptimeNanoseconds - loopStart) / 1e9
        try say(String(format: "Trained steps %d..%d in %.3f sec (summaries, checkpoints and evaluations included)", firstStep, options.maxSteps - 1, loopSeconds))
        try say("Run written to \(options.logDir); view it with: tensorboard --logdir \(options.logDir)")
    }

    /// Runs one epoch of evaluation and prints the tutorial's line.
    func doEval(_ session: Session, _ model: MNISTTrainingGraph, _ dataSet: inout DataSet) throws {
        var trueCount = 0
        let stepsPerEpoch = dataSet.numExamples / options.batchSize
        let numExamples = stepsPerEpoch * options.batchSize
        var batch = Batch()
        for _ in 0..<stepsPerEpoch {
            dataSet.nextBatch(options.batchSize, into: &batch.images, &batch.labels, halves: session.runInHalves)
            trueCount += Int(try session.run(model.evalCorrect, feeding: batch.feed(model)).scalarDouble)
        }
        let precision = numExamples == 0 ? 0 : Double(trueCount) / Double(numExamples)
        try say(String(format: "Num examples: %d  Num correct: %d  Precision @ 1: %0.04f", numExamples, trueCount, precision))
    }
}

/// One batch's arrays, refilled in place every step.
struct Batch {
    var images: [Float] = []
    var labels: [Int32] = []

    /// The feed for the tutorial's placeholders. The tensors share the arrays' storage; once
    /// the step is done and they are dropped, the next batch is written in place.
    func feed(_ model: MNISTTrainingGraph) -> [Output: Tensor] {
        [
            model.images: Tensor(floats: images, shape: [labels.count, MNISTModel.imagePixels]),
            model.labels: Tensor(int32s: labels, shape: [labels.count]),
        ]
    }
}
