import ArgumentParser
import Foundation
import TFRecord

/// `tfevents`: inspect, validate, dump, export and repair TensorBoard event files.
///
/// Exit status: 0 success; 1 `validate` found damage; 2 bad usage or an I/O error.
@main
struct TFEvents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tfevents",
        abstract: "Inspect, validate, dump, export and repair TensorBoard event files.",
        discussion: "Exit status: 0 success, 1 damage found by validate, 2 usage or I/O error.",
        subcommands: [Inspect.self, Validate.self, Dump.self, Export.self, Repair.self]
    )

    static func main() {
        // Before any file is opened: a closed standard stream must not become a data file.
        guard StandardStreams.ensureOpen() else { Foundation.exit(2) }
        do {
            var command = try parseAsRoot()
            try command.run()
            try StandardStreams.flushStandardOutput()
        } catch let code as ExitCode {
            // A report that did not reach its reader is an I/O error (exit 2), not a result.
            do {
                try StandardStreams.flushStandardOutput()
            } catch {
                printError("tfevents: \(error)")
                Foundation.exit(2)
            }
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                try? StandardStreams.flushStandardOutput()
                Foundation.exit(0)
            }
            printError("tfevents: \(fullMessage(for: error))")
            Foundation.exit(2)
        }
    }
}

/// A failure that stops a subcommand with exit status 2 and a message.
struct ToolError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Writes a line to standard error (never traps, even on a closed pipe).
func printError(_ message: String) {
    StandardStreams.writeError(message + "\n")
}
