import Foundation
import Mechanics101
import SwiftProtobuf
import TFCore
import TFProtos
import TensorBoard
import Testing
import TestSupport
import TrainerTestSupport

/// `mpirun -np N fully-connected-feed`: rank 0 alone writes and prints, checkpoints move
/// between job sizes, and a lost rank, Ctrl-C or a rank without data end the job cleanly.
extension MPIJobTests {
@Suite struct FullyConnectedFeedJobTests {
    static let program = "fully-connected-feed"

    /// Runs a job to its end (at most `seconds`), killing it past that.
    static func job(_ mpirun: String, ranks: Int, _ arguments: [String], seconds: Double = 300) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let job = try RunningJob(mpirun, ranks: ranks, program, arguments)
        if !job.waitForExit(seconds: seconds) {
            job.stop()
            Issue.record("the job did not end within \(seconds) s: \(job.stdout)\(job.stderr)")
        }
        return (job.status ?? -1, job.stdout, job.stderr)
    }

    /// Restores `prefix` into the tutorial's graph and returns its global_step.
    static func restoredGlobalStep(_ prefix: String) throws -> Double {
        let model = try MNISTGraphFixture.make()
        let session = Session(graph: model.graph)
        try Saver(graph: model.graph).restore(session, from: prefix)
        return try session.value(of: model.globalStep).scalarDouble
    }

    @Test func rankZeroAloneWritesTheRunAndEveryRankItsOwnSubRun() throws {
        guard let mpirun = mpirunPath(skipping: "the fully-connected-feed job test") else { return }
        let logDir = makeTemporaryDirectory("job-run")
        let result = try Self.job(mpirun, ranks: 2, ["--fake-data", "--max-steps", "150", "--log-dir", logDir, "--log-every-rank"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // The tutorial's lines, once.
        #expect(result.stdout.components(separatedBy: "Test Data Eval:").count == 2, "\(result.stdout)")
        #expect(result.stdout.components(separatedBy: "Step 100: loss").count == 2)
        #expect(result.stdout.contains("Num examples: 55000  Num correct: 55000  Precision @ 1: 1.0000"), "\(result.stdout)")
        // One event file, the checkpoint and its `checkpoint` file, from rank 0 only.
        #expect(try EventFileReader.eventFiles(inRun: logDir).count == 1)
        #expect(FileManager.default.fileExists(atPath: logDir + "/model.ckpt-149.index"))
        #expect(FileManager.default.fileExists(atPath: logDir + "/checkpoint"))
        let events = try EventFileReader(path: logDir).readAll()
        #expect(events.filter { $0.decoded.summary.value.first?.tag == "loss" }.map(\.decoded.step) == [0, 100])
        // The allreduce is an op of the graph, in its own scope, between gradients and updates.
        let graphBytes = try #require(events.first { !$0.decoded.graphDef.isEmpty }?.decoded.graphDef)
        let graph = try Tensorflow_GraphDef(serializedBytes: graphBytes)
        let allreduce = try #require(graph.node.first { $0.op == "AllreduceMean" })
        #expect(allreduce.name == "DistributedAllreduce/AllreduceMean")
        #expect(allreduce.input.count == 6)
        #expect(graph.node.filter { $0.op == "ApplyGradientDescent" }.allSatisfy { $0.input[2].hasPrefix("DistributedAllreduce/AllreduceMean") })
        // Each rank's own loss and step time, every step.
        for rank in 0..<2 {
            let subRun = logDir + "/rank-\(rank)"
            let scalars = try EventFileReader(path: subRun).readAll().compactMap(\.decoded.summary.value.first)
            #expect(scalars.filter { $0.tag == "loss" }.count == 150, "rank \(rank)")
            #expect(scalars.filter { $0.tag == "step_time_seconds" }.count == 150, "rank \(rank)")
        }
    }

    /// A checkpoint of a 2-rank job continues in 1 process, whose checkpoint continues in
    /// a 2-rank job again; TensorFlow reads the last one.
    @Test func checkpointsMoveBetweenJobSizes() throws {
        guard let mpirun = mpirunPath(skipping: "the checkpoint round trip between job sizes") else { return }
        let logDir = makeTemporaryDirectory("job-resume")
        let first = try Self.job(mpirun, ranks: 2, ["--fake-data", "--max-steps", "100", "--log-dir", logDir])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(try Self.restoredGlobalStep(logDir + "/model.ckpt-99") == 100)

        let single = try runProduct(Self.program, ["--fake-data", "--max-steps", "200", "--log-dir", logDir, "--resume"])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(single.stdout.contains("continuing from step 100"), "\(single.stdout)")

        let again = try Self.job(mpirun, ranks: 2, ["--fake-data", "--max-steps", "300", "--log-dir", logDir, "--resume"])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("continuing from step 200"), "\(again.stdout)")
        #expect(try Self.restoredGlobalStep(logDir + "/model.ckpt-299") == 300)

        guard let python = toolsPython(skipping: "loading a job's checkpoint with TensorFlow") else { return }
        let script = """
            import sys, tensorflow as tf
            reader = tf.train.load_checkpoint(sys.argv[1])
            print(int(reader.get_tensor("global_step")), reader.get_tensor("hidden1/weights").shape)
            """
        let loaded = try runCommand(python, ["-c", script, logDir + "/model.ckpt-299"], environment: ["TF_CPP_MIN_LOG_LEVEL": "3"])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.stdout.contains("300 (784, 128)"), "\(loaded.stdout)")
    }

