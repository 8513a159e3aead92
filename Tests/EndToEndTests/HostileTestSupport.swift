import Foundation
import Testing
import TensorBoard
import TestSupport

/// Helpers for the issue 16 tests: running a product under a shell (closed streams,
/// `/dev/full`, an ignored SIGPIPE, another user), with a deadline so a hang fails the
/// test instead of stopping the suite.
enum Hostile {
    typealias Result = (status: Int32, stdout: String, stderr: String, timedOut: Bool)

    /// Runs `script` with `/bin/bash -c`; `$0` is the built product `product`, `$1...` the
    /// arguments. Killed after `seconds`.
    static func shell(_ script: String, product: String, _ arguments: [String], seconds: Double = 60) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, productsDirectory.appendingPathComponent(product).path] + arguments
        // Output goes to files (a pipe left unread could block the program).
        let outputs = makeTemporaryDirectory("hostile-out")
        _ = FileManager.default.createFile(atPath: outputs + "/out", contents: nil)
        _ = FileManager.default.createFile(atPath: outputs + "/err", contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: outputs + "/out")
        process.standardError = FileHandle(forWritingAtPath: outputs + "/err")
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let timedOut = finished.wait(timeout: .now() + seconds) == .timedOut
        if timedOut {
            pkillChildren(of: process.processIdentifier)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let outData = (try? Data(contentsOf: URL(fileURLWithPath: outputs + "/out"))) ?? Data()
        let errData = (try? Data(contentsOf: URL(fileURLWithPath: outputs + "/err"))) ?? Data()
        try? FileManager.default.removeItem(atPath: outputs)
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self), timedOut)
    }

    /// Runs a product directly with a deadline.
    static func run(_ product: String, _ arguments: [String], seconds: Double = 60) throws -> Result {
        try shell("exec \"$0\" \"$@\"", product: product, arguments, seconds: seconds)
    }

    /// Kills the children of `pid` (a shell's program), found through /proc.
    private static func pkillChildren(of pid: Int32) {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return }
        for task in tasks {
            guard let child = Int32(task),
                  let stat = try? String(contentsOfFile: "/proc/\(task)/stat", encoding: .utf8)
            else { continue }
            let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
            if fields.count > 2, Int32(fields[1]) == pid { kill(child, SIGKILL) }
        }
    }

    /// A short fake-data training run in a fresh directory; returns the log dir.
    static func trainedRun(_ label: String, steps: Int = 100) throws -> String {
        let logDir = makeTemporaryDirectory(label)
        let result = try runProduct("fully-connected-feed", ["--fake-data", "--max-steps", "\(steps)", "--log-dir", logDir])
        #expect(result.status == 0, "\(result.stderr)")
        return logDir
    }

    /// Names in `directory`, sorted.
    static func names(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// Whether a non-root user can be run (`setpriv` present and we are root): root reads
    /// files whatever their mode, so unreadable-file cases need another user.
    static var canRunAsNobody: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    }

    /// `setpriv` arguments that run the rest as user nobody.
    static let asNobody = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups"

    /// Makes `path` and its parents up to `/tmp` traversable by other users.
    static func openToOthers(_ path: String) {
        var current = path
        while current.count > 4 {
            chmod(current, 0o755)
            current = (current as NSString).deletingLastPathComponent
        }
    }
}
