import Foundation
import TFCore
import TFProtos
import TensorBoard

/// Every public entry point a user's package meets, called as a user calls it; exits 1 with
/// the failed check's description, 0 when the run it writes reads back as written.
@main
struct UsingTheLibrary {
    static func main() {
        do {
            let directory = NSTemporaryDirectory() + "using-the-library-\(getpid())"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try writeEveryKind(to: directory + "/run")
            try readItBack(from: directory + "/run")
            try train(logDirectory: directory + "/trainer")
            print("UsingTheLibrary: every public API used, the run reads back as written")
        } catch {
            FileHandle.standardError.write(Data("UsingTheLibrary: \(error)\n".utf8))
            exit(1)
        }
    }

    static func writeEveryKind(to run: String) throws {
        let writer = try SummaryWriter(logDirectory: run, flushInterval: 1)
        for step in 0..<100 {
            try writer.add(scalar: 1.0 / Float(step + 1), tag: "loss", step: step)
            try writer.add(scalar: Double(step) / 100, tag: "accuracy", step: step)
        }
        let statistics = try writer.add(histogram: [0.1, 0.5, 0.5, 0.9] as [Float], tag: "weights", step: 99).statistics
        try check(statistics?.count == 4, "histogram statistics: \(String(describing: statistics))")
        try writer.add(histogram: [1, 2, 3] as [Int], tag: "counts", step: 99)
        try writer.add(text: "**hello** from a user's package", tag: "notes", step: 0)
        let image = try SummaryImage(pixels: [0, 128, 255, 64], width: 2, height: 2, channels: 1)
        try writer.add(image: image, tag: "digits", step: 0)
        try writer.add(images: [image, try SummaryImage(floatPixels: [0, 0.5, 1, .nan], width: 2, height: 2, channels: 1)],
                       tag: "batch", step: 1)
        try writer.add(hparams: ["learning_rate": .number(0.01), "optimizer": .string("sgd")], metrics: ["loss"])
        var summary = Tensorflow_Summary()
        var value = Tensorflow_Summary.Value()
        value.tag = "raw"
        value.simpleValue = 42
        summary.value = [value]
        try writer.add(summary: summary, step: 5)
        let graph = Graph()
        _ = graph.placeholder(.float32, shape: [nil, 2], name: "x")
        try writer.add(graph: graph.graphDef())
        try writer.flush()
        try writer.close(status: .success)
    }

    static func readItBack(from run: String) throws {
        let reader = try RunReader(path: run)
        let loss = try reader.scalars(tag: "loss")
        try check(loss.map(\.step) == Array(0..<100), "loss steps")
        try check(loss.last!.value < loss.first!.value, "loss falls")
        try check(try reader.histograms(tag: "weights").count == 1, "one histogram")
        try check(try reader.images(tag: "digits").first?.width == 2, "image width")
        try check(try reader.texts(tag: "notes").first?.text.contains("hello") == true, "text")
        try check(try reader.tags()[.scalars]?.contains("accuracy") == true, "tags by kind")
        try check(try reader.graphNodes()?.contains { $0.name == "x" } == true, "graph")
        try check(try reader.hparams()?["optimizer"] == .string("sgd"), "hparams")

        let reports = try EventFileValidator.validate(path: run)
        try check(!reports.isEmpty && reports.allSatisfy(\.isClean), "validation: \(reports)")
        var steps: [Int64] = []
        let file = try EventFileReader.eventFiles(inRun: run)[0]
        for record in try EventFileReader(path: file).readAll() {
            let event = try record.event()
            if event.summary.value.first?.tag == "raw" { steps.append(event.step) }
        }
        try check(steps == [5], "raw summary read through EventFileReader: \(steps)")
    }

    static func train(logDirectory: String) throws {
        let graph = Graph(randomSeed: 1)
        let x = graph.placeholder(.float32, shape: [nil, 2], name: "x")
        let y = graph.placeholder(.int32, shape: [nil], name: "y")
        let logits = try graph.withNameScope("linear") {
            let weights = try graph.variable(graph.truncatedNormal([2, 2], stddev: 0.1), name: "weights")
            let biases = try graph.variable(graph.zeros([2]), name: "biases")
            return try graph.add(graph.matMul(x, weights), biases)
        }
        let loss = try graph.reduceMean(graph.sparseSoftmaxCrossEntropyWithLogits(labels: y, logits: logits))
        let trainOp = try GradientDescentOptimizer(learningRate: 0.5).minimize(loss)
        let session = Session(graph: graph)
        try session.run(graph.globalVariablesInitializer())
        let feed = [x: try Tensor(floats: [0, 1, 1, 0], shape: [2, 2]), y: try Tensor(int32s: [1, 0], shape: [2])]
        let writer = try SummaryWriter(logDirectory: logDirectory)
        var values: [Float] = []
        for step in 0..<50 {
            let value = try session.run(trainOp, fetching: loss, feeding: feed).scalarFloat
            values.append(value)
            try writer.add(scalar: value, tag: "loss", step: step)
        }
        try writer.close()
        try check(values.last! < values.first!, "training lowers the loss")
        try check(!(try BLASLibrary.loaded().kernel.isEmpty), "BLAS kernel named")
        let saver = Saver(graph: graph)
        let prefix = try saver.save(session, prefix: logDirectory + "/model.ckpt", globalStep: 50)
        try check(try CheckpointReader(prefix: prefix).variables["linear/weights"] != nil, "checkpoint")
    }

    struct CheckFailed: Error, CustomStringConvertible {
        var description: String
    }

    static func check(_ condition: Bool, _ what: @autoclosure () -> String) throws {
        guard condition else { throw CheckFailed(description: "check failed: \(what())") }
    }
}
