import Foundation
@_exported import Randomness
import TFProtos
import TFRecord
import TensorBoard
import Testing

/// Bytes from a hex string; spaces and newlines are ignored.
public func hexBytes(_ hex: String) -> [UInt8] {
    let digits = hex.filter { $0.isHexDigit }
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        bytes.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

/// A fresh empty directory under the temp dir, removed by the caller if it wants.
public func makeTemporaryDirectory(_ label: String = "test") -> String {
    let path = NSTemporaryDirectory() + "swift-tensorboard-\(label)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The contents of the file at `path`.
public func readFileBytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Writes `bytes` to `path`, replacing it.
public func writeFileBytes(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// A file of framed records with the given payloads, written by a `RecordWriter`.
public func framedFile(_ payloads: [[UInt8]]) -> [UInt8] {
    let sink = MemorySink()
    let writer = RecordWriter(sink: sink)
    for payload in payloads {
        do throws(RecordError) { try writer.write(payload) } catch { preconditionFailure("a memory sink refused a write: \(error)") }
    }
    return sink.bytes
}

/// Runs a built executable of this package and returns its exit status and output.
/// `environment` is added to this process's; `removing` names variables to leave out.
public func runProduct(
    _ name: String, _ arguments: [String], environment: [String: String] = [:], removing: [String] = []
) throws -> (status: Int32, stdout: String, stderr: String) {
    try runCommand(productsDirectory.appendingPathComponent(name).path, arguments, environment: environment, removing: removing)
}

/// Runs the program at `path` to completion, capturing its output.
public func runCommand(
    _ path: String, _ arguments: [String], environment: [String: String] = [:], removing: [String] = []
) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    for name in removing { merged[name] = nil }
    process.environment = merged
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// Starts a built executable of this package with its standard output on a pipe.
public func startProduct(_ name: String, _ arguments: [String]) throws -> (process: Process, output: Pipe) {
    let process = Process()
    process.executableURL = productsDirectory.appendingPathComponent(name)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    return (process, output)
}

/// The directory holding the built products (next to the test bundle).
public var productsDirectory: URL {
    let bundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }
    if let bundle { return bundle.bundleURL.deletingLastPathComponent() }
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
}

/// The seeded generator for reproducible trials (the package's one SplitMix64).
public typealias SeededRandom = SplitMix64

extension EventRecord {
    /// The decoded event for tests: a decode failure is recorded as a test issue (and an
    /// empty event returned, so later expectations fail too).
    public var decoded: Tensorflow_Event {
        do {
            return try event()
        } catch {
            Issue.record("\(file) at \(offset): \(error)")
            return Tensorflow_Event()
        }
    }
}

/// The Python of the venv `tools/test` makes (with tensorboard and tensorflow): TOOLS_VENV,
/// or the repository's `.venv-tools`. Nil when there is none: a note names `what` was
/// skipped, and under CI (which always has the venv) an issue is recorded instead.
public func toolsPython(skipping what: String) -> String? {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let venv = ProcessInfo.processInfo.environment["TOOLS_VENV"] ?? root.appendingPathComponent(".venv-tools").path
    guard FileManager.default.isExecutableFile(atPath: venv + "/bin/python") else {
        if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("no TensorBoard venv at \(venv): run tools/test") }
        print("note: no TensorBoard venv at \(venv); \(what) was skipped (tools/test runs it)")
        return nil
    }
    return venv + "/bin/python"
}

/// A real, small file system: a tmpfs of `kilobytes` mounted on a new temporary directory
/// (unmount it with `unmountTinyFileSystem`). Nil where mounting is refused (it needs root,
/// which CI has), with a note naming `what` was skipped.
public func mountTinyFileSystem(kilobytes: Int, skipping what: String) throws -> String? {
    let mountPoint = makeTemporaryDirectory("tinyfs")
    let mount = try runCommand("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", mountPoint])
    guard mount.status == 0 else {
        print("note: cannot mount a tmpfs here (\(mount.stderr.trimmingCharacters(in: .whitespacesAndNewlines))); \(what) was skipped")
        return nil
    }
    return mountPoint
}

/// Unmounts what `mountTinyFileSystem` mounted.
public func unmountTinyFileSystem(_ mountPoint: String) {
    _ = try? runCommand("/bin/umount", [mountPoint])
}
