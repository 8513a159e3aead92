import Foundation
import Testing
@testable import TensorBoard
import TestSupport

/// TensorBoard's own loader reads our histograms back bucket for bucket, hostile inputs
/// included (the venv mechanism of EndToEndTests' kill trials: TOOLS_VENV, or the repo's
/// .venv-tools; skipped with a note when neither exists, an issue under CI).
struct HistogramLoaderTests {
    @Test func tensorBoardLoadsEveryHistogramAsWritten() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        guard let python = toolsPython(skipping: "the TensorBoard histogram load check") else { return }
        var random = SeededRandom(seed: 11)
        let inputs: [(tag: String, values: [Double])] = [
            ("normal", (0..<10_000).map { _ in Double(Float.random(in: -2...2, using: &random)) }),
            ("huge_range", [-1e308, 0, 1e308]),
            ("infinities_and_nan", [-.infinity, .nan, 0, 1, .infinity]),
            ("subnormal_range", [0, .leastNonzeroMagnitude]),
            ("one_value", [3, 3]),
            ("empty", []),
        ]
        let writer = try SummaryWriter(logDirectory: makeTemporaryDirectory("histogram-load"), environment: fixedEnvironment)
        var written: [String: Histogram] = [:]
        for (tag, values) in inputs {
            written[tag] = try writer.add(histogram: values, tag: tag, step: 5)
        }
        try writer.close()

        let result = try runCommand(
            python, [root.appendingPathComponent("tools/verify/tensorboard_histograms.py").path, writer.logDirectory])
        #expect(result.status == 0, "\(result.stderr)")
        let loaded = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(loaded["error"] == nil, "TensorBoard's loader failed: \(loaded["error"] ?? "")")
        for (tag, histogram) in written {
            guard let events = loaded[tag] as? [[Any]], events.count == 1, let hexRows = events[0][1] as? [[String]] else {
                Issue.record("\(tag): not loaded as one histogram event: \(loaded[tag] ?? "missing")")
                continue
            }
            let rows = hexRows.map { $0.map { Double($0) } }  // float.hex() text, e.g. "0x1.8p+1"
            #expect(events[0][0] as? Int == 5, "\(tag)")
            #expect(rows == histogram.buckets.map { [$0.leftEdge, $0.rightEdge, $0.count] as [Double?] }, "\(tag)")
        }
    }
}
