import Foundation
import TensorBoard
import TestSupport

/// Hostile values for the kinds tensorboardX has beyond the first six: sub-run scalars, PR
/// curves, audio, video, image grids, meshes, custom scalar layouts and embeddings.
extension HostileCases {
    static let specialFloats: [Float] = [.nan, -.nan, .signalingNaN, .infinity, -.infinity, .greatestFiniteMagnitude, -0]

    static func scalarsDictionaries(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        var subRuns: [String: Int] = [:]
        let attempts: [(String, [String: Float], String)] = [
            ("empty dictionary", [:], "m"), ("empty key", ["": 1], "m"), ("dot key", [".": 1], "m"),
            ("dot-dot key", ["..": 1], "m"), ("escaping main tag", ["a": 1], "../../x"), ("absolute main tag", ["a": 1], "/tmp/x"),
            ("empty main tag", ["a": 1], ""), ("NUL in key", ["a\0b": 1], "m"), ("huge key", [huge: 1], "m"),
            ("key with an empty part", ["a//b": 1], "m"),
            ("NaN and inf values", ["nan": .nan, "inf": .infinity, "ninf": -.infinity], "special"),
            ("random values", ["r1": random.anyFloat(), "r2": random.anyFloat()], "random"),
            ("nested key", ["x/y": 2], "nest"), ("unicode key", ["🙂": 3], "m"),
        ]
        for (label, values, mainTag) in attempts {
            try probe.attempt("add(scalars:) \(label)", events: 0) {
                try $0.add(scalars: values, mainTag: mainTag, step: 1)
                for key in values.keys { subRuns["main/\(mainTag)/\(key)", default: 0] += 1 }
            }
        }
        try probe.attempt("add(scalars:) NaN wall time", events: 0) {
            try $0.add(scalars: ["a": 1], mainTag: "m", step: 1, wallTime: .nan)
        }
        var runs: Runs = ["main": try probe.close()]
        for (run, events) in subRuns { runs[run] = (events, 0) }
        do {
            try probe.writer.add(scalars: ["late": 1], mainTag: "m", step: 2)
            say("accepted add(scalars:) after close")
        } catch {
            say("rejected add(scalars:) after close: \(error)")
        }
        return runs
    }

    static func prCurves(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        let randomPredictions = (0..<100).map { _ in random.anyFloat() }
        let attempts: [(String, [Bool], [Float], [Float]?, Int)] = [
            ("empty", [], [], nil, 127), ("mismatched counts", [true, false], [0.5], nil, 127),
            ("NaN prediction", [true], [.nan], nil, 127), ("prediction above 1", [true], [1.5], nil, 127),
            ("negative prediction", [false], [-0.1], nil, 127), ("inf prediction", [true], [.infinity], nil, 127),
            ("random bit patterns", randomPredictions.map { $0 > 0 }, randomPredictions, nil, 127),
            ("1 threshold", [true], [0.5], nil, 1), ("0 thresholds", [true], [0.5], nil, 0),
            ("negative thresholds", [true], [0.5], nil, -5), ("Int.max thresholds", [true], [0.5], nil, .max),
            ("weights mismatched", [true, false], [0.5, 0.2], [1], 127),
            ("NaN weight", [true], [0.5], [.nan], 127), ("negative weight", [true], [0.5], [-1], 127),
            ("huge weights", [true, false], [1, 0], [.greatestFiniteMagnitude, .greatestFiniteMagnitude], 127),
            ("edges 0 and 1", [true, false, true], [0, 1, 1], nil, 2),
        ]
        for (label, labels, predictions, weights, thresholds) in attempts {
            try probe.attempt("pr curve: \(label)") {
                try $0.add(prCurveLabels: labels, predictions: predictions, weights: weights, thresholdCount: thresholds,
                           tag: "pr", step: 1)
            }
        }
        let raws: [(String, [[Float]])] = [
            ("raw, lengths differ", [[1, 2], [1, 2], [1, 2], [1, 2], [1, 2], [1]]),
            ("raw, all empty", Array(repeating: [], count: 6)),
            ("raw, NaN precision", [[1, 2], [1, 2], [1, 2], [1, 2], [.nan, 1], [1, 1]]),
            ("raw, inf count", [[.infinity, 2], [1, 2], [1, 2], [1, 2], [1, 1], [1, 1]]),
            ("raw, good", [[2, 1], [2, 0], [0, 2], [0, 1], [0.5, 1], [1, 0.5]]),
        ]
        for (label, columns) in raws {
            try probe.attempt("pr curve: \(label)") {
                let curve = try PRCurve(
                    truePositives: columns[0], falsePositives: columns[1], trueNegatives: columns[2],
                    falseNegatives: columns[3], precision: columns[4], recall: columns[5])
                try $0.add(prCurve: curve, tag: "raw", step: 1)
            }
        }
        return ["main": try probe.close()]
    }

