import Foundation
import TFRecord
import TensorBoard

/// Our side of `tools/bench`: each benchmark prints one JSON line
/// `{"name", "value", "unit", ...}`. Usage: `bench-ours NAME [ARGS]`.
@main
struct Bench {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let benchmark = benchmarks[name] else {
            FileHandle.standardError.write(Data("usage: bench-ours \(benchmarks.keys.sorted().joined(separator: "|"))\n".utf8))
            exit(2)
        }
        do {
            try benchmark(Array(arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("bench-ours \(name): \(error)\n".utf8))
            exit(1)
        }
    }

    static let benchmarks: [String: @Sendable ([String]) throws -> Void] = [
        "writer-scalars": writerScalars,
        "writer-scalars-mix": writerScalarsMix,
        "writer-histogram": writerHistogram,
        "read-events": readEvents,
        "read-scalars": readScalars,
        "validate-events": validateEvents,
        "read-large-records": readLargeRecords,
        "train-step": trainStep,
        "eval-step": evalStep,
        "make-event-file": makeEventFileCommand,
        "gemm-bound": gemmBound,
        "step-over-products": stepOverProducts,
        "gemm-peak": gemmPeak,
        "gemm-split": gemmSplit,
        "traced-step": tracedStep,
        "step-profile": stepProfile,
        "histogram-summary": histogramSummary,
    ]

    static func report(_ name: String, _ value: Double, _ unit: String, _ extra: [String: Any] = [:]) {
        var object = extra
        object["name"] = name
        object["value"] = value
        object["unit"] = unit
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        print(String(decoding: data, as: UTF8.self))
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func scratchDirectory() -> String {
        let path = NSTemporaryDirectory() + "bench-ours-\(getpid())-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// `add(scalar:)` of N events from one thread, file closed at the end.
    static func writerScalars(_ arguments: [String]) throws {
        let count = Int(arguments.first ?? "") ?? 1_000_000
        let directory = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var path = ""
        let elapsed = try seconds {
            let writer = try SummaryWriter(logDirectory: directory)
            path = writer.filePath
            for step in 0..<count {
                try writer.add(scalar: Float(step) * 0.001, tag: "loss", step: step)
            }
            try writer.close()
        }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        let perEvent = Double(size) / Double(count)
        report("writer-scalars", Double(count) / elapsed, "events/s", ["bytes_per_event": perEvent, "events": count])
    }

    static func makeEventFile(count: Int, in directory: String) throws -> String {
        let writer = try SummaryWriter(logDirectory: directory)
        for step in 0..<count { try writer.add(scalar: Float(step), tag: "loss", step: step) }
        try writer.close()
        return writer.filePath
    }

    /// Writes an N-scalar event file at PATH (for the reference reader to read the same file).
    static func makeEventFileCommand(_ arguments: [String]) throws {
        signal(SIGXFSZ, SIG_IGN)
        guard arguments.count == 2, let count = Int(arguments[1]) else { throw SummaryWriterError.invalidArgument("make-event-file DIR N") }
        print(try makeEventFile(count: count, in: arguments[0]))
    }

    /// `EventFileReader` decoding every event of an N-event file.
    static func readEvents(_ arguments: [String]) throws {
        let count = Int(arguments.first ?? "") ?? 1_000_000
        let directory = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try makeEventFile(count: count, in: directory)
        // Every record framed, both CRCs, structure checked, wall time and step read, in
        // place (forEach) and copied out (next).
        var read = 0
        var stepSum: Int64 = 0
        let elapsed = try seconds {
            try EventFileReader(path: path).forEach { view in
                read += 1
                stepSum &+= view.step
            }
        }
        var copied = 0
        let copyElapsed = try seconds {
            let reader = try EventFileReader(path: path)
            while let record = try reader.next() { copied += record.payload.isEmpty ? 0 : 1 }
        }
        // The same, plus a full swift-protobuf decode of every event.
        var decoded = 0
        let decodeElapsed = try seconds {
            let reader = try EventFileReader(path: path)
            while let record = try reader.next() {
                decoded += try record.event().summary.value.count
            }
        }
        report("read-events", Double(read) / elapsed, "events/s", ["events": read, "step_sum": stepSum])
        report("read-event-records", Double(copied) / copyElapsed, "events/s", ["events": copied])
        report("decode-events", Double(decoded) / decodeElapsed, "events/s", ["events": decoded])
    }

    /// `EventFileValidator` (both CRCs + Event structure) over an N-event file.
    static func validateEvents(_ arguments: [String]) throws {
        let count = Int(arguments.first ?? "") ?? 1_000_000
        let directory = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try makeEventFile(count: count, in: directory)
        var records = 0
        let elapsed = seconds {
            let result = EventFileValidator.validate(file: path)
            records = result.records
        }
        report("validate-events", Double(records) / elapsed, "events/s", ["events": records])
    }

    /// `RecordReader` over 1 MB records, every CRC checked.
    static func readLargeRecords(_ arguments: [String]) throws {
        let count = Int(arguments.first ?? "") ?? 512
        let directory = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/large.tfrecord"
        let file = try PosixFile.openForWriting(path)
        let writer = RecordWriter(sink: file)
        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for _ in 0..<count { try writer.write(payload) }
        try writer.close()
        var bytes = 0
        let elapsed = try seconds {
            let reader = try RecordReader(path: path)
            while let record = try reader.nextPayload() { bytes += record.count }
        }
        report("read-large-records", Double(bytes) / elapsed / 1e9, "GB/s", ["records": count])
    }
}
