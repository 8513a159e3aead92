import Foundation
import Mechanics101
import MNIST
import ProgramSupport
import TensorBoard
import TFCore
import TFDistributed
import TFRecord

/// `run_training` and `do_eval` of the tutorial. Under `mpirun`, one rank of a
/// data-parallel job: every rank trains on its part of each global batch, the gradients are
/// averaged across ranks in the graph, and rank 0 alone owns the log dir (events,
/// checkpoints, the tutorial's lines).
struct Trainer {
    let options: FullyConnectedFeed
    /// The job's processes; a group of one for a plain run.
    let group: ProcessGroup

    func run() throws {
        let seed = options.seed
        var dataSets = try TrainingData.load(options, seed: UInt64(truncatingIfNeeded: seed ?? 0), quiet: !group.isRoot)
        try TrainingData.checkBatchSize(options, dataSets, ranks: group.size)
        var runLock: RunLock?
        var resumeFrom: CheckpointChoice?
        if group.isRoot {
            // One trainer per train dir: a second would interleave curves and checkpoints.
            runLock = try lockRunDirectory()
            if let warning = SharedDirectory.warning(for: options.logDir) { warn(warning) }
            resumeFrom = try RunDirectory.prepare(options)
            for name in AtomicFile.removeStaleTemporaries(in: options.logDir) {
                warn("removed \(name), left in --log-dir by a save that was killed")
            }
        }
        defer { runLock?.release() }

        let model = try MNISTTrainingGraph(
            batchSize: options.batchSize, hidden1Units: options.hidden1, hidden2Units: options.hidden2,
            learningRate: options.learningRate, seed: seed, dataParallel: group.size > 1)
        let saver = Saver(graph: model.graph)
        let blas: BLASLibrary
        do {
            blas = try BLASLibrary.loaded()
        } catch {
            throw TrainingFailure(message: error.message)
        }
        if options.verbose { try announce(blas.summary) }
        let session = Session(graph: model.graph, blasThreads: group.sessionBLASThreads)
        if group.size > 1 { group.attach(to: session) }
        var firstStep = try startingStep(session, model, saver, resumeFrom)
        if group.size > 1 {
            // Every rank starts from rank 0's variables, initialized or restored.
            try group.broadcastVariables(of: session)
            firstStep = Int(try session.value(of: model.globalStep).scalarDouble)
        }

        // Opened only now: a start that fails above leaves no event file behind.
        let writer = group.isRoot ? try openWriter(options.logDir) : nil
        let rankWriter = options.logEveryRank ? try openRankWriter() : nil
        StopSignals.install()
        var stepsDone = 0
        do {
            if resumeFrom != nil {
                // The run's second START: TensorBoard's Python loader drops the events a
                // killed attempt wrote after this step.
                try writer?.add(sessionLog: .start, step: firstStep)
            } else {
                // The run's first START, as TensorFlow 1's Supervisor writes it: it drops
                // nothing, and makes a later --resume's START a restart.
                try writer?.add(sessionLog: .start, step: 0)
                try writer?.add(graph: model.graph.graphDef())
                // And the meta graph beside it, as TensorFlow 1's FileWriter writes it.
                try writer?.add(metaGraph: model.graph.metaGraphDef(saver: saver))
            }
            try train(session, model, saver, writer, rankWriter, &dataSets, from: firstStep, stepsDone: &stepsDone)
        } catch {
            for file in [writer, rankWriter].compactMap({ $0 }) {
                try? file.close(status: .failure)
                // Nothing trained: the file holds only its header, and would make the next
                // start ask for --overwrite. It is ours (created exclusively), so it goes.
                if stepsDone == 0 { unlink(file.filePath) }
            }
            throw error
        }
    }

    /// Prints a line of the tutorial's output: on rank 0 only, so a job prints it once.
    private func announce(_ line: String) throws {
        if group.isRoot { try say(line) }
    }

    private func openWriter(_ directory: String) throws -> SummaryWriter {
        do {
            return try SummaryWriter(logDirectory: directory)
        } catch {
            throw TrainingFailure(message: "cannot write to --log-dir \(directory): \(error)")
        }
    }

    /// The `rank-<n>` sub-run of `--log-every-rank`; with --overwrite, its earlier files go.
    private func openRankWriter() throws -> SummaryWriter {
        let directory = (options.logDir as NSString).appendingPathComponent("rank-\(group.rank)")
        if options.overwrite, let contents = try? RunContents(directory: directory) {
            for name in contents.ours { unlink((directory as NSString).appendingPathComponent(name)) }
        }
        return try openWriter(directory)
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
    /// Ranks other than 0 initialize; the caller broadcasts rank 0's variables.
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
        if let note = choice.note { try announce("Note: \(note)") }
        try announce("Restored \(choice.prefix); continuing from step \(step)")
        return step
    }

