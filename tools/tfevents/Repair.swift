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
        let target = output ?? file
        do throws(IOError) {
            let repaired = try AtomicFile(replacing: target)
            let kept = try copyRecords(report.records, to: RecordWriter(sink: repaired))
            guard kept == report.validBytes else {
                throw IOError(operation: "read", path: file, code: EIO,
                              detail: "the file changed while it was repaired; run repair again")
            }
            let backup = output == nil ? try RepairBackup.keep(file) : nil
            do throws(IOError) {
                try repaired.commit()
            } catch {
                if let backup { unlink(backup) }  // the original is still in place
                throw error
            }
            print("\(target): kept \(report.records) records (\(kept) bytes); dropped from offset "
                + "\(problem.offset ?? kept): \(problem)")
            if let backup { print("original kept as \(backup)") }
        } catch {
            throw ToolError("cannot repair \(file): \(error); it is unchanged")
        }
    }

    /// Reads the first `count` records of the file and writes them through `writer`, in
    /// batches of about a megabyte; the validator has checked them, and the reader checks
    /// their CRCs again. Framing is deterministic, so the copy holds the same bytes as the
    /// original's valid prefix.
    /// - Returns: the bytes written.
    private func copyRecords(_ count: Int, to writer: RecordWriter<AtomicFile>) throws(IOError) -> Int {
        let reader: RecordReader
        do throws(RecordError) {
            reader = try RecordReader(path: file)
        } catch {
            throw Self.ioError(error, file)
        }
        var batch = RecordBatch()
        for _ in 0..<count {
            let payload: UnsafeRawBufferPointer?
            do throws(RecordError) {
                payload = try reader.nextPayload()
            } catch {
                throw Self.ioError(error, file)
            }
            guard let payload else { break }
            batch.append(payload: payload)
            if batch.bytes.count >= 1 << 20 {
                try writer.write(batch)
                batch.removeAll()
            }
        }
        try writer.write(batch)
        return writer.bytesWritten
    }

    /// A read failure while copying (the file changed since it was validated) as an `IOError`.
    private static func ioError(_ error: RecordError, _ file: String) -> IOError {
        if case .io(let error) = error { return error }
        return IOError(operation: "read", path: file, code: EIO, detail: "\(error); the file changed while it was repaired")
    }
}