    static func audio(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        for value in specialFloats + [2, -2] {
            try probe.attempt("audio with a \(value) sample") {
                try $0.add(audio: [0, value, 0.5], sampleRate: 8000, tag: "a", step: 1)
            }
        }
        try probe.attempt("audio of random bit patterns") {
            try $0.add(audio: (0..<1000).map { _ in random.anyFloat() }, sampleRate: 8000, tag: "a", step: 1)
        }
        try probe.attempt("empty audio") { try $0.add(audio: [], sampleRate: 8000, tag: "a", step: 1) }
        for rate in [0, -1, Int.min, Int.max, Int(UInt32.max), 1 << 31, 1] {
            try probe.attempt("audio at \(rate) Hz") { try $0.add(audio: [0.1, 0.2], sampleRate: rate, tag: "a", step: 1) }
        }
        for channels in [0, -2, 3, 65_536, Int.max, 2] {
            try probe.attempt("audio of 4 samples in \(channels) channels") {
                try $0.add(audio: [0.1, 0.2, 0.3, 0.4], sampleRate: 8000, channels: channels, tag: "a", step: 1)
            }
        }
        try probe.attempt("audio with a huge label") {
            try $0.add(audio: [0.1], sampleRate: 8000, label: huge + repairedUTF8, tag: "a", step: 1)
        }
        try probe.attempt("audio with an empty tag") { try $0.add(audio: [0.1], sampleRate: 8000, tag: "", step: 1) }
        return ["main": try probe.close()]
    }

    static func videosAndGrids(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        let shapes: [(Int, Int, Int, Int, Int)] = [
            (0, 2, 2, 3, 0), (-1, 2, 2, 3, 12), (2, 2, 2, 3, 23), (2, 2, 2, 3, 24), (Int.max, 2, 2, 3, 12),
            (1 << 40, 1 << 20, 1 << 20, 3, 3), (1, 70_000, 1, 3, 210_000), (2, 2, 2, 4, 32), (2, 2, 2, 2, 16),
            (3, 2, 2, 1, 12), (1, 1, 1, 5, 5), (1, Int.min, 1, 1, 1),
        ]
        for (count, width, height, channels, values) in shapes {
            let pixels = (0..<values).map { _ in UInt8.random(in: 0...255, using: &random) }
            let label = "\(count) frames of \(width)x\(height)x\(channels) from \(values) values"
            try probe.attempt("video: \(label)") {
                try $0.add(video: try ImageBatch(pixels: pixels, count: count, width: width, height: height, channels: channels),
                           tag: "v", step: 1)
            }
            try probe.attempt("grid: \(label)") {
                try $0.add(images: try ImageBatch(pixels: pixels, count: count, width: width, height: height, channels: channels),
                           tag: "g", step: 1)
            }
        }
        let frames = try ImageBatch(floatPixels: specialFloats + [0.5, 0.25, 1, 0, 2], count: 1, width: 2, height: 2, channels: 3)
        for fps in [0, -1, .nan, .infinity, -.infinity, 1e-9, 51, 66, 1e300, Double.leastNonzeroMagnitude, 4] {
            try probe.attempt("video at \(fps) fps") { try $0.add(video: frames, fps: fps, tag: "v", step: 1) }
        }
        for (columns, padding) in [(0, 0), (-1, 0), (Int.min, 0), (3, -1), (3, Int.max), (Int.max, 0), (1, 1 << 30), (2, 1)] {
            try probe.attempt("grid of \(columns) columns, padding \(padding)") {
                try $0.add(images: frames, columns: columns, padding: padding, tag: "g", step: 1)
            }
        }
        return ["main": try probe.close()]
    }