    /// The training loop: steps, summaries every 100 steps, checkpoints and evaluations
    /// every 1000 and at the end. `stepsDone` counts the steps completed. A stop signal is
    /// agreed across ranks before each step, so every rank stops before the same step.
    private func train(
        _ session: Session, _ model: MNISTTrainingGraph, _ saver: Saver, _ writer: SummaryWriter?, _ rankWriter: SummaryWriter?,
        _ dataSets: inout DataSets, from firstStep: Int, stepsDone: inout Int
    ) throws {
        let checkpointPrefix = (options.logDir as NSString).appendingPathComponent("model.ckpt")
        let loopStart = DispatchTime.now().uptimeNanoseconds
        var batch = Batch()
        var stepSeconds = 0.0
        for step in firstStep..<max(firstStep, options.maxSteps) {
            let signal = group.size > 1 ? Int32(clamping: try group.maximum(Int(StopSignals.requested))) : StopSignals.requested
            if signal != 0 {
                try writer?.close(status: .failure)
                try rankWriter?.close(status: .failure)
                try announce("Stopped by signal \(signal) before step \(step); events are written. Continue with --resume.")
                throw TrainingFailure(message: "interrupted", exitCode: 128 + signal, isAgreedStop: true)
            }
            let start = DispatchTime.now().uptimeNanoseconds
            // Gathered on both cores: the helper that splits the step's products is idle now.
            try dataSets.train.nextBatch(
                options.batchSize, part: group.rank, of: group.size, into: &batch.images, &batch.labels, halves: session.runInHalves)
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
            stepSeconds += duration
            if let rankWriter {
                try rankWriter.add(scalar: lossValue, tag: "loss", step: step)
                try rankWriter.add(scalar: Float(duration), tag: "step_time_seconds", step: step)
            }
            if step % 100 == 0 {
                // Flushed before printed: a printed step is on disk.
                if results.count > 1, let summaryBytes = results[1].strings.first {
                    try writer?.add(serializedSummary: summaryBytes, step: step)
                }
                try writer?.flush()
                try rankWriter?.flush()
                try announce(String(format: "Step %d: loss = %.2f (%.3f sec)", step, lossValue, duration))
            }
            if (step + 1) % 1000 == 0 || step + 1 == options.maxSteps {
                if group.isRoot { try saver.save(session, prefix: checkpointPrefix, globalStep: step) }
                try announce("Training Data Eval:")
                try doEval(session, model, &dataSets.train)
                try announce("Validation Data Eval:")
                try doEval(session, model, &dataSets.validation)
                try announce("Test Data Eval:")
                try doEval(session, model, &dataSets.test)
            }
        }
        try writer?.close()
        try rankWriter?.close()
        let loopSeconds = Double(DispatchTime.now().uptimeNanoseconds - loopStart) / 1e9
        try announce(String(format: "Trained steps %d..%d in %.3f sec (summaries, checkpoints and evaluations included)", firstStep, options.maxSteps - 1, loopSeconds))
        if options.verbose && stepsDone > 0 { try reportStepCosts(steps: stepsDone, seconds: stepSeconds) }
        try announce("Run written to \(options.logDir); view it with: tensorboard --logdir \(options.logDir)")
    }

    /// With --verbose: the mean training step (data gathering and the step itself, without
    /// summaries, checkpoints or evaluations) and, in a job, rank 0's allreduce share of it.
    private func reportStepCosts(steps: Int, seconds: Double) throws {
        let globalBatch = options.batchSize * group.size
        var line = String(
            format: "Steps: %d of %d examples (%d ranks x %d), %.3f ms per step, %.0f examples/s",
            steps, globalBatch, group.size, options.batchSize, seconds / Double(steps) * 1e3, Double(steps * globalBatch) / seconds)
        let allreduce = group.allreduceStatistics
        if allreduce.calls > 0 {
            line += String(
                format: "; allreduce: %d bytes per step, %.3f ms per step (%.1f%% of the step)",
                allreduce.bytes / allreduce.calls, allreduce.seconds / Double(allreduce.calls) * 1e3, allreduce.seconds / seconds * 100)
        }
        try announce(line)
    }

    /// Runs one epoch of evaluation and prints the tutorial's line. In a job, each rank
    /// counts its part of every global batch and rank 0 prints the sums.
    func doEval(_ session: Session, _ model: MNISTTrainingGraph, _ dataSet: inout DataSet) throws {
        var trueCount = 0
        let globalBatch = options.batchSize * group.size
        let stepsPerEpoch = dataSet.numExamples / globalBatch
        let numExamples = stepsPerEpoch * globalBatch
        var batch = Batch()
        for _ in 0..<stepsPerEpoch {
            try dataSet.nextBatch(
                options.batchSize, part: group.rank, of: group.size, into: &batch.images, &batch.labels, halves: session.runInHalves)
            trueCount += Int(try session.run(model.evalCorrect, feeding: batch.feed(model)).scalarDouble)
        }
        if group.size > 1 { trueCount = try group.sum([trueCount])[0] }
        let precision = numExamples == 0 ? 0 : Double(trueCount) / Double(numExamples)
        try announce(String(format: "Num examples: %d  Num correct: %d  Precision @ 1: %0.04f", numExamples, trueCount, precision))
    }
}

/// One batch's arrays, refilled in place every step.
struct Batch {
    var images: [Float] = []
    var labels: [Int32] = []

    /// The feed for the tutorial's placeholders. The tensors share the arrays' storage; once
    /// the step is done and they are dropped, the next batch is written in place.
    func feed(_ model: MNISTTrainingGraph) throws(TensorError) -> [Output: Tensor] {
        [
            model.images: try Tensor(floats: images, shape: [labels.count, MNISTModel.imagePixels]),
            model.labels: try Tensor(int32s: labels, shape: [labels.count]),
        ]
    }
}
