import Foundation
import SwiftProtobuf
import Testing
import TFCore
import TFProtos
@testable import TFRuntime

/// The forward values of the TensorBoard tutorial's ops, computed by hand.
struct TutorialOpKernelTests {
    @Test func sqrtMaxMinAndConstantsOfAnyShape() throws {
        let g = Graph()
        let x = g.constant(try Tensor(floats: [4, 9, 0.25, 1, -3, 16], shape: [2, 3]))
        let results = try Session(graph: g).run(fetches: [
            try g.sqrt(g.constant(try Tensor(floats: [4, 9, 0.25, 0], shape: [4]))),
            try g.reduceMax(x), try g.reduceMin(x),
            try g.reduceMax(x, axes: [1]), try g.reduceMin(x, axes: [0], keepDims: true),
            try g.constant(0.1, shape: [2, 2]),
            try g.reduceMax(g.constant(try Tensor(floats: [1, .nan, 3], shape: [3]))),
        ])
        #expect(results[0].floats == [2, 3, 0.5, 0])
        #expect(results[1].floats == [16] && results[1].shape == [])
        #expect(results[2].floats == [-3])
        #expect(results[3].floats == [9, 16] && results[3].shape == [2])
        #expect(results[4].floats == [1, -3, 0.25] && results[4].shape == [1, 3])
        #expect(results[5].floats == [0.1, 0.1, 0.1, 0.1] && results[5].shape == [2, 2])
        #expect(results[6].floats[0].isNaN, "a NaN among the values makes the maximum NaN")
    }

    /// `Floor` without libm, on every kind of value: both zeros, halves and ties, the last
    /// non-integers below 2^23, integers beyond, subnormals, infinities and NaN; each as
    /// libm's `floorf` gives it (bit for bit, so -0 stays -0).
    @Test func floorOfHostileValuesMatchesLibm() throws {
        var values: [Float] = [0, -0, 0.5, -0.5, 1, -1, 1.5, -1.5, 2.5, -2.5, 0.999_999_94, -0.999_999_94,
                               0x1p23 - 0.5, -(0x1p23 - 0.5), 0x1p23, -0x1p23, 0x1p23 + 1, 1e30, -1e30,
                               .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude,
                               -.greatestFiniteMagnitude, .infinity, -.infinity]
        var random = SystemRandomNumberGenerator()
        values += (0..<1000).map { _ in Float.random(in: -1e4...1e4, using: &random) }
        let g = Graph()
        let floored = try g.floor(g.constant(Tensor(floats: values + [.nan], shape: [values.count + 1])))
        let result = try Session(graph: g).run(floored).floats
        for (value, ours) in zip(values, result) {
            #expect(ours.bitPattern == Foundation.floor(value).bitPattern, "floor(\(value)): \(ours)")
        }
        #expect(result.last?.isNaN == true)
    }

    /// Max and Min over all values take eight lanes at a time: the extreme anywhere (in the
    /// lanes or the tail), all-negative values, and a NaN anywhere make the same result as
    /// a plain scan.
    @Test(arguments: [1, 7, 8, 9, 17, 1000])
    func maxAndMinOfAllValuesMatchAPlainScan(count: Int) throws {
        var random = SystemRandomNumberGenerator()
        let values = (0..<count).map { _ in Float.random(in: -100 ... -1, using: &random) }
        for position in Set([0, count / 2, count - 1]) {
            var withNaN = values
            withNaN[position] = .nan
            let g = Graph()
            let x = try g.constant(Tensor(floats: values, shape: [count]))
            let n = try g.constant(Tensor(floats: withNaN, shape: [count]))
            let results = try Session(graph: g).run(fetches: [try g.reduceMax(x), try g.reduceMin(x), try g.reduceMax(n), try g.reduceMin(n)])
            #expect(results[0].floats == [values.max() ?? 0] && results[1].floats == [values.min() ?? 0], "\(count) values")
            #expect(results[2].floats[0].isNaN && results[3].floats[0].isNaN, "NaN at \(position) of \(count)")
        }
    }

    @Test func argMaxEqualCastAndReshape() throws {
        let g = Graph()
        let logits = g.constant(try Tensor(floats: [0.1, 2, -1, 5, 3, 4, 0, 0, 1], shape: [3, 3]))
        let labels = g.constant(try Tensor(int64s: [1, 2, 2], shape: [3]))
        let correct = try g.equal(g.argMax(logits), labels)
        let accuracy = try g.reduceMean(g.cast(correct, to: .float32))
        let reshaped = try g.reshape(logits, to: [-1, 3, 3, 1])
        let results = try Session(graph: g).run(fetches: [g.argMax(logits), correct, accuracy, reshaped])
        #expect(results[0].int64s == [1, 0, 2])
        #expect(results[1].bools == [true, false, true])
        #expect(abs(results[2].scalarFloat - 2.0 / 3.0) < 1e-6)
        #expect(results[3].shape == [1, 3, 3, 1] && results[3].floats == [0.1, 2, -1, 5, 3, 4, 0, 0, 1])
    }