    static func meshes(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        let triangle: [Float] = [0, 0, 0, 1, 0, 0, 0, 1, 0]
        for value in specialFloats {
            try probe.attempt("mesh with a \(value) coordinate") {
                try $0.add(mesh: [0, 0, 0, 1, value, 0, 0, 1, 0], tag: "m", step: 1)
            }
        }
        let attempts: [(String, [Float], [Int]?, [UInt8]?, String)] = [
            ("no vertices", [], nil, nil, "{}"), ("4 values", [0, 1, 2, 3], nil, nil, "{}"),
            ("face index out of range", triangle, [0, 1, 3], nil, "{}"), ("negative face index", triangle, [0, -1, 2], nil, "{}"),
            ("Int.max face index", triangle, [0, 1, .max], nil, "{}"), ("5 face values", triangle, [0, 1, 2, 0, 1], nil, "{}"),
            ("empty faces", triangle, [], nil, "{}"), ("colors for 2 vertices", triangle, nil, [1, 2, 3, 4, 5, 6], "{}"),
            ("config not JSON", triangle, nil, nil, "{camera"), ("config an array", triangle, nil, nil, "[1]"),
            ("config empty", triangle, nil, nil, ""), ("random vertices", (0..<300).map { _ in random.anyFloat() }, nil, nil, "{}"),
            ("good", triangle, [0, 1, 2], [255, 0, 0, 0, 255, 0, 0, 0, 255], "{\"camera\": {\"fov\": 75}}"),
        ]
        for (label, vertices, faces, colors, config) in attempts {
            try probe.attempt("mesh: \(label)") {
                try $0.add(mesh: vertices, faces: faces, colors: colors, configJSON: config, tag: "m", step: 1)
            }
        }
        try probe.attempt("mesh with an empty tag") { try $0.add(mesh: triangle, tag: "", step: 1) }
        return ["main": try probe.close()]
    }

    static func customScalarLayouts(_ directory: String, _ seed: UInt64) throws -> Runs {
        let probe = try Probe(directory: directory + "/main")
        typealias Layout = CustomScalarsLayout
        let attempts: [(String, Layout)] = [
            ("no categories", Layout(categories: [])),
            ("empty title", Layout(categories: [.init(title: "", charts: [.multiline(title: "a", tags: ["x"])])])),
            ("no charts", Layout(categories: [.init(title: "c", charts: [])])),
            ("chart without tags", Layout(categories: [.init(title: "c", charts: [.multiline(title: "a", tags: [])])])),
            ("empty tag", Layout(categories: [.init(title: "c", charts: [.multiline(title: "a", tags: [""])])])),
            ("margin without series", Layout(categories: [.init(title: "c", charts: [.margin(title: "m", series: [])])])),
            ("margin with an empty bound", Layout(categories: [.init(title: "c", charts: [
                .margin(title: "m", series: [.init(value: "v", lower: "", upper: "u")])])])),
            ("huge titles", Layout(categories: [.init(title: huge, charts: [.multiline(title: huge, tags: [repairedUTF8, "[("])])])),
        ]
        for (label, layout) in attempts {
            try probe.attempt("custom scalars: \(label)") { try $0.add(customScalarsLayout: layout) }
        }
        return ["main": try probe.close()]
    }

    static func embeddings(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        let points: [[Float]] = [[0, 1], [1, 0], [1, 1]]
        let attempts: [(String, [[Float]], [String]?, String)] = [
            ("no points", [], nil, "e"), ("no coordinates", [[], []], nil, "e"), ("ragged rows", [[0, 1], [1]], nil, "e"),
            ("NaN coordinate", [[0, .nan]], nil, "e"), ("inf coordinate", [[.infinity, 0]], nil, "e"),
            ("labels mismatched", points, ["a"], "e"), ("label with a tab", points, ["a", "b\tc", "d"], "e"),
            ("label with CRLF", points, ["a", "b\r\nc", "d"], "e"), ("empty tag", points, nil, ""),
            ("dot-dot tag", points, nil, ".."), ("slash tag", points, nil, "a/../../b"), ("huge tag", points, nil, huge),
            ("NUL tag", points, nil, "a\0b"), ("random floats", (0..<20).map { _ in [random.anyFloat(), random.anyFloat()] }, nil, "r"),
            ("good", points, ["a", "b", "c"], "e"), ("the same tag and step again", points, nil, "e"),
        ]
        for (label, rows, labels, tag) in attempts {
            try probe.attempt("embedding: \(label)", events: 0) {
                try $0.add(embedding: rows, metadata: labels, tag: tag, step: 0)
            }
        }
        let thumbnails: [(String, Int, Int, Int)] = [("2 images for 3 points", 2, 4, 4), ("an 8400x8400 sprite", 3, 4200, 1), ("3 images", 3, 4, 4)]
        for (label, count, side, step) in thumbnails {
            try probe.attempt("embedding: \(label)", events: 0) {
                let images = try ImageBatch(
                    pixels: [UInt8](repeating: 7, count: count * side * side), count: count, width: side, height: side, channels: 1)
                try $0.add(embedding: points, labelImages: images, tag: "sprites", step: step)
            }
        }
        try "not a config {".write(toFile: directory + "/main/projector_config.pbtxt", atomically: true, encoding: .utf8)
        try probe.attempt("embedding over a damaged config", events: 0) { try $0.add(embedding: points, tag: "late", step: 0) }
        return ["main": try probe.close()]
    }
}
