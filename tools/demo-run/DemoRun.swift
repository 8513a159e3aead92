import Foundation
import TFProtos
import TensorBoard

/// Writes a log directory that uses every summary kind, plus `expected.json` with the exact
/// values written, for `tools/verify-with-tensorboard` to compare with what TensorBoard
/// serves. Usage: `demo-run LOGDIR`.
///
/// `demo-run --stream LOGDIR` is a plain writer for the kill -9 trials: it adds scalar
/// `loss` at steps 0, 1, 2, ... forever, and after each flush (every 100 steps) prints
/// `flushed N`, N being the last step on disk.
@main
struct DemoRun {
    static func main() {
        let arguments = CommandLine.arguments
        let stream = arguments.count == 3 && arguments[1] == "--stream"
        guard arguments.count == 2 || stream else {
            FileHandle.standardError.write(Data("usage: demo-run [--stream] LOGDIR\n".utf8))
            exit(2)
        }
        do {
            if stream {
                try writeForever(logDirectory: arguments[2])
            } else {
                try write(logDirectory: arguments[1])
            }
        } catch {
            FileHandle.standardError.write(Data("demo-run: \(error)\n".utf8))
            exit(1)
        }
    }

    static func writeForever(logDirectory: String) throws {
        let writer = try SummaryWriter(logDirectory: logDirectory)
        var step = 0
        while true {
            try writer.add(scalar: 1 / Float(1 + step), tag: "loss", step: step)
            if step % 100 == 99 {
                try writer.flush()
                FileHandle.standardOutput.write(Data("flushed \(step)\n".utf8))
            }
            step += 1
        }
    }

    static func write(logDirectory: String) throws {
        let train = try SummaryWriter(logDirectory: logDirectory + "/train")
        try train.add(
            hparams: ["learning_rate": .number(0.01), "optimizer": .string("sgd"), "nesterov": .bool(true)],
            metrics: ["loss"], domains: ["optimizer": .discrete([.string("sgd"), .string("adam")])])

        var losses: [[Double]] = []
        for step in 0..<100 {
            let loss = Float(2.3) / Float(1 + step)
            try train.add(scalar: loss, tag: "loss", step: step)
            losses.append([Double(step), Double(loss)])
        }

        let weights = (0..<1000).map { Double($0 % 100) / 10 }
        try train.add(histogram: weights, tag: "weights", step: 0, bucketCount: 10)
        let histogram = Histogram(values: weights, bucketCount: 10)

        let pixels: [UInt8] = (0..<(4 * 3 * 3)).map { UInt8(($0 * 37) % 256) }
        try train.add(image: SummaryImage(pixels: pixels, width: 4, height: 3, channels: 3), tag: "digits", step: 5)

        let text = "**Mechanics 101** in Swift"
        try train.add(text: text, tag: "notes", step: 1)

        try train.add(graph: demoGraph())
        let more = try writeMoreKinds(train)
        try train.close()
        try writeEncoderCases(into: logDirectory + "/encoders")

        let eval = try SummaryWriter(logDirectory: logDirectory + "/eval")
        for step in stride(from: 0, to: 100, by: 10) {
            try eval.add(scalar: Float(step) / 100, tag: "precision", step: step)
        }
        try eval.close()

        var expected: [String: Any] = [
            "runs": ["eval", "train"],
            "scalars": [
                ["run": "train", "tag": "loss", "points": losses, "tolerance": 0],
                ["run": "eval", "tag": "precision", "tolerance": 0,
                 "points": stride(from: 0, to: 100, by: 10).map { [Double($0), Double(Float($0) / 100)] }],
            ],
            "histograms": [["run": "train", "tag": "weights", "buckets": histogram.buckets.map { [$0.leftEdge, $0.rightEdge, $0.count] }]],
            "images": [["run": "train", "tag": "digits", "width": 4, "height": 3, "pixels": pixels.map(Int.init)]],
            "texts": [["run": "train", "tag": "notes", "text": text]],
            "graphs": [["run": "train", "nodes": demoGraph().node.map { ["name": $0.name, "op": $0.op] }]],
            "hparams": [[
                "hparams": ["learning_rate": 0.01, "optimizer": "sgd", "nesterov": true], "metric": "loss",
                "value": losses.last?[1] ?? 0,
                // The filter values TensorBoard's hparams dashboard offers (HParamInfo.domain_discrete).
                "domains": ["optimizer": ["sgd", "adam"], "nesterov": [false, true]],
            ]],
        ]
        for (kind, items) in more {
            expected[kind] = ((expected[kind] as? [Any]) ?? []) + ((items as? [Any]) ?? [])
        }
        let json = try JSONSerialization.data(withJSONObject: expected, options: [.prettyPrinted, .sortedKeys])
        try json.write(to: URL(fileURLWithPath: logDirectory + "/expected.json"))
        print("wrote \(logDirectory) (runs train, train/waves/*, eval; encoders/)")
    }

    /// A small two-layer graph in TensorFlow's vocabulary.
    static func demoGraph() -> Tensorflow_GraphDef {
        func node(_ name: String, _ op: String, _ inputs: [String] = []) -> Tensorflow_NodeDef {
            var node = Tensorflow_NodeDef()
            node.name = name
            node.op = op
            node.input = inputs
            var dtype = Tensorflow_AttrValue()
            dtype.type = .dtFloat
            node.attr["T"] = dtype
            return node
        }
        var graph = Tensorflow_GraphDef()
        graph.node = [
            node("images", "Placeholder"),
            node("hidden1/weights", "VariableV2"),
            node("hidden1/MatMul", "MatMul", ["images", "hidden1/weights"]),
            node("hidden1/Relu", "Relu", ["hidden1/MatMul"]),
            node("loss", "Mean", ["hidden1/Relu"]),
        ]
        graph.versions.producer = 27
        return graph
    }
}
