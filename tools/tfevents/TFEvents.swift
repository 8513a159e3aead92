import ArgumentParser
import Foundation

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
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data("tfevents: \(fullMessage(for: error))\n".utf8))
            Foundation.exit(2)
        }
    }
}

/// A failure that stops a subcommand with exit status 2 and a message.
struct ToolError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
