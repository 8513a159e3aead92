import ArgumentParser
import Foundation
import ProgramSupport
import TFDistributed
import TFRecord

/// The TensorFlow "Mechanics 101" tutorial program (`fully_connected_feed.py`) in Swift:
/// trains the MNIST model with the tutorial's flags and output, writing summaries, the
/// graph and checkpoints to the log directory.
@main
struct FullyConnectedFeed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fully-connected-feed",
        abstract: "Train the Mechanics 101 MNIST model; view the run with tensorboard --logdir LOG_DIR.",
        discussion: """
            Data: the four MNIST files in --input-data-dir, else Debian's Fashion-MNIST \
            (/usr/share/datasets/fashion-mnist), else --fake-data. Flags also accept the \
            tutorial's spelling (--max_steps ...). An existing log dir with event files is \
            kept: pass --overwrite to start afresh or --resume to continue from its latest \
            checkpoint.

            Data-parallel: `mpirun -np N fully-connected-feed [flags]` trains on N processes \
            (Open MPI). --batch-size is per rank, so each step's global batch is N x \
            --batch-size; the learning rate is not scaled for you. Rank 0 writes the log dir \
            and prints; checkpoints restore into any number of ranks.
            """)

    @Option(name: [.customLong("learning-rate"), .customLong("learning_rate")], parsing: .unconditional, help: "Initial learning rate.")
    var learningRate: Float = 0.01

    @Option(name: [.customLong("max-steps"), .customLong("max_steps")], parsing: .unconditional, help: "Number of steps to run trainer.")
    var maxSteps = 2000

    @Option(name: [.customLong("hidden1")], parsing: .unconditional, help: "Number of units in hidden layer 1.")
    var hidden1 = 128

    @Option(name: [.customLong("hidden2")], parsing: .unconditional, help: "Number of units in hidden layer 2.")
    var hidden2 = 32

    @Option(name: [.customLong("batch-size"), .customLong("batch_size")], parsing: .unconditional, help: "Batch size. Must divide evenly into the dataset sizes.")
    var batchSize = 100

    @Option(name: [.customLong("input-data-dir"), .customLong("input_data_dir")], help: "Directory to put the input data.")
    var inputDataDir = (ProcessInfo.processInfo.environment["TEST_TMPDIR"] ?? "/tmp") + "/tensorflow/mnist/input_data"

    @Option(name: [.customLong("log-dir"), .customLong("log_dir")], help: "Directory to put the log data.")
    var logDir = (ProcessInfo.processInfo.environment["TEST_TMPDIR"] ?? "/tmp") + "/tensorflow/mnist/logs/fully_connected_feed"

    @Option(name: [.customLong("validation-size"), .customLong("validation_size")], parsing: .unconditional, help: "Training examples held out for validation.")
    var validationSize = 5000

    @Flag(name: [.customLong("fake-data"), .customLong("fake_data")], help: "If true, uses fake data for unit testing.")
    var fakeData = false

    @Flag(help: "Delete the log directory's event files and checkpoints first.")
    var overwrite = false

    @Flag(help: "Continue from the log directory's latest checkpoint.")
    var resume = false

    @Option(parsing: .unconditional, help: "Graph-level random seed (weights initialization and shuffling).")
    var seed: Int?

    @Flag(help: "Print the CPU, its vector features and the BLAS kernel in use before training, and the mean step cost (with its allreduce share under mpirun) after.")
    var verbose = false

    @Flag(help: "Under mpirun: also write each rank's own loss and step time to the rank-<n> sub-run of --log-dir.")
    var logEveryRank = false

    func validate() throws {
        guard learningRate.isFinite, learningRate >= 0 else {
            throw ValidationError("--learning-rate must be a non-negative number, got \(learningRate)")
        }
        guard maxSteps >= 0 else { throw ValidationError("--max-steps must be 0 or more, got \(maxSteps)") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard validationSize >= 0 else { throw ValidationError("--validation-size must be 0 or more") }
        guard hidden1 > 0, hidden2 > 0 else { throw ValidationError("--hidden1 and --hidden2 must be at least 1") }
        guard !(overwrite && resume) else { throw ValidationError("--overwrite and --resume cannot be used together") }
        try ModelSize(hidden1: hidden1, hidden2: hidden2, batchSize: batchSize).checkFitsInMemory()
    }

    /// Makes the standard streams safe before anything is opened (a closed stdout must not
    /// become the event file), and turns a closed pipe into a write error the program
    /// reports after flushing its events, instead of a signal that kills it.
    static func main() {
        guard StandardStreams.ensureOpen() else { Foundation.exit(2) }
        signal(SIGPIPE, SIG_IGN)
        main(nil)
    }

    func run() throws {
        // Under mpirun, Open MPI is loaded and started here; a plain run never loads it.
        let group: ProcessGroup
        do {
            group = try ProcessGroup.fromLaunch()
        } catch {
            StandardStreams.writeError("fully-connected-feed: \(error.message)\n")
            throw ExitCode(1)
        }
        // In a job, messages name their rank, and a failure on one rank ends every rank
        // at once (the others would wait for it in the next collective).
        let prefix = group.size > 1 ? "fully-connected-feed: rank \(group.rank): " : "fully-connected-feed: "
        func fail(_ message: String, _ code: Int32, agreed: Bool) -> ExitCode {
            StandardStreams.writeError(prefix + message + "\n")
            if group.size > 1 {
                if agreed { try? group.finish() } else { group.abortJob(code: code) }
            }
            return ExitCode(code)
        }
        do {
            try Trainer(options: self, group: group).run()
            try group.finish()
        } catch let error as TrainingFailure {
            throw fail(error.message, error.exitCode, agreed: error.isAgreedStop)
        } catch let error as ExitCode {
            throw error
        } catch {
            throw fail("\(error)", 1, agreed: false)
        }
    }
}

/// Prints a warning line to standard error.
func warn(_ line: String) {
    StandardStreams.writeError("fully-connected-feed: warning: \(line)\n")
}
