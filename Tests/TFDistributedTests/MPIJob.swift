import Foundation
import Testing
import TestSupport

/// Every test that starts MPI jobs, one at a time: jobs of several ranks at once on a
/// machine of few cores would measure the scheduler, not the job.
@Suite(.serialized) enum MPIJobTests {}

/// Open MPI's launcher, or nil where it is not installed (a note says what was skipped;
/// under CI, which `tools/test` provisions with it, an issue is recorded instead).
func mpirunPath(skipping what: String) -> String? {
    for path in ["/usr/bin/mpirun", "/usr/local/bin/mpirun"] where FileManager.default.isExecutableFile(atPath: path) {
        return path
    }
    if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("no mpirun: run tools/install-system-packages") }
    print("note: no mpirun (apt-get install openmpi-bin); \(what) was skipped (tools/test installs it)")
    return nil
}

/// What mpirun needs where tests run as root (it refuses root otherwise).
let mpirunEnvironment = ["OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"]

/// `mpirun --oversubscribe -np ranks <product> arguments` (more ranks than cores is what
/// this machine can do), run to completion.
func runJob(_ mpirun: String, ranks: Int, _ product: String, _ arguments: [String]) throws
    -> (status: Int32, stdout: String, stderr: String)
{
    try runCommand(
        mpirun, ["--oversubscribe", "-np", "\(ranks)", productsDirectory.appendingPathComponent(product).path] + arguments,
        environment: mpirunEnvironment)
}

/// A job started in the background, its output collected in files as it comes.
///
/// Started with `posix_spawn` and every signal unblocked and default: a test runner blocks
/// SIGINT and SIGTERM in its threads, a child inherits that mask, and mpirun (which
/// handles signals on a thread of its own) would then never see the Ctrl-C the test sends,
/// where a shell's mpirun does.
final class RunningJob {
    let pid: pid_t
    private let outputPath: String
    private let errorPath: String
    private var exitStatus: Int32?

    init(_ mpirun: String, ranks: Int, _ product: String, _ arguments: [String]) throws {
        let directory = makeTemporaryDirectory("job-output")
        outputPath = directory + "/stdout"
        errorPath = directory + "/stderr"
        let argv = [mpirun, "--oversubscribe", "-np", "\(ranks)", productsDirectory.appendingPathComponent(product).path] + arguments
        let environment = ProcessInfo.processInfo.environment.merging(mpirunEnvironment) { $1 }.map { "\($0)=\($1)" }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var files = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&files)
        defer { posix_spawn_file_actions_destroy(&files) }
        posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&files, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&files, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup($0) } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, mpirun, &files, &attributes, cArguments, cEnvironment)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EINVAL) }
        self.pid = pid
    }

    /// A job a test left running is stopped through mpirun, which ends its ranks (they run
    /// in process groups of their own, so killing mpirun alone would orphan them).
    deinit {
        stop()
    }

    /// The exit status once the job has ended (nil while it runs): the exit code, or 128 +
    /// the signal that killed it.
    var status: Int32? {
        if let exitStatus { return exitStatus }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
        let signal = raw & 0x7f
        exitStatus = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
        return exitStatus
    }

    var stdout: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Waits until `condition` holds on the standard output so far, or `seconds` pass.
    func waitForOutput(seconds: Double, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(stdout) { return true }
            if status != nil { return condition(stdout) }
            usleep(50_000)
        }
        return false
    }

    /// Waits for the job to end, at most `seconds`; returns whether it did.
    func waitForExit(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while status == nil && Date() < deadline { usleep(50_000) }
        return status != nil
    }

    /// Ends the job: SIGTERM (mpirun ends its ranks), then SIGKILL.
    func stop() {
        guard status == nil else { return }
        kill(pid, SIGTERM)
        if !waitForExit(seconds: 15) { kill(pid, SIGKILL) }
        _ = waitForExit(seconds: 10)
    }

    /// The process id of the job's rank `rank` (a child of mpirun, found by the rank
    /// Open MPI gives it in its environment).
    func pid(ofRank rank: Int) -> pid_t? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for name in names {
            guard let pid = pid_t(name),
                  let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let afterName = stat.range(of: ") ")
            else { continue }
            let fields = stat[afterName.upperBound...].split(separator: " ")
            guard fields.count > 1, pid_t(fields[1]) == self.pid,
                  let environment = FileManager.default.contents(atPath: "/proc/\(name)/environ")
            else { continue }
            let variables = environment.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if variables.contains("OMPI_COMM_WORLD_RANK=\(rank)") { return pid }
        }
        return nil
    }
}

/// The float32 values of a file of them (distributed-check's rank-<n>.bin).
func readFloats(_ path: String) throws -> [Float] {
    let bytes = try readFileBytes(path)
    return stride(from: 0, to: bytes.count - 3, by: 4).map { offset in
        Float(bitPattern: UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
    }
}
