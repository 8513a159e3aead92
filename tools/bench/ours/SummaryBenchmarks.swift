import Foundation
import TFCore

extension Bench {
    /// Median time of the tutorial's training step fully traced (`options: .fullTrace`:
    /// every kernel timed, outputs recorded, converted to RunMetadata as the program
    /// writes it), and of the same step untraced in the same process; `ratio` is their
    /// quotient.
    static func tracedStep(_ arguments: [String]) throws {
        let model = try tutorialModel()
        let count = Int(arguments.first ?? "") ?? 2000
        let untraced = try timeBatches(count, model) { session, feed in
            _ = try session.run(fetches: [model.loss], targets: [model.trainOp], feeding: feed)
        }
        let traced = try timeBatches(count, model) { session, feed in
            let (_, statistics) = try session.run(fetches: [model.loss], targets: [model.trainOp], feeding: feed, options: .fullTrace)
            _ = statistics?.serializedRunMetadata()
        }
        report("untraced-step", untraced.median, "ms", untraced.percentiles)
        report("traced-step", traced.median, "ms", traced.percentiles.merging(["ratio": traced.median / untraced.median]) { $1 })
    }

    /// Median time of the `HistogramSummary` op on a 784x500 variable-sized tensor
    /// (mnist-with-summaries' layer1 weights): TensorFlow's default buckets, serialized.
    static func histogramSummary(_ arguments: [String]) throws {
        let count = Int(arguments.first ?? "") ?? 500
        let g = Graph()
        var generator = SystemRandomNumberGenerator()
        let values = (0..<(784 * 500)).map { _ in Float.random(in: -0.2...0.2, using: &generator) }
        // Fed, as a variable's value is read each run (a constant would be folded).
        let input = g.placeholder(.float32, shape: [784, 500], name: "weights")
        let fedSummary = try g.histogramSummary("weights", input)
        let session = Session(graph: g)
        let feed = [input: try Tensor(floats: values, shape: [784, 500])]
        var times: [Double] = []
        for run in 0..<(count + 20) {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try session.run(fedSummary, feeding: feed)
            if run >= 20 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
        }
        times.sort()
        report("histogram-784x500", times[times.count / 2], "ms", ["p10": times[times.count / 10], "p90": times[times.count * 9 / 10]])
    }
}
