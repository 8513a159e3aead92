import Foundation
import TFProtos
import TensorBoard
import TestSupport

/// Hostile values for the calls made once per run (hparams, graph), raw summaries and
/// events, and the writer's own options.
extension HostileCases {
    static func hparams(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        let attempts: [(String, [String: HParamValue], [String], [String: HParamDomain])] = [
            ("none", [:], ["loss"], [:]), ("NaN", ["lr": .number(.nan)], [], [:]),
            ("inf", ["lr": .number(.infinity)], [], [:]), ("empty name", ["": .string("x")], [], [:]),
            ("empty metric", ["lr": .number(1)], [""], [:]), ("repeated metric", ["lr": .number(1)], ["a", "a"], [:]),
            ("domain for unknown name", ["lr": .number(1)], [], ["x": .interval(min: 0, max: 1)]),
            ("value outside interval", ["lr": .number(2)], [], ["lr": .interval(min: 0, max: 1)]),
            ("NaN interval", ["lr": .number(1)], [], ["lr": .interval(min: .nan, max: 1)]),
            ("reversed interval", ["lr": .number(1)], [], ["lr": .interval(min: 2, max: 0)]),
            ("interval for a string", ["o": .string("sgd")], [], ["o": .interval(min: 0, max: 1)]),
            ("value not listed", ["o": .string("sgd")], [], ["o": .discrete([.string("adam")])]),
            ("mixed types", ["o": .string("sgd")], [], ["o": .discrete([.string("sgd"), .number(1)])]),
            ("empty discrete", ["o": .string("sgd")], [], ["o": .discrete([])]),
        ]
        // Only the first accepted call starts a session (whose end `close` writes).
        var sessions = 0
        for (label, values, metrics, domains) in attempts {
            try probe.attempt("hparams: \(label)") {
                try $0.add(hparams: values, metrics: metrics, domains: domains)
                sessions += 1
            }
        }
        let good: [String: HParamValue] = [
            "optimizer": .string(repairedUTF8), "nesterov": .bool(true), "lr": .number(0.01), huge: .string(huge),
        ]
        try probe.attempt("hparams: string, bool, number, huge name") {
            try $0.add(hparams: good, metrics: ["loss", huge], domains: ["lr": .interval(min: 0, max: 1)])
            sessions += 1
        }
        try probe.attempt("hparams: a second time, random number") {
            try $0.add(hparams: ["lr": .number(random.anyDouble())], metrics: ["loss"])
            sessions += 1
        }
        try probe.attempt("hparams: a second time") {
            try $0.add(hparams: ["lr": .number(1)], metrics: [])
            sessions += 1
        }
        return ["main": try probe.close(extra: sessions)]
    }

    static func graphs(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        for length in [2, 3, 17, 100, 1000] {
            var garbage = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            garbage[0] = 0xFF  // field 31, wire type 7: no valid message starts like this
            try probe.attempt("graph of \(length) garbage bytes") { try $0.add(serializedGraph: garbage) }
        }
        var node = Tensorflow_NodeDef()
        node.name = huge
        node.op = repairedUTF8
        var graph = Tensorflow_GraphDef()
        graph.node = [node]
        try probe.attempt("graph with a 1 MB node name") { try $0.add(graph: graph, step: Int.min) }
        try probe.attempt("a second graph") { try $0.add(serializedGraph: []) }
        return ["main": try probe.close()]
    }

    static func summaries(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        // A Summary whose value's tag (field 1 of field 1) holds bytes that are not UTF-8.
        let invalidTag: [UInt8] = [0x0A, 0x07, 0x0A, 0x02, 0xFF, 0xFE, 0x15, 0x00, 0x00]
        try probe.attempt("summary with a non-UTF-8 tag") { try $0.add(serializedSummary: invalidTag, step: 1) }
        for length in [1, 5, 64, 512] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            try probe.attempt("summary of \(length) random bytes") { try $0.add(serializedSummary: bytes, step: 1) }
        }
        var value = Tensorflow_Summary.Value()
        value.simpleValue = .nan
        var summary = Tensorflow_Summary()
        summary.value = [value]
        try probe.attempt("summary value with an empty tag") { try $0.add(summary: summary, step: 1) }
        summary.value[0].tag = "nan"
        try probe.attempt("summary with a NaN simple value") { try $0.add(summary: summary, step: Int.max) }
        try probe.attempt("empty summary") { try $0.add(summary: Tensorflow_Summary(), step: 1) }
        try probe.attempt("sessionLog with huge message") {
            try $0.add(sessionLog: .checkpoint, step: -1, checkpointPath: huge, message: repairedUTF8)
        }
        return ["main": try probe.close()]
    }

    /// Writers made with hostile flush intervals and queue capacities: each accepted one
    /// writes one scalar into its own run `option-<n>`.
    static func writerOptions(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let intervals: [Double] = [.nan, .infinity, -.infinity, -1, 0, -0, Double.leastNonzeroMagnitude, 1e-300, 1e-6, 1e9, 1e10, 1e300,
                                   .greatestFiniteMagnitude, random.anyDouble()]
        let options = intervals.map { ($0, 16) } + [Int.min, -1, 0, 1, Int.max].map { (1.0, $0) }
        var runs: Runs = [:]
        for (index, (interval, capacity)) in options.enumerated() {
            let run = "option-\(index)"
            do {
                let writer = try SummaryWriter(
                    logDirectory: directory + "/" + run, flushInterval: interval, queueCapacity: capacity)
                try writer.add(scalar: 1, tag: "x", step: 1)
                usleep(2000)  // let a short-interval worker run a few rounds
                try writer.close()
                runs[run] = (1, 0)
                say("accepted flushInterval \(interval), queueCapacity \(capacity)")
            } catch {
                say("rejected flushInterval \(interval), queueCapacity \(capacity): \(error)")
            }
        }
        for (label, logDirectory, suffix) in [
            ("empty log directory", "", ""), ("log directory under a file", "/dev/null/run", ""),
            ("suffix with a slash", directory + "/suffix", "/x"), ("suffix with NUL", directory + "/nul", "\0.v2"),
        ] {
            do {
                try SummaryWriter(logDirectory: logDirectory, fileSuffix: suffix).close()
                say("accepted \(label)")
            } catch {
                say("rejected \(label): \(error)")
            }
        }
        return runs
    }
}
