import Foundation
import Testing
import TFRecord
import TensorBoard
import TestSupport

/// Hostile values for every public writer API, each group in a child process
/// (tools/hostile-inputs), so a trap shows as a crash of that group, not of the test runner.
/// `HOSTILE_SEED=n` reruns with other random values.
struct HostileInputsTests {
    static let groups = [
        "scalar", "tag", "step", "wall-time", "text", "histogram", "image-float", "image-bytes", "image-encoded",
        "hparams", "graph", "summary", "writer-options", "scalars-dict", "pr-curve", "audio", "video-grid", "mesh",
        "custom-scalars", "embedding",
    ]
    static let seed = ProcessInfo.processInfo.environment["HOSTILE_SEED"] ?? "20260614"

    @Test(arguments: groups)
    func everyCallReturnsOrThrowsAndKeepsTheEventsAroundIt(_ group: String) throws {
        let directory = makeTemporaryDirectory("hostile-\(group)")
        let (reason, status, output) = try run(["hostile-inputs", group, directory, Self.seed])
        let lastCase = output.split(separator: "\n").last { $0.hasPrefix("trying") } ?? "none"
        #expect(reason == .exit && status == 0, "\(group) ended by \(reason) \(status); last case: \(lastCase)")
        guard reason == .exit && status == 0 else { return }

        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/expected.json")))
        let runs = try #require((expected as? [String: Any])?["runs"] as? [String: [String: Int]])
        #expect(!runs.isEmpty)
        for (run, counts) in runs {
            let files = try EventFileReader.eventFiles(inRun: directory + "/" + run)
            try #require(files.count == 1, "\(group)/\(run): \(files.count) event files")
            let report = EventFileValidator.validate(file: files[0])
            #expect(report.isClean, "\(group)/\(run): \(report)")
            #expect(report.records == (counts["events"] ?? -1) + 1, "\(group)/\(run): \(report.records) records, expected \(counts)")
            try expectSentinels(in: files[0], count: counts["sentinels"] ?? -1, label: "\(group)/\(run)")
        }
        #expect(!output.contains("rejected") || rejectionsAreSpecific(output), "\(group): a rejection does not say why")
    }

    /// Every sentinel scalar (added before and after each hostile call) is in the file, in order.
    func expectSentinels(in file: String, count: Int, label: String) throws {
        var steps: [Int64] = []
        for record in try EventFileReader(path: file).readAll() {
            let event = try record.event()
            for value in event.summary.value where value.tag == "sentinel" {
                steps.append(event.step)
                #expect(value.simpleValue == Float(event.step), "\(label): sentinel \(event.step) holds \(value.simpleValue)")
            }
        }
        #expect(steps == (0..<Int64(count)).map { $0 }, "\(label): \(steps.count) sentinels of \(count)")
    }

    /// A rejection message names its problem: not empty, and never "needs N ... but N".
    func rejectionsAreSpecific(_ output: String) -> Bool {
        output.split(separator: "\n").filter { $0.hasPrefix("rejected") }.allSatisfy { line in
            guard let message = line.split(separator: ":", maxSplits: 1).last, message.count > 20 else { return false }
            let numbers = message.split { !$0.isNumber }
            return !(message.contains("needs") && numbers.count >= 2 && message.contains("were given")
                && numbers[numbers.count - 1] == numbers[numbers.count - 2])
        }
    }

    /// Runs a product, returning how it ended (a signal is `.uncaughtSignal`) and its output.
    func run(_ command: [String]) throws -> (Process.TerminationReason, Int32, String) {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent(command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationReason, process.terminationStatus, text)
    }
}