    /// Row 1: labels one-hot on class 0 of logits [0, 0]: loss log 2, backprop [-0.5, 0.5].
    /// Row 2: labels [0.25, 0.75] of logits [ln 3, 0]: softmax [0.75, 0.25],
    /// loss -(0.25 ln 0.75 + 0.75 ln 0.25).
    @Test func denseSoftmaxCrossEntropy() throws {
        let g = Graph()
        let logits = g.constant(try Tensor(floats: [0, 0, Float(Foundation.log(3.0)), 0], shape: [2, 2]))
        let labels = g.constant(try Tensor(floats: [1, 0, 0.25, 0.75], shape: [2, 2]))
        let loss = try g.softmaxCrossEntropyWithLogits(labels: labels, logits: logits)
        let gradient = try #require(try g.gradients(of: g.reduceSum(loss), withRespectTo: [logits])[0])
        let results = try Session(graph: g).run(fetches: [loss, gradient])
        let expected: [Float] = [Float(Foundation.log(2.0)), Float(-(0.25 * Foundation.log(0.75) + 0.75 * Foundation.log(0.25)))]
        #expect(zip(results[0].floats, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(results[0].floats)")
        #expect(zip(results[1].floats, [-0.5, 0.5, 0.5, -0.5] as [Float]).allSatisfy { abs($0 - $1) < 1e-5 }, "\(results[1].floats)")
    }

    /// Each element is kept with the keep probability and scaled by its inverse: over
    /// 100 000 elements the kept fraction is within 5 standard deviations of 0.9; the mask
    /// changes between runs, repeats for the same graph seed, and keep 1 keeps everything.
    @Test func dropoutMaskStatistics() throws {
        func masks(seed: Int, keep: Float, runs: Int) throws -> [[Float]] {
            let g = Graph(randomSeed: seed)
            let x = try g.constant(1, shape: [100, 1000])
            let keepProbability = g.placeholder(.float32, shape: .scalar, name: "keep")
            let dropped = try g.dropout(x, keepProbability: keepProbability)
            let session = Session(graph: g)
            return try (0..<runs).map { _ in try session.run(dropped, feeding: [keepProbability: Tensor(keep)]).floats }
        }
        let runs = try masks(seed: 3, keep: 0.9, runs: 2)
        for values in runs {
            #expect(values.allSatisfy { $0 == 0 || abs($0 - 1 / 0.9) < 1e-6 }, "kept values are scaled by 1/keep")
            let kept = Double(values.filter { $0 != 0 }.count) / 100_000
            let deviation = (0.9 * 0.1 / 100_000).squareRoot()
            #expect(abs(kept - 0.9) < 5 * deviation, "kept fraction \(kept)")
        }
        #expect(runs[0] != runs[1], "a new mask on every run")
        #expect(try masks(seed: 3, keep: 0.9, runs: 1)[0] == runs[0], "the graph seed repeats the masks")
        #expect(try masks(seed: 3, keep: 1, runs: 1)[0].allSatisfy { $0 == 1 })
    }

    @Test func imageSummaryTagsAndScaling() throws {
        let g = Graph()
        // One 1x2 image with values 0 and 2: scaled by 255/2; one with -1 and 0.5: by 127, +128.
        let images = g.constant(try Tensor(floats: [0, 2, -1, 0.5], shape: [2, 1, 2, 1]))
        let summary = try g.withNameScope("input_reshape") { try g.imageSummary("input", images, maxOutputs: 10) }
        let one = try g.imageSummary("single", images, maxOutputs: 1)
        let results = try Session(graph: g).run(fetches: [summary, one])
        let parsed = try Tensorflow_Summary(serializedBytes: results[0].strings[0])
        #expect(parsed.value.map(\.tag) == ["input_reshape/input/image/0", "input_reshape/input/image/1"])
        #expect(parsed.value.allSatisfy { $0.image.width == 2 && $0.image.height == 1 && $0.image.colorspace == 1 })
        #expect(try Tensorflow_Summary(serializedBytes: results[1].strings[0]).value.map(\.tag) == ["single/image"])
        func scaled(_ values: [Float]) -> [UInt8] {
            values.withUnsafeBufferPointer { TensorFlowImageScaling.bytes($0, channels: 1) }
        }
        #expect(scaled([0, 2]) == [0, 255])
        #expect(scaled([-1, 0.5]) == [1, 191])
        #expect(scaled([0, 0]) == [0, 0], "an all-zero image stays black (scale 0)")
        #expect(scaled([1, .infinity]) == [255, 255], "a non-finite pixel is red (255 in a gray image)")
    }

    @Test func histogramSummaryOfANaNFailsTheRunNamingTheOp() throws {
        let g = Graph()
        let values = g.placeholder(.float32, shape: [2], name: "values")
        let summary = try g.histogramSummary("weights", values)
        let session = Session(graph: g)
        #expect(throws: SessionError.self) { try session.run(summary, feeding: [values: try Tensor(floats: [1, .nan], shape: [2])]) }
        let ok = try session.run(summary, feeding: [values: try Tensor(floats: [1, 2], shape: [2])])
        let histogram = try Tensorflow_Summary(serializedBytes: ok.strings[0]).value[0].histo
        #expect(histogram.num == 2 && histogram.min == 1 && histogram.max == 2 && histogram.sum == 3 && histogram.sumSquares == 5)
        #expect(histogram.bucket.reduce(0, +) == 2)
    }
}
