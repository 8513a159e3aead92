import Foundation
import TFProtos
import TensorBoard
import TestSupport

/// The hostile values, one group per public entry point. Each group returns, per run
/// directory below DIR, the events its file must hold.
enum HostileCases {
    typealias Runs = [String: (events: Int, sentinels: Int)]

    static let groups: [String: @Sendable (String, UInt64) throws -> Runs] = [
        "scalar": scalars, "tag": tags, "step": steps, "wall-time": wallTimes, "text": texts,
        "histogram": histograms, "image-float": floatImages, "image-bytes": byteImages,
        "image-encoded": encodedImages, "hparams": hparams, "graph": graphs, "summary": summaries,
        "writer-options": writerOptions, "scalars-dict": scalarsDictionaries, "pr-curve": prCurves, "audio": audio,
        "video-grid": videosAndGrids, "mesh": meshes, "custom-scalars": customScalarLayouts, "embedding": embeddings,
    ]

    /// A string from bytes that are not UTF-8: Swift repairs them to U+FFFD on the way in.
    static let repairedUTF8 = String(decoding: [0xFF, 0xFE, 0xC0, 0x80, 0xED, 0xA0, 0x80, 0x41], as: UTF8.self)
    /// A one-megabyte name.
    static let huge = String(repeating: "x", count: 1 << 20)

    static func scalars(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        let floats: [Float] = [.nan, -.nan, .signalingNaN, .infinity, -.infinity, 0, -0, .greatestFiniteMagnitude,
                               -.greatestFiniteMagnitude, .leastNonzeroMagnitude, .ulpOfOne]
        for (index, value) in (floats + (0..<200).map { _ in random.anyFloat() }).enumerated() {
            try probe.attempt("Float \(value)") { try $0.add(scalar: value, tag: "float", step: index) }
        }
        let doubles: [Double] = [.nan, .infinity, -.infinity, 1e308, -1e308, Double.leastNonzeroMagnitude, .greatestFiniteMagnitude]
        for (index, value) in (doubles + (0..<200).map { _ in random.anyDouble() }).enumerated() {
            try probe.attempt("Double \(value)") { try $0.add(scalar: value, tag: "double", step: index) }
        }
        return ["main": try probe.close()]
    }

    static func tags(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        let randomTag = String(decoding: (0..<64).map { _ in UInt8.random(in: 0...255, using: &random) }, as: UTF8.self)
        let names = ["", repairedUTF8, huge, "\0", "a\0b", "/", "//x//", " ", "loss:0", "[]", "🙂/日本", randomTag]
        for name in names {
            let label = "tag of \(name.utf8.count) bytes"
            try probe.attempt("scalar, " + label) { try $0.add(scalar: 1, tag: name, step: 1) }
            try probe.attempt("text, " + label) { try $0.add(text: "t", tag: name, step: 1) }
            try probe.attempt("histogram, " + label) { try $0.add(histogram: [1.0, 2.0], tag: name, step: 1) }
            try probe.attempt("image, " + label) { try $0.add(image: try tinyImage(), tag: name, step: 1) }
        }
        return ["main": try probe.close()]
    }

    static func steps(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        for step in [Int.min, Int.max, -1, 0, 1 << 53 + 1] + (0..<50).map({ _ in Int.random(in: .min ... .max, using: &random) }) {
            try probe.attempt("scalar at step \(step)") { try $0.add(scalar: 1, tag: "s", step: step) }
            try probe.attempt("text at step \(step)") { try $0.add(text: "t", tag: "t", step: step) }
            try probe.attempt("sessionLog at step \(step)") { try $0.add(sessionLog: .start, step: step) }
        }
        return ["main": try probe.close()]
    }

    static func wallTimes(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        let times: [Double] = [.nan, .infinity, -.infinity, 0, -1, 1e300, .greatestFiniteMagnitude, Double.leastNonzeroMagnitude]
        for time in times + (0..<50).map({ _ in random.anyDouble() }) {
            try probe.attempt("scalar at wall time \(time)") { try $0.add(scalar: 1, tag: "s", step: 1, wallTime: time) }
            try probe.attempt("text at wall time \(time)") { try $0.add(text: "t", tag: "t", step: 1, wallTime: time) }
            try probe.attempt("event at wall time \(time)") { try $0.add(event: Tensorflow_Event(), step: 1, wallTime: time) }
        }
        return ["main": try probe.close()]
    }

    static func texts(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        let randomText = String(decoding: (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }, as: UTF8.self)
        for text in ["", repairedUTF8, huge, "\0\0", "<script>alert(1)</script>", randomText] {
            try probe.attempt("text of \(text.utf8.count) bytes") { try $0.add(text: text, tag: "notes", step: 1) }
        }
        return ["main": try probe.close()]
    }

    static func histograms(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        let doubles: [[Double]] = [
            [-1e308, 0, 1e308], [0, Double.leastNonzeroMagnitude], [.nan], [.infinity], [-.infinity, .infinity], [], [0],
            [.greatestFiniteMagnitude, -.greatestFiniteMagnitude], [.nan, 1, .infinity, 2],
            (0..<1000).map { _ in random.anyDouble() },
        ]
        for (index, values) in doubles.enumerated() {
            for buckets in [30, 1, 0, -1] {
                try probe.attempt("Double histogram #\(index) (\(values.prefix(3))...), \(buckets) buckets") {
                    try $0.add(histogram: values, tag: "d\(index)", step: buckets, bucketCount: buckets)
                }
            }
        }
        let floats: [[Float]] = [[.nan], [-.greatestFiniteMagnitude, .greatestFiniteMagnitude], [0, .leastNonzeroMagnitude],
                                 (0..<1000).map { _ in random.anyFloat() }]
        for (index, values) in floats.enumerated() {
            try probe.attempt("Float histogram #\(index)") { try $0.add(histogram: values, tag: "f\(index)", step: 1) }
        }
        try probe.attempt("histogram with 1 << 40 buckets") {
            try $0.add(histogram: [1.0, 2.0], tag: "many", step: 1, bucketCount: 1 << 40)
        }
        return ["main": try probe.close()]
    }

    static func tinyImage() throws -> SummaryImage {
        try SummaryImage(pixels: [0, 128, 255, 64], width: 2, height: 2, channels: 1)
    }
}