    /// SIGKILL on rank 1 after the first checkpoint: mpirun ends the job within 30 s,
    /// non-zero, naming rank 1; rank 0's event file validates and its checkpoint restores.
    @Test func aKilledRankEndsTheJob() throws {
        guard let mpirun = mpirunPath(skipping: "the killed-rank test") else { return }
        let logDir = makeTemporaryDirectory("job-kill")
        let job = try RunningJob(mpirun, ranks: 2, Self.program, ["--fake-data", "--max-steps", "1000000", "--log-dir", logDir])
        defer { job.stop() }
        // The evaluation after step 999 prints three lines; the checkpoint was saved before.
        let evaluated = job.waitForOutput(seconds: 240) { $0.components(separatedBy: "Num examples").count == 4 }
        try #require(evaluated, "no evaluation after step 999: \(job.stdout)\(job.stderr)")
        let victim = try #require(job.pid(ofRank: 1))
        let killed = Date()
        kill(victim, SIGKILL)
        #expect(job.waitForExit(seconds: 30), "the job still runs 30 s after rank 1 was killed")
        #expect(Date().timeIntervalSince(killed) < 30)
        #expect(job.status.map { $0 != 0 } == true)
        #expect(job.stderr.contains("rank 1"), "\(job.stderr)")

        let files = try EventFileReader.eventFiles(inRun: logDir)
        #expect(files.count == 1)
        for file in files {
            let report = EventFileValidator.validate(file: file)
            var acceptable = report.isClean
            if case .truncatedTail? = report.problem { acceptable = true }
            #expect(acceptable && report.records > 3, "\(report)")
        }
        #expect(try Self.restoredGlobalStep(logDir + "/model.ckpt-999") == 1000)
    }

    /// Ctrl-C on mpirun: every rank stops before the same step, rank 0 closes its event
    /// file and says how to continue, as the single-process SIGINT path does.
    @Test func ctrlCOnMpirunStopsEveryRankAndFlushes() throws {
        guard let mpirun = mpirunPath(skipping: "the Ctrl-C test") else { return }
        let logDir = makeTemporaryDirectory("job-interrupt")
        let job = try RunningJob(mpirun, ranks: 2, Self.program, ["--fake-data", "--max-steps", "1000000", "--log-dir", logDir])
        defer { job.stop() }
        try #require(job.waitForOutput(seconds: 120) { $0.contains("Step 100: loss") }, "\(job.stdout)\(job.stderr)")
        kill(job.pid, SIGINT)
        #expect(job.waitForExit(seconds: 30))
        #expect(job.status.map { $0 != 0 } == true)
        #expect(job.stdout.contains("events are written. Continue with --resume."), "\(job.stdout)\(job.stderr)")
        let files = try EventFileReader.eventFiles(inRun: logDir)
        #expect(files.count == 1)
        let report = EventFileValidator.validate(file: files[0])
        #expect(report.isClean, "\(report)")
        let events = try EventFileReader(path: logDir).readAll()
        #expect(events.contains { $0.decoded.summary.value.first?.tag == "loss" && $0.decoded.step == 100 })
    }

