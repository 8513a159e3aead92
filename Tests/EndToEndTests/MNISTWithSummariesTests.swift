import Foundation
import Testing
import TFProtos
import TFRecord
import TensorBoard
import TestSupport

/// Runs the built `mnist-with-summaries` like a user would, on fake data.
struct MNISTWithSummariesTests {
    static func events(in run: String) throws -> [Tensorflow_Event] {
        let names = try FileManager.default.contentsOfDirectory(atPath: run).filter { $0.contains("tfevents") }
        #expect(names.count == 1, "one event file in \(run): \(names)")
        let reader = try EventFileReader(path: run + "/" + (names.first ?? ""))
        var events: [Tensorflow_Event] = []
        while let record = try reader.next() { events.append(try record.event()) }
        return events
    }

    static func isSummary(_ event: Tensorflow_Event) -> Bool {
        if case .summary = event.what { return true }
        return false
    }

    @Test func fakeDataRunWritesTrainAndTestRunsWithTheTutorialsTagsAndRunMetadata() throws {
        let logDir = makeTemporaryDirectory("mws-fake")
        let traceDir = makeTemporaryDirectory("mws-trace")
        let result = try runProduct("mnist-with-summaries", ["--fake_data", "--max_steps", "120", "--log_dir", logDir, "--trace-dir", traceDir])
        try #require(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("Accuracy at step ") }.count == 12)
        #expect(lines.contains("Accuracy at step 110: 1.0"), "fake data (all one image, label 0) is learnt: \(lines.suffix(3))")
        #expect(lines.contains("Adding run metadata for 99"))

        let train = try Self.events(in: logDir + "/train")
        let test = try Self.events(in: logDir + "/test")
        #expect(train.contains { $0.graphDef.count > 0 }, "the graph is in the train run")
        let tagged = train.filter { !$0.taggedRunMetadata.tag.isEmpty }
        #expect(tagged.map(\.taggedRunMetadata.tag) == ["step099"])
        let metadata = try Tensorflow_RunMetadata(serializedBytes: tagged.first?.taggedRunMetadata.runMetadata ?? Data())
        let nodes = metadata.stepStats.devStats.flatMap(\.nodeStats)
        #expect(nodes.contains { $0.nodeName == "layer1/Wx_plus_b/MatMul" || $0.nodeName == "layer1/Wx_plus_b/add" })
        #expect(nodes.contains { $0.nodeName.hasPrefix("train/Adam") }, "the update ops are traced")

        let trainSteps = train.filter(Self.isSummary).map(\.step)
        let testSteps = test.filter(Self.isSummary).map(\.step)
        #expect(testSteps == stride(from: 0, to: 120, by: 10).map(Int64.init))
        #expect(trainSteps == (0..<120).filter { $0 % 10 != 0 }.map(Int64.init))
        let tags = Set(test.first(where: Self.isSummary)?.summary.value.map(\.tag) ?? [])
        for tag in ["accuracy_1", "cross_entropy_1", "dropout/dropout_keep_probability", "layer1/weights/summaries/mean_1",
                    "layer1/weights/summaries/stddev_1", "layer1/weights/summaries/max_1", "layer1/weights/summaries/min_1",
                    "layer1/weights/summaries/histogram", "layer2/biases/summaries/mean_1", "layer1/Wx_plus_b/pre_activations",
                    "layer1/activations", "layer2/activations", "input_reshape/input/image/0", "input_reshape/input/image/9"] {
            #expect(tags.contains(tag), "tag \(tag)")
        }
        let trace = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: traceDir + "/step099.json"))) as? [String: Any]
        let traceEvents = trace?["traceEvents"] as? [[String: Any]] ?? []
        #expect(traceEvents.filter { $0["ph"] as? String == "X" }.count == nodes.count, "one Chrome trace event per traced op")
    }

    @Test func anExistingRunIsKeptUnlessOverwriteIsGiven() throws {
        let logDir = makeTemporaryDirectory("mws-keep")
        let arguments = ["--fake-data", "--max-steps", "2", "--log-dir", logDir]
        #expect(try runProduct("mnist-with-summaries", arguments).status == 0)
        let again = try runProduct("mnist-with-summaries", arguments)
        #expect(again.status == 1 && again.stderr.contains("--overwrite"), "\(again.stderr)")
        #expect(try runProduct("mnist-with-summaries", arguments + ["--overwrite"]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: logDir + "/train").filter { $0.contains("tfevents") }.count == 1)
    }

    /// `--overwrite` deletes only event files this package wrote: another program's event
    /// file in one run, or a checkpoint in the other, stops it before anything is deleted.
    @Test(arguments: ["train", "test"])
    func overwriteRefusesEventFilesItDidNotWrite(run: String) throws {
        let logDir = makeTemporaryDirectory("mws-overwrite-\(run)")
        let arguments = ["--fake-data", "--max-steps", "2", "--log-dir", logDir]
        #expect(try runProduct("mnist-with-summaries", arguments).status == 0)
        // A checkpoint state file (train), or a well-formed event file of our name pattern
        // whose first event names another writer (test).
        let payload: [UInt8] = [0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x1A, 0x04] + Array("tf-2".utf8)
        if run == "train" {
            try writeFileBytes(Array("model_checkpoint_path: \"model.ckpt-1\"\n".utf8), to: logDir + "/train/checkpoint")
        } else {
            try writeFileBytes(framedFile([payload]), to: logDir + "/test/events.out.tfevents.1700000000.host.1.0")
        }
        let listing = { try ["train", "test"].map { try FileManager.default.contentsOfDirectory(atPath: logDir + "/" + $0).sorted() } }
        let before = try listing()
        let refused = try runProduct("mnist-with-summaries", arguments + ["--overwrite"])
        #expect(refused.status == 1 && refused.stderr.contains("nothing was deleted"), "\(refused.stderr)")
        #expect(refused.stderr.contains(run == "train" ? "checkpoint" : "written by another program"), "\(refused.stderr)")
        #expect(try listing() == before)
    }
}
