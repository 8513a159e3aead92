import ArgumentParser
import TensorBoard

/// `tfevents validate`: checks every record and CRC.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every record and checksum; print damage with file and byte offset.",
        discussion: """
            Exit status 0 when every file is clean, 1 when any file is damaged or ends in a \
            truncated record (a writer killed mid-write, or still writing: use \
            --allow-truncated-tail for live files), 2 when a path cannot be read.
            """)

    @Argument(help: "Event files or log directories (searched recursively).")
    var paths: [String]

    @Flag(help: "Accept a truncated last record (a file still being written).")
    var allowTruncatedTail = false

    @Flag(name: .shortAndLong, help: "Print only damaged files.")
    var quiet = false

    func run() throws {
        var damaged = false
        var unreadable = false
        for file in try eventFiles(in: paths) {
            let report = EventFileValidator.validate(file: file)
            switch report.problem {
            case nil:
                if !quiet { print("ok       \(file): \(report.records) records, \(report.validBytes) bytes") }
            case .truncatedTail(let error)? where allowTruncatedTail:
                if !quiet {
                    print("ok       \(file): \(report.records) records, truncated tail at offset \(error.offset ?? 0)")
                }
            case .truncatedTail(let error)?:
                damaged = true
                print("TRUNCATED \(file): offset \(error.offset ?? 0): \(error) [\(report.records) good records before it]")
            case .unreadable(let error)?:
                unreadable = true
                printError("tfevents: \(error)")
            case let problem?:
                damaged = true
                print("DAMAGED  \(file): offset \(problem.offset ?? 0): \(problem) [\(report.records) good records before it]")
            }
        }
        if unreadable { throw ExitCode(2) }
        if damaged { throw ExitCode(1) }
    }
}
