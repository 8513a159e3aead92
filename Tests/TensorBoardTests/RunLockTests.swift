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
        // runs (--close: the command itself does not inherit the lock); the command says
        // when the lock is held by creating a file, so the test never competes for the lock
        // with a holder not yet running (on a loaded machine, probing by taking the lock
        // could keep retaking it before the woken holder ran).
        let ready = directory + "/holder-ready"
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [
            "--exclusive", "--close", directory + "/" + RunLock.fileName, "/bin/sh", "-c", "touch '\(ready)'; exec sleep 30",
        ]
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: ready) && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(FileManager.default.fileExists(atPath: ready), "flock(1) did not take the lock within 60 s")
        #expect {
            _ = try RunLock(directory: directory)
        } throws: { error in
            guard case SummaryWriterError.runInUse? = error as? SummaryWriterError else { return false }
            return true
        }
        kill(holder.processIdentifier, SIGKILL)
        var acquired = false
        for _ in 0..<500 where !acquired {
            acquired = (try? RunLock(directory: directory)) != nil
            if !acquired { Thread.sleep(forTimeInterval: 0.02) }
        }
        #expect(acquired, "the lock of a killed holder stayed taken")
    }
}
