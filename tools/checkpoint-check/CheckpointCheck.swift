import Foundation
import MNIST
import Mechanics101
import SwiftProtobuf
import TFCore

/// The Swift side of `tools/verify-with-tensorflow`.
///
///     checkpoint-check export DIR      trains the tutorial model a few steps, saves a
///                                      checkpoint (with its .meta), and writes raw
///                                      variable values, the GraphDef, an input batch and
///                                      its logits, and a training batch with the losses
///                                      of 10 more steps on it
///     checkpoint-check restore PREFIX DIR
///                                      restores a TensorFlow-written checkpoint and checks
///                                      every variable bit for bit against DIR/tf-values
@main
struct CheckpointCheck {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            switch arguments.first {
            case "export" where arguments.count == 2: try export(to: arguments[1])
            case "restore" where arguments.count == 3: try restore(arguments[1], expected: arguments[2])
            default:
                FileHandle.standardError.write(Data("usage: checkpoint-check export DIR | restore PREFIX DIR\n".utf8))
                exit(2)
            }
        } catch {
            FileHandle.standardError.write(Data("checkpoint-check: \(error)\n".utf8))
            exit(1)
        }
    }

    static func model() throws -> MNISTTrainingGraph {
        try MNISTTrainingGraph(batchSize: nil, hidden1Units: 128, hidden2Units: 32, learningRate: 0.05, seed: 11)
    }

    static func fileName(_ variable: Variable) -> String {
        variable.name.replacingOccurrences(of: "/", with: "__") + ".bin"
    }

    static func export(to directory: String) throws {
        let model = try model()
        let session = Session(graph: model.graph)
        try session.run(model.initializer)
        var data = DataSets.fake().train
        let sets = try? DataSets.read(from: "/usr/share/datasets/fashion-mnist")
        if let sets { data = sets.train }
        for _ in 0..<20 {
            let batch = try data.nextBatch(50)
            try session.run(model.trainOp, feeding: [
                model.images: try Tensor(floats: batch.images, shape: [50, 784]), model.labels: try Tensor(int32s: batch.labels, shape: [50]),
            ])
        }
        try FileManager.default.createDirectory(atPath: directory + "/values", withIntermediateDirectories: true)
        let prefix = try Saver(graph: model.graph).save(session, prefix: directory + "/model.ckpt", globalStep: 20)
        var manifest: [[String: Any]] = []
        for variable in model.graph.globalVariables {
            let value = try session.value(of: variable)
            let bytes: Data
            switch value.storage {
            case .float32(let v): bytes = v.withUnsafeBytes { Data($0) }
            case .int32(let v): bytes = v.withUnsafeBytes { Data($0) }
            default: throw CheckError("unexpected dtype for \(variable.name)")
            }
            try bytes.write(to: URL(fileURLWithPath: directory + "/values/" + fileName(variable)))
            manifest.append(["name": variable.name, "dtype": "\(variable.dtype)", "shape": value.shape, "file": fileName(variable)])
        }
        let input = try data.nextBatch(5)
        let logits = try session.run(model.logits, feeding: [model.images: try Tensor(floats: input.images, shape: [5, 784])])
        try input.images.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: directory + "/input.bin")) }
        try logits.floats.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: directory + "/logits.bin")) }
        try Data(model.graph.graphDef().serializedBytes() as [UInt8]).write(to: URL(fileURLWithPath: directory + "/graph.pb"))

        // What TensorFlow must reproduce from the meta graph: the loss before and after
        // each of 10 more steps on one batch, continuing from the checkpoint.
        let batch = try data.nextBatch(50)
        let feed = [model.images: try Tensor(floats: batch.images, shape: [50, 784]), model.labels: try Tensor(int32s: batch.labels, shape: [50])]
        var losses = [try session.run(model.loss, feeding: feed).scalarFloat]
        for _ in 0..<10 {
            try session.run(model.trainOp, feeding: feed)
            losses.append(try session.run(model.loss, feeding: feed).scalarFloat)
        }
        try batch.images.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: directory + "/train-images.bin")) }
        try batch.labels.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: directory + "/train-labels.bin")) }
        try losses.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: directory + "/losses.bin")) }
        let json = try JSONSerialization.data(withJSONObject: [
            "checkpoint": prefix, "variables": manifest, "input_shape": [5, 784], "logits": "softmax_linear/add",
            "images": model.images.operation.name, "labels": model.labels.operation.name, "loss": model.loss.name,
            "train_batch": 50, "global_step": 20, "learning_rate": 0.05,
        ], options: [.prettyPrinted, .sortedKeys])
        try json.write(to: URL(fileURLWithPath: directory + "/manifest.json"))
        print("exported \(prefix) with \(manifest.count) variables")
    }

    static func restore(_ prefix: String, expected directory: String) throws {
        let model = try model()
        let session = Session(graph: model.graph)
        try Saver(graph: model.graph).restore(session, from: prefix)
        var mismatches = 0
        for variable in model.graph.globalVariables {
            let want = try Data(contentsOf: URL(fileURLWithPath: directory + "/tf-values/" + fileName(variable)))
            let got: Data
            switch try session.value(of: variable).storage {
            case .float32(let v): got = v.withUnsafeBytes { Data($0) }
            case .int32(let v): got = v.withUnsafeBytes { Data($0) }
            default: got = Data()
            }
            let same = got == want
            if !same { mismatches += 1 }
            print("  \(same ? "ok  " : "FAIL") restored \(variable.name) bit for bit from TensorFlow's checkpoint")
        }
        if mismatches > 0 { throw CheckError("\(mismatches) variables differ") }
    }
}

struct CheckError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
