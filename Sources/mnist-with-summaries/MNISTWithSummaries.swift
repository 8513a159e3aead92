import ArgumentParser
import Foundation
import ProgramSupport
import TFRecord

/// TensorFlow 1's TensorBoard tutorial program (`mnist_with_summaries.py`, "TensorBoard:
/// Visualizing Learning") in Swift: trains a two-layer network with dropout, feeding every
/// TensorBoard dashboard from summary ops in the graph, with separate `train` and `test`
/// runs and full-trace run metadata every 100 steps.
@main
struct MNISTWithSummaries: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-with-summaries",
        abstract: "Train the TensorBoard tutorial's MNIST model; view it with tensorboard --logdir LOG_DIR.",
        discussion: """
            Data: the four MNIST files in --data-dir, else Debian's Fashion-MNIST \
            (/usr/share/datasets/fashion-mnist), else --fake-data. Flags also accept the \
            tutorial's spelling (--max_steps ...). Summaries go to LOG_DIR/train (with the graph \
            and run metadata every 100 steps) and LOG_DIR/test (the whole test set every 10 \
            steps). An existing run is kept: pass --overwrite to start afresh.
            """)

    @Option(name: [.customLong("max-steps"), .customLong("max_steps")], parsing: .unconditional, help: "Number of steps to run trainer.")
    var maxSteps = 1000

    @Option(name: [.customLong("learning-rate"), .customLong("learning_rate")], parsing: .unconditional, help: "Initial learning rate.")
    var learningRate: Float = 0.001

    @Option(parsing: .unconditional, help: "Keep probability for training dropout.")
    var dropout: Float = 0.9

    @Option(name: [.customLong("data-dir"), .customLong("data_dir")], help: "Directory for storing input data.")
    var dataDir = (ProcessInfo.processInfo.environment["TEST_TMPDIR"] ?? "/tmp") + "/tensorflow/mnist/input_data"

    @Option(name: [.customLong("log-dir"), .customLong("log_dir")], help: "Summaries log directory.")
    var logDir = (ProcessInfo.processInfo.environment["TEST_TMPDIR"] ?? "/tmp") + "/tensorflow/mnist/logs/mnist_with_summaries"

    @Flag(name: [.customLong("fake-data"), .customLong("fake_data")], help: "If true, uses fake data for unit testing.")
    var fakeData = false

    @Option(name: [.customLong("trace-dir"), .customLong("trace_dir")], help: "Also write each traced step as a Chrome trace (stepNNN.json) here.")
    var traceDir: String?

    @Flag(help: "Delete the train and test runs' event files in the log directory first.")
    var overwrite = false

    @Option(parsing: .unconditional, help: "Graph-level random seed (weights, dropout and shuffling).")
    var seed: Int?

    func validate() throws {
        guard learningRate.isFinite, learningRate >= 0 else {
            throw ValidationError("--learning-rate must be a non-negative number, got \(learningRate)")
        }
        guard maxSteps >= 0 else { throw ValidationError("--max-steps must be 0 or more, got \(maxSteps)") }
        guard dropout > 0, dropout <= 1 else {
            throw ValidationError("--dropout is the keep probability, in (0, 1], got \(dropout)")
        }
    }

    /// Makes the standard streams safe before anything is opened, and turns a closed pipe
    /// into a write error instead of a signal that kills the program.
    static func main() {
        guard StandardStreams.ensureOpen() else { Foundation.exit(2) }
        signal(SIGPIPE, SIG_IGN)
        main(nil)
    }

    func run() throws {
        do {
            try SummariesTrainer(options: self).run()
        } catch let error as TrainingFailure {
            StandardStreams.writeError("mnist-with-summaries: \(error.message)\n")
            throw ExitCode(error.exitCode)
        } catch let error as ExitCode {
            throw error
        } catch {
            StandardStreams.writeError("mnist-with-summaries: \(error)\n")
            throw ExitCode(1)
        }
    }
}

