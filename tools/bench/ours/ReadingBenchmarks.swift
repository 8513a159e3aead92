import Foundation
import TensorBoard

extension Bench {
    /// `RunReader.scalars(tag:)` over an event file of scalars tagged `loss`: every record
    /// framed with both CRCs checked, each Event's structure checked, every value of the
    /// tag decoded into a `ScalarEvent`. Usage: `read-scalars FILE` (the file
    /// `make-event-file` writes, which the reference readers read too) or `read-scalars N`;
    /// then optionally the number of passes (default 3), of which the fastest is reported
    /// (the first also brings the file into the page cache).
    static func readScalars(_ arguments: [String]) throws {
        let passes = max(1, Int(arguments.dropFirst().first ?? "") ?? 3)
        var path = arguments.first ?? "1000000"
        var scratch: String?
        if let count = Int(path) {
            let directory = scratchDirectory()
            scratch = directory
            path = try makeEventFile(count: count, in: directory)
        }
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        var points: [ScalarEvent] = []
        var elapsed = Double.infinity
        for _ in 0..<passes {
            elapsed = min(elapsed, try seconds { points = try RunReader(path: path).scalars(tag: "loss") })
        }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        report(
            "read-scalars", Double(points.count) / elapsed, "points/s",
            ["points": points.count, "last_step": points.last?.step ?? -1, "bytes": size, "passes": passes])
    }
}
