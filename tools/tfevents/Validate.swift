import ArgumentParser
import TensorBoard

/// `tfevents validate`: checks every record and CRC.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every record and checksum; print damage with file and byte offset.",
        discussion: """
            Exit status 0 when every file is clean; 1 when any file is damaged, empty, or \
            ends in a truncated record (a writer killed mid-write, or still writing: use \
            --allow-truncated-tail for live files); 2 when a path does not exist, a \
            directory holds no event file, or a file cannot be read. Nothing checked is \
            never a success.
            """)

    @Argument(help: "Event files or log directories (searched recursively).")
    var paths: [String]

    @Flag(help: "Accept a truncated last record, or an empty file (a file still being written).")
    var allowTruncatedTail = false

    @Flag(name: .shortAndLong, help: "Print only damaged files.")
    var quiet = false

    func run() throws {
        var damaged = false
        var failed = false
        for path in paths {
            // The tool's own walk: it warns about what it passes over (FIFOs, loops), and an
            // unreadable directory or file is an error.
            let files: [String]
            do {
                files = try eventFiles(in: [path])
            } catch {
                failed = true
                printError("tfevents: \(error)")
                continue
            }
            for file in files {
                switch show(EventFileValidator.validate(file: file)) {
                case .clean: break
                case .damaged: damaged = true
                case .failed: failed = true
                }
            }
        }
        if failed { throw ExitCode(2) }
        if damaged { throw ExitCode(1) }
    }

    private enum Outcome { case clean, damaged, failed }

    /// Prints one file's verdict.
    private func show(_ report: ValidationReport) -> Outcome {
        let file = report.file
        switch report.problem {
        case nil:
            let version = report.fileVersion == nil ? ", no file_version record" : ""
            if !quiet { print("ok       \(file): \(report.records) records, \(report.validBytes) bytes\(version)") }
            return .clean
        case .truncatedTail(let error)? where allowTruncatedTail:
            if !quiet {
                print("ok       \(file): \(report.records) records, truncated tail at offset \(error.offset ?? 0)")
            }
            return .clean
        case .empty? where allowTruncatedTail:
            if !quiet { print("ok       \(file): empty (a writer may not have written yet)") }
            return .clean
        case .truncatedTail(let error)?:
            print("TRUNCATED \(file): offset \(error.offset ?? 0): \(error) [\(report.records) good records before it]")
            return .damaged
        case .empty?:
            print("EMPTY    \(file): \(ValidationReport.Problem.empty)")
            return .damaged
        case .unreadable(let error)?:
            printError("tfevents: \(error)")
            return .failed
        case let problem?:
            print("DAMAGED  \(file): offset \(problem.offset ?? 0): \(problem) [\(report.records) good records before it]")
            return .damaged
        }
    }
}
