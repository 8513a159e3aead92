import Foundation
import Testing
import TensorBoard
import TestSupport

struct RunLockTests {
    @Test func exclusiveWritersRefuseALiveHolderAndSharedOnesDoNot() throws {
        let directory = makeTemporaryDirectory("runlock")
        let first = try SummaryWriter(logDirectory: directory, sharing: .exclusive)
        #expect {
            _ = try SummaryWriter(logDirectory: directory, sharing: .exclusive)
        } throws: { error in
            guard case SummaryWriterError.runInUse(directory, getpid())? = error as? SummaryWriterError else { return false }
            return "\(error)".contains("choose another log directory")
        }
        // Shared writers (TensorFlow's behaviour) still add their own files to the run.
        let shared = try SummaryWriter(logDirectory: directory)
        try shared.close()
        // A unique sub-run moves aside.
        let aside = try SummaryWriter(logDirectory: directory, sharing: .uniqueSubRun)
        #expect(aside.logDirectory == directory + "/run-1")
        try aside.close()
        try first.close()
        // Closing released the lock.
        let next = try SummaryWriter(logDirectory: directory, sharing: .exclusive)
        #expect(next.logDirectory == directory)
        try next.close()
    }

    @Test func aKilledHoldersLockIsFree() throws {
        let directory = makeTemporaryDirectory("runlock-kill")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // util-linux's flock(1) takes the same flock(2) lock and holds it while its command
        // runs (--close: the command itself does not inherit the lock).
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["--exclusive", "--close", directory + "/" + RunLock.fileName, "sleep", "5"]
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        var refused = false
        for _ in 0..<100 {
            do {
                let lock = try RunLock(directory: directory)
                lock.release()
                Thread.sleep(forTimeInterval: 0.05)
            } catch SummaryWriterError.runInUse {
                refused = true
                break
            }
        }
        #expect(refused)
        kill(holder.processIdentifier, SIGKILL)
        var acquired = false
        for _ in 0..<100 where !acquired {
            acquired = (try? RunLock(directory: directory)) != nil
            if !acquired { Thread.sleep(forTimeInterval: 0.02) }
        }
        #expect(acquired, "the lock of a killed holder stayed taken")
    }
}
