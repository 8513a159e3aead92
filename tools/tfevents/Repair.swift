import ArgumentParser
import Foundation
import TFRecord
import TensorBoard

/// `tfevents repair`: keep the whole, valid records before the first damage.
struct Repair: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Keep the valid records before the first damage or truncated tail.",
        discussion: """
            With --output, the repaired copy is written there and the original is untouched. \
            Without it, the file is repaired in place and the original is kept beside it with \
            "tfevents" replaced by "damaged-events" in its name, so TensorBoard does not load it.
            """)

    @Argument(help: "The damaged event file.")
    var file: String

    @Option(name: .shortAndLong, help: "Write the repaired file here instead of repairing in place.")
    var output: String?

    func run() throws {
        let report = EventFileValidator.validate(file: file)
        if case .unreadable(let error)? = report.problem { throw ToolError("\(error)") }
        if case .empty? = report.problem { throw ToolError("\(file): \(ValidationReport.Problem.empty); nothing to keep") }
        guard let problem = report.problem else {
            print("\(file): clean, \(report.records) records; nothing to repair")
            return
        }
        let input = try PosixFile.openForReading(file)
        var kept = [UInt8](repeating: 0, count: report.validBytes)
        var filled = 0
        while filled < kept.count {
            let count = try kept.withUnsafeMutableBytes { buffer in
                try input.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            }
            if count == 0 { break }
            filled += count
        }
        try input.close()

        let directory = (file as NSString).deletingLastPathComponent
        let name = (file as NSString).lastPathComponent
        let target = output ?? file
        let temporary = ((output.map { ($0 as NSString).deletingLastPathComponent } ?? directory) as NSString)
            .appendingPathComponent(".repair-\(getpid())-\(name.replacingOccurrences(of: "tfevents", with: "partial"))")
        let out = try PosixFile.openForWriting(temporary)
        try out.writeAll(Array(kept[..<filled]))
        try out.synchronize()
        try out.close()

        var backup: String?
        if output == nil {
            let backupPath = (directory as NSString).appendingPathComponent(
                name.replacingOccurrences(of: "tfevents", with: "damaged-events"))
            guard rename(file, backupPath) == 0 else {
                unlink(temporary)
                throw ToolError("cannot keep the original as \(backupPath): \(String(cString: strerror(errno)))")
            }
            backup = backupPath
        }
        guard rename(temporary, target) == 0 else {
            throw ToolError("cannot move the repaired file to \(target): \(String(cString: strerror(errno)))")
        }
        print("\(target): kept \(report.records) records (\(filled) bytes); dropped from offset "
            + "\(problem.offset ?? filled): \(problem)")
        if let backup { print("original kept as \(backup)") }
    }
}
