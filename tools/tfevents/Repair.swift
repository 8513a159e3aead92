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
            Without it, the file is repaired in place after the original is kept beside it \
            under a new name ("tfevents" replaced by "damaged-events", or ".damaged" added; \
            ".1", ".2", ... if that exists), so TensorBoard does not load it. A backup is \
            never overwritten, and a symbolic link is not repaired in place.
            """)

    @Argument(help: "The damaged event file.")
    var file: String

    @Option(name: .shortAndLong, help: "Write the repaired file here instead of repairing in place.")
    var output: String?

    func run() throws {
        var info = stat()
        guard stat(file, &info) == 0 else {
            throw ToolError("\(IOError(operation: "open", path: file, code: errno))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ToolError("\(file): \(PosixFile.kind(ofMode: info.st_mode)), not a regular file; name an event file")
        }
        if output == nil && lstat(file, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK {
            throw ToolError("\(file) is a symbolic link; repair the file it points to, or pass --output to write a repaired copy")
        }
        if let output { try OutputPath.refuseOverwritingInput(output, inputs: [file]) }
        let report = EventFileValidator.validate(file: file)
        if case .unreadable(let error)? = report.problem { throw ToolError("\(error)") }
        if case .empty? = report.problem { throw ToolError("\(file): \(ValidationReport.Problem.empty); nothing to keep") }
        guard let problem = report.problem else {
            print("\(file): clean, \(report.records) records; nothing to repair")
            return
        }
        let kept = try readPrefix(report.validBytes)
        let target = output ?? file
        do throws(IOError) {
            let repaired = try AtomicFile(replacing: target)
            try repaired.write(kept)
            let backup = output == nil ? try RepairBackup.keep(file) : nil
            do throws(IOError) {
                try repaired.commit()
            } catch {
                if let backup { unlink(backup) }  // the original is still in place
                throw error
            }
            print("\(target): kept \(report.records) records (\(kept.count) bytes); dropped from offset "
                + "\(problem.offset ?? kept.count): \(problem)")
            if let backup { print("original kept as \(backup)") }
        } catch {
            throw ToolError("cannot repair \(file): \(error); it is unchanged")
        }
    }

    /// The first `count` bytes of the file.
    private func readPrefix(_ count: Int) throws -> [UInt8] {
        let input = try PosixFile.openForReading(file)
        defer { try? input.close() }
        var kept = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < kept.count {
            let read = try kept.withUnsafeMutableBytes { buffer in
                try input.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            }
            if read == 0 { break }
            filled += read
        }
        return Array(kept[..<filled])
    }
}