    /// A rank that cannot read its data fails the job at once, with its own message.
    @Test func aRankWithoutDataFailsTheJob() throws {
        guard let mpirun = mpirunPath(skipping: "the missing-data test") else { return }
        let logDir = makeTemporaryDirectory("job-nodata")
        let binary = productsDirectory.appendingPathComponent(Self.program).path
        let missing = makeTemporaryDirectory("no-data") + "/absent"
        let result = try runCommand(
            mpirun,
            ["--oversubscribe", "-np", "1", binary, "--max-steps", "10", "--log-dir", logDir, "--input-data-dir", missing, ":",
             "-np", "1", "-x", "FASHION_MNIST_DIR=\(missing)", binary, "--max-steps", "10", "--log-dir", logDir, "--input-data-dir", missing],
            environment: mpirunEnvironment)
        #expect(result.status != 0)
        #expect(result.stderr.contains("rank 1: no training data: \(missing) lacks the four MNIST files"), "\(result.stderr)")
    }
}
}

extension MPIJobTests {
/// The tutorial on its real data (Debian's Fashion-MNIST), trained by jobs of 2 and 4 ranks
/// against one process, compared on test precision at the same number of examples seen.
@Suite struct DataParallelPrecisionTests {
    static let dataDirectory = "/usr/share/datasets/fashion-mnist"

    /// The last "Test Data Eval" precision a run printed.
    static func testPrecision(_ stdout: String) -> Double? {
        guard let section = stdout.components(separatedBy: "Test Data Eval:").last,
              let value = section.components(separatedBy: "Precision @ 1: ").dropFirst().first?.prefix(6)
        else { return nil }
        return Double(value)
    }

    static func single(_ arguments: [String]) throws -> Double? {
        let result = try runProduct("fully-connected-feed", arguments + ["--log-dir", makeTemporaryDirectory("precision-1")])
        #expect(result.status == 0, "\(result.stderr)")
        return testPrecision(result.stdout)
    }

    static func job(_ mpirun: String, ranks: Int, _ arguments: [String]) throws -> Double? {
        let result = try FullyConnectedFeedJobTests.job(
            mpirun, ranks: ranks, arguments + ["--log-dir", makeTemporaryDirectory("precision-\(ranks)")])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        return testPrecision(result.stdout)
    }

    /// The default global batch (100) and learning rate, split over 2 and 4 ranks
    /// (--batch-size 50 and 25): the same examples in the same steps, so the same test
    /// precision (within 0.01) after 500 steps as one process.
    @Test func jobsOfTheDefaultGlobalBatchReachTheSinglePrecision() throws {
        guard let mpirun = mpirunPath(skipping: "the precision comparison of jobs") else { return }
        guard FileManager.default.fileExists(atPath: Self.dataDirectory) else {
            Issue.record("no Fashion-MNIST in \(Self.dataDirectory): run tools/install-system-packages")
            return
        }
        let common = ["--max-steps", "500", "--seed", "1"]
        let reference = try #require(try Self.single(common + ["--batch-size", "100"]))
        let two = try #require(try Self.job(mpirun, ranks: 2, common + ["--batch-size", "50"]))
        let four = try #require(try Self.job(mpirun, ranks: 4, common + ["--batch-size", "25"]))
        #expect(reference > 0.5, "one process reached only \(reference)")
        #expect(abs(two - reference) <= 0.01, "2 ranks: \(two), 1 process: \(reference)")
        #expect(abs(four - reference) <= 0.01, "4 ranks: \(four), 1 process: \(reference)")
    }

    /// The default per-rank batch (100) on 2 ranks sees 200 examples a step: with the
    /// learning rate scaled by the ranks (0.02, which the program leaves to the user), it
    /// reaches one process's test precision (within 0.01) in half the steps.
    @Test func twoRanksOfTheDefaultBatchWithAScaledRateReachTheSinglePrecision() throws {
        guard let mpirun = mpirunPath(skipping: "the precision comparison at the default batch") else { return }
        guard FileManager.default.fileExists(atPath: Self.dataDirectory) else {
            Issue.record("no Fashion-MNIST in \(Self.dataDirectory): run tools/install-system-packages")
            return
        }
        let reference = try #require(try Self.single(["--max-steps", "1000", "--seed", "1"]))
        let two = try #require(try Self.job(mpirun, ranks: 2, ["--max-steps", "500", "--seed", "1", "--learning-rate", "0.02"]))
        #expect(two >= reference - 0.01, "2 ranks: \(two), 1 process: \(reference)")
    }
}
}
