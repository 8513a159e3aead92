import Foundation
import Testing
import TFCore
import TFProtos
import TrainerTestSupport

/// `Session.run(..., options: .fullTrace)`: one record per kernel, in order, with times and
/// output sizes, converted to TensorFlow's RunMetadata and a Chrome trace.
struct RunTracingTests {
    @Test func aFullTraceRecordsEachOpWithItsOutputsAndConvertsToRunMetadata() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 3], name: "x")
        let w = try g.variable(g.constant(0.5, shape: [3, 2]), name: "w")
        let product = try g.matMul(x, w, name: "product")
        let total = try g.reduceSum(g.relu(product, name: "relu"), name: "total")
        let session = Session(graph: g)
        try session.run(g.globalVariablesInitializer())
        let feed = [x: try Tensor(floats: [1, 2, 3, 4, 5, 6], shape: [2, 3])]

        let untraced = try session.run(fetches: [total], feeding: feed, options: RunOptions())
        #expect(untraced.statistics == nil)
        let (results, statistics) = try session.run(fetches: [total], feeding: feed, options: .fullTrace)
        #expect(results[0].scalarFloat == untraced.results[0].scalarFloat)
        let stats = try #require(statistics)
        #expect(stats.nodes.map(\.name) == ["product", "relu", "total"])
        let product0 = stats.nodes[0]
        #expect(product0.type == "MatMul" && product0.outputs.map(\.shape) == [[2, 2]] && product0.outputs[0].bytes == 16)
        #expect(product0.allocatedBytes == 16)
        #expect(stats.nodes.allSatisfy { $0.endNanoseconds >= $0.startNanoseconds && $0.startNanoseconds > 1_600_000_000_000_000_000 })
        #expect(zip(stats.nodes, stats.nodes.dropFirst()).allSatisfy { $0.endNanoseconds <= $1.startNanoseconds }, "in order")

        let metadata = stats.runMetadata()
        let device = try #require(metadata.stepStats.devStats.first)
        #expect(device.device == "/job:localhost/replica:0/task:0/device:CPU:0")
        let node = device.nodeStats[0]
        #expect(node.nodeName == "product" && node.memory.first?.totalBytes == 16 && node.memory.first?.allocatorName == "cpu")
        #expect(node.output.first?.tensorDescription.shape.dim.map(\.size) == [2, 2])
        #expect(node.output.first?.tensorDescription.allocationDescription.requestedBytes == 16)
        #expect(node.allStartMicros == product0.startNanoseconds / 1000 && node.allEndRelNanos == product0.endNanoseconds - product0.startNanoseconds)
        let decoded = try Tensorflow_RunMetadata(serializedBytes: try metadata.serializedBytes() as [UInt8])
        #expect(decoded.stepStats.devStats[0].nodeStats.map(\.nodeName) == ["product", "relu", "total"])

        let trace = try JSONSerialization.jsonObject(with: stats.chromeTrace()) as? [String: Any]
        let events = (trace?["traceEvents"] as? [[String: Any]] ?? []).filter { $0["ph"] as? String == "X" }
        #expect(events.map { ($0["args"] as? [String: String])?["name"] ?? "" } == ["product", "relu", "total"])
        #expect(events.allSatisfy { ($0["dur"] as? Double ?? -1) >= 0 })
    }

    /// A fused step is one record, attributed to the op whose outputs it produces.
    @Test func aFusedStepIsAttributedToTheOpItProduces() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [2, 3], name: "x")
        let w = try g.variable(g.constant(0.5, shape: [3, 2]), name: "w")
        let b = try g.variable(g.constant(0.1, shape: [2]), name: "b")
        let output = try g.add(g.matMul(x, w), b, name: "Wx_plus_b")
        let session = Session(graph: g)
        try session.run(g.globalVariablesInitializer())
        let (_, statistics) = try session.run(fetches: [output], feeding: [x: try Tensor(floats: [1, 2, 3, 4, 5, 6], shape: [2, 3])], options: .fullTrace)
        let nodes = try #require(statistics).nodes
        #expect(nodes.map(\.name) == ["Wx_plus_b"], "MatMul and Add fused into one step: \(nodes.map(\.name))")
        #expect(nodes.first?.fusedLabel?.contains("MatMul") == true)
    }

    /// `serializedRunMetadata()` (the encoder traced steps use) is `runMetadata()` serialized,
    /// byte for byte, on the tutorial's whole training step with its summary: fused products, updates
    /// of variables (no bytes of their own), a string output, scalars and int32 outputs.
    @Test func serializedRunMetadataIsTheRunMetadataMessage() throws {
        let model = try MNISTGraphFixture.make()
        let session = Session(graph: model.graph)
        try session.run(model.initializer)
        let feed = [
            model.images: try Tensor(floats: (0..<78_400).map { Float($0 % 255) / 255 }, shape: [100, 784]),
            model.labels: try Tensor(int32s: (0..<100).map { Int32($0 % 10) }, shape: [100]),
        ]
        let fetches = [model.loss] + (model.summary.map { [$0] } ?? [])
        let (_, statistics) = try session.run(fetches: fetches, targets: [model.trainOp], feeding: feed, options: .fullTrace)
        let stats = try #require(statistics)
        #expect(stats.nodes.count > 10)
        let decoded = try Tensorflow_RunMetadata(serializedBytes: stats.serializedRunMetadata())
        #expect(decoded == stats.runMetadata())
        #expect(stats.serializedRunMetadata() == (try stats.runMetadata().serializedBytes() as [UInt8]), "byte for byte")
        #expect(decoded.stepStats.devStats[0].nodeStats.count == stats.nodes.count)
    }
}
