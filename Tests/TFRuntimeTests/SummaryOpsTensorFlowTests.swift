import Foundation
import SwiftProtobuf
import Testing
import TFCore
import TFProtos
import TensorBoard
import TestSupport

/// The histogram and image summary ops against TensorFlow's own (tf.compat.v1 in the tools
/// venv; skipped with a note when it is missing): the same HistogramProto bytes, the same
/// image tags and decoded pixels.
struct SummaryOpsTensorFlowTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func histogramAndImageSummariesEqualTensorFlows() throws {
        guard let python = toolsPython(skipping: "the comparison with TensorFlow's summary ops") else { return }
        var generator = SeededRandom(seed: 7)
        // Weights-like values, exact zeros, both signs of tiny and huge values, repeats.
        var values = (0..<5000).map { _ in Float.random(in: -0.2...0.2, using: &generator) }
        values += [0, -0, 1e-13, -1e-13, 1e-12, -1e-12, 3e30, -3e30, 1, 1, 1, 0.5, -7.25]
        // Two float images with negative values, one non-negative, one with a NaN pixel.
        let (batch, height, width, channels) = (4, 5, 3, 1)
        var pixels = (0..<(batch * height * width)).map { _ in Float.random(in: -1...2, using: &generator) }
        for i in (height * width)..<(2 * height * width) { pixels[i] = abs(pixels[i]) }
        pixels[3 * height * width + 4] = .nan

        let g = Graph()
        let histogramValues = g.constant(try Tensor(floats: values, shape: [values.count]))
        let histogram = try g.histogramSummary("values", histogramValues)
        let images = g.constant(try Tensor(floats: pixels, shape: [batch, height, width, channels]))
        let image = try g.imageSummary("input", images, maxOutputs: 3)
        let results = try Session(graph: g).run(fetches: [histogram, image])
        let ours = try Tensorflow_Summary(serializedBytes: results[0].strings[0])
        let ourImages = try Tensorflow_Summary(serializedBytes: results[1].strings[0])

        let directory = makeTemporaryDirectory("tf-summaries")
        let valuesPath = directory + "/values.f32"
        let imagesPath = directory + "/images.f32"
        try writeFileBytes(values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }, to: valuesPath)
        try writeFileBytes(pixels.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }, to: imagesPath)
        let result = try runCommand(
            python,
            [Self.root.appendingPathComponent("tools/verify/tensorflow_summaries.py").path, valuesPath, imagesPath]
                + [batch, height, width, channels, 3].map(String.init))
        try #require(result.status == 0, "\(result.stderr)")
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])

        // Every field as TensorFlow writes it; the sums up to their last bits (ours are summed
        // in four interleaved partial sums, TensorFlow's in order).
        let theirHistogram = try Tensorflow_HistogramProto(serializedBytes: hexBytes(theirs["histogram"] as? String ?? ""))
        let ourHistogram = ours.value[0].histo
        #expect(ourHistogram.bucketLimit == theirHistogram.bucketLimit && ourHistogram.bucket == theirHistogram.bucket, "buckets: ours \(ourHistogram), TensorFlow's \(theirHistogram)")
        #expect(ourHistogram.min == theirHistogram.min && ourHistogram.max == theirHistogram.max && ourHistogram.num == theirHistogram.num)
        // (A sum's rounding error is relative to the sum of magnitudes: 3e30 - 3e30 cancels.)
        let magnitudes = values.reduce(0.0) { $0 + abs(Double($1)) }
        #expect(abs(ourHistogram.sum - theirHistogram.sum) <= 1e-12 * magnitudes, "sum \(ourHistogram.sum) vs \(theirHistogram.sum)")
        #expect(abs(ourHistogram.sumSquares - theirHistogram.sumSquares) <= 1e-12 * theirHistogram.sumSquares, "sum of squares")
        #expect(ours.value[0].tag == "values")

        let theirImages = try #require(theirs["images"] as? [[String: Any]])
        #expect(ourImages.value.map(\.tag) == theirImages.map { $0["tag"] as? String ?? "" })
        #expect(ourImages.value.map(\.tag) == ["input/image/0", "input/image/1", "input/image/2"])
        for (value, their) in zip(ourImages.value, theirImages) {
            #expect(Int(value.image.width) == their["width"] as? Int && Int(value.image.height) == their["height"] as? Int)
            #expect(Int(value.image.colorspace) == their["colorspace"] as? Int)
            let decoded = try decodePNG(Array(value.image.encodedImageString), python: python, directory: directory)
            #expect(decoded == (their["pixels"] as? [Int] ?? []), "\(value.tag): pixels differ from TensorFlow's")
        }
    }

    /// TensorBoard's loader turns the op's histogram into the rows its dashboards draw, as
    /// it does TensorFlow's: the two outer buckets (the empty runs out to ±Double.max that
    /// TensorFlow's default edges always leave) are dropped, the first row starts at `min`,
    /// the last ends at `max`, edges become float32, and the counts are those written.
    @Test func tensorBoardLoadsTheHistogramSummaryAsWritten() throws {
        guard let python = toolsPython(skipping: "the TensorBoard load check of the histogram summary op") else { return }
        let values: [Float] = [-0.15, -0.1, 0, 0, 0.05, 0.1, 0.1, 0.2, 3]
        let g = Graph()
        let summary = try g.histogramSummary("weights", g.constant(try Tensor(floats: values, shape: [3, 3])))
        let bytes = try Session(graph: g).run(summary).strings[0]
        let histogram = try Tensorflow_Summary(serializedBytes: bytes).value[0].histo
        let run = makeTemporaryDirectory("histogram-op-load")
        let writer = try SummaryWriter(logDirectory: run)
        try writer.add(serializedSummary: bytes, step: 3)
        try writer.close()
        let result = try runCommand(python, [Self.root.appendingPathComponent("tools/verify/tensorboard_histograms.py").path, run])
        try #require(result.status == 0, "\(result.stderr)")
        let loaded = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        let events = try #require(loaded["weights"] as? [[Any]], "\(loaded)")
        let rows = (events.first?[1] as? [[String]] ?? []).map { $0.map { Double($0) ?? .nan } }
        let limits = histogram.bucketLimit
        let kept = 1..<(limits.count - 1)
        let expected = kept.map { index in
            [index == kept.lowerBound ? histogram.min : limits[index - 1], index == kept.upperBound - 1 ? histogram.max : limits[index],
             histogram.bucket[index]].map { Double(Float($0)) }
        }
        #expect(histogram.bucket.first == 0 && histogram.bucket.last == 0 && limits.last == .greatestFiniteMagnitude)
        #expect(events.first?[0] as? Int == 3)
        #expect(rows == expected)
        #expect(rows.map { $0[2] }.reduce(0, +) == 9 && histogram.min == -0.15000000596046448 && histogram.max == 3)
    }

    /// The pixels of a PNG, decoded by Pillow.
    private func decodePNG(_ png: [UInt8], python: String, directory: String) throws -> [Int] {
        let path = directory + "/image.png"
        try writeFileBytes(png, to: path)
        let result = try runCommand(
            python, ["-c", "import sys, json; from PIL import Image; json.dump(list(Image.open(sys.argv[1]).tobytes()), sys.stdout)", path])
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Int] ?? []
    }
}
