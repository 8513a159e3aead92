import Foundation
import TFProtos
import TensorBoard
import TestSupport

/// Feeds hostile values to every public `SummaryWriter` entry point, in a process of its
/// own so that a crash shows as a crash (Tests/EndToEndTests/HostileInputsTests.swift runs
/// it and checks the files).
///
/// Usage:
///   hostile-inputs GROUP DIR SEED        one group of cases (see `HostileCases.groups`)
///   hostile-inputs exit-after-adds DIR N    N scalars, then exit(0) with the writer open
///   hostile-inputs return-after-adds DIR N  N scalars, then return from main, writer open
///
/// A group writes into DIR/<run>/ and leaves DIR/expected.json: per run, how many events
/// the file must hold after its first record (`events`), of which `sentinels` are scalars
/// tagged `sentinel` at steps 0, 1, 2, ... written before and after every hostile call.
/// Each case prints `accepted LABEL` or `rejected LABEL: MESSAGE`. Exit status 0 means every
/// case returned or threw; anything else is a finding. With HOSTILE_CASE=TEXT set, only
/// the cases whose label contains TEXT run (to find which one crashes).
@main
struct HostileInputs {
    /// The writer `return-after-adds` leaves open when main returns.
    nonisolated(unsafe) static var keptOpen: SummaryWriter?

    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count == 4 else { usage() }
        do {
            switch arguments[1] {
            case "exit-after-adds", "return-after-adds":
                guard let count = Int(arguments[3]) else { usage() }
                let writer = try SummaryWriter(logDirectory: arguments[2], flushInterval: 3600)
                for step in 0..<count { try writer.add(scalar: Float(step), tag: "loss", step: step) }
                if arguments[1] == "exit-after-adds" { exit(0) }
                // A global keeps the writer open past main (globals are never destroyed),
                // so only the exit handler can write its events.
                keptOpen = writer
                return
            default:
                guard let seed = UInt64(arguments[3]), let group = HostileCases.groups[arguments[1]] else { usage() }
                let runs = try group(arguments[2], seed)
                let expected = runs.mapValues { ["events": $0.events, "sentinels": $0.sentinels] }
                let json = try JSONSerialization.data(withJSONObject: ["runs": expected], options: [.sortedKeys])
                try json.write(to: URL(fileURLWithPath: arguments[2] + "/expected.json"))
            }
        } catch {
            FileHandle.standardError.write(Data("hostile-inputs: unexpected failure: \(error)\n".utf8))
            exit(1)
        }
    }

    static func usage() -> Never {
        let groups = HostileCases.groups.keys.sorted().joined(separator: "|")
        FileHandle.standardError.write(
            Data("usage: hostile-inputs \(groups) DIR SEED\n       hostile-inputs exit-after-adds|return-after-adds DIR N\n".utf8))
        exit(2)
    }
}

/// One writer with its bookkeeping: a sentinel scalar around every hostile call, and the
/// count of events the file must end up holding.
final class Probe {
    let writer: SummaryWriter
    private(set) var events = 0
    private(set) var sentinels = 0
    private let only = ProcessInfo.processInfo.environment["HOSTILE_CASE"]

    init(directory: String) throws {
        writer = try SummaryWriter(logDirectory: directory, flushInterval: 3600)
    }

    /// Runs one hostile call between two sentinels; `events` is what it adds when accepted.
    func attempt(_ label: String, events added: Int = 1, _ body: (SummaryWriter) throws -> Void) throws {
        if let only, !label.contains(only) { return }
        say("trying \(label)")
        try sentinel()
        do {
            try body(writer)
            events += added
            say("accepted \(label)")
        } catch {
            say("rejected \(label): \(error)")
        }
        try sentinel()
    }

    /// Adds the scalar the test expects at the next sentinel step.
    func sentinel() throws {
        try writer.add(scalar: Float(sentinels), tag: "sentinel", step: sentinels)
        sentinels += 1
        events += 1
    }

    /// Closes the writer; `extra` events are written by close itself (an hparams session end).
    func close(extra: Int = 0) throws -> (events: Int, sentinels: Int) {
        try writer.close()
        return (events + extra, sentinels)
    }
}

extension SeededRandom {
    /// A double from random bits: NaNs, infinities, subnormals and zeros all come up.
    mutating func anyDouble() -> Double { Double(bitPattern: next()) }
    /// A float from random bits.
    mutating func anyFloat() -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: next())) }
}

/// Prints a line unbuffered, so the last case before a crash is on record.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
