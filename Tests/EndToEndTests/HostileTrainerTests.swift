import Foundation
import Testing
import TFRecord
import TensorBoard
import TestSupport

/// Issue 16, `fully-connected-feed` under hostile input and faults: its files hold only its
/// own records, nothing outside the run is written or deleted, failures are messages.
struct HostileTrainerTests {
    // MARK: output that is not ours in our files

    /// With standard streams closed, the event file, checkpoints and `checkpoint` file would
    /// get descriptors 0-2 and the progress lines. They must hold only their own contents.
    @Test(arguments: ["<&- >&-", ">&-", ">&- 2>&-", "<&- >&- 2>&-"])
    func closedStandardStreamsNeverLandInDataFiles(redirections: String) throws {
        let logDir = makeTemporaryDirectory("closed-stdio")
        let result = try Hostile.shell("exec \"$0\" \"$@\" \(redirections)", product: "fully-connected-feed",
                                       ["--fake-data", "--max-steps", "200", "--log-dir", logDir])
        #expect(result.status == 0 && !result.timedOut, "\(result.stderr)")
        let report = EventFileValidator.validate(file: try EventFileReader.eventFiles(inRun: logDir)[0])
        #expect(report.isClean, "\(report)")
        #expect(try EventFileReader(path: logDir).readAll().filter { !$0.decoded.summary.value.isEmpty }.map(\.decoded.step) == [0, 100])
        for name in Hostile.names(logDir) {
            let text = String(decoding: try readFileBytes(logDir + "/" + name), as: UTF8.self)
            #expect(!text.contains("Step 0: loss") && !text.contains("Num examples"), "\(name) holds progress text")
        }
        let state = String(decoding: try readFileBytes(logDir + "/checkpoint"), as: UTF8.self)
        #expect(state.hasPrefix("model_checkpoint_path: \"model.ckpt-199\""))
    }

    /// Standard output that fails (a full device; a reader gone with SIGPIPE ignored): a
    /// message naming it and exit 1, never a trap; what was flushed stays valid.
    @Test(arguments: ["> /dev/full", "| true"])
    func failingStandardOutputIsAnErrorNotACrash(sink: String) throws {
        let logDir = makeTemporaryDirectory("bad-stdout")
        let script = "trap '' PIPE; \"$0\" \"$@\" \(sink); echo \"status ${PIPESTATUS[0]}\" >&2"
        let result = try Hostile.shell(script, product: "fully-connected-feed",
                                       ["--fake-data", "--max-steps", "300", "--log-dir", logDir])
        #expect(result.stderr.contains("status 1"), "\(result.stderr)")
        #expect(result.stderr.contains(sink.hasPrefix(">") ? "No space left on device" : "Broken pipe"), "\(result.stderr)")
        #expect(result.stderr.contains("standard output") && !result.stderr.contains("Fatal error"))
        for file in try EventFileReader.eventFiles(inRun: logDir) { #expect(EventFileValidator.validate(file: file).isClean) }
        #expect(!Hostile.names(logDir).contains(RunLock.fileName))
    }

    // MARK: deleting outside what the run owns

    /// A run copied with TensorFlow-style absolute paths in its `checkpoint` file: resuming
    /// the copy neither reads its checkpoint from nor changes anything in the original.
    @Test func resumingACopiedRunLeavesTheOriginalUntouched() throws {
        let original = try Hostile.trainedRun("copied-original", steps: 100)
        try writeFileBytes(Array("""
            model_checkpoint_path: "\(original)/model.ckpt-99"
            all_model_checkpoint_paths: "\(original)/model.ckpt-99"
            """.utf8), to: original + "/checkpoint")
        let copy = makeTemporaryDirectory("copied-copy")
        for name in Hostile.names(original) {
            try FileManager.default.copyItem(atPath: original + "/" + name, toPath: copy + "/" + name)
        }
        let before = try Hostile.names(original).map { ($0, try readFileBytes(original + "/" + $0)) }
        let result = try runProduct("fully-connected-feed", ["--fake-data", "--resume", "--max-steps", "250", "--log-dir", copy])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Restored \(copy)/model.ckpt-99"))
        #expect(result.stdout.contains("outside"))
        let after = try Hostile.names(original).map { ($0, try readFileBytes(original + "/" + $0)) }
        #expect(after.map(\.0) == before.map(\.0) && zip(after, before).allSatisfy { $0.1 == $1.1 })
    }

    /// `--overwrite` deletes only what this program wrote; anything else that looks like a
    /// run stops it before it deletes anything.
    @Test(arguments: ["foreign-name", "other-writer", "symlink", "directory", "other-owner"])
    func overwriteRefusesFilesItDidNotWrite(kind: String) throws {
        let logDir = try Hostile.trainedRun("overwrite-\(kind)", steps: 10)
        let ours = Hostile.names(logDir)
        let victim = makeTemporaryDirectory("overwrite-victim") + "/keep"
        try writeFileBytes(Array("keep me".utf8), to: victim)
        let planted = logDir + "/events.out.tfevents.1700000000.host.1.0"
        switch kind {
        case "foreign-name": try writeFileBytes(Array("notes".utf8), to: logDir + "/my-tfevents-notes.txt")
        case "other-writer":
            // A well-formed event file of our name pattern, written by another program.
            let payload: [UInt8] = [0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x1A, 0x04] + Array("tf-2".utf8)
            try writeFileBytes(framedFile([payload]), to: planted)
        case "symlink": try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: victim)
        case "directory": try FileManager.default.createDirectory(atPath: planted, withIntermediateDirectories: false)
        default:
            try writeFileBytes([], to: planted)
            chown(planted, 65534, 65534)
        }
        let everything = Hostile.names(logDir)
        let result = try runProduct("fully-connected-feed", ["--fake-data", "--overwrite", "--max-steps", "1", "--log-dir", logDir])
        #expect(result.status == 1)
        #expect(result.stderr.contains("nothing was deleted"), "\(result.stderr)")
        #expect(Hostile.names(logDir) == everything && everything.count == ours.count + 1)
        #expect(try readFileBytes(victim) == Array("keep me".utf8))
    }

    // MARK: following links others can plant

    /// A `.writer.lock` planted as a link, a hard link, or a file of another user: the
    /// trainer refuses with a message naming it, and writes nothing into the target.
    @Test(arguments: ["symlink", "dangling-symlink", "hardlink", "other-owner", "fifo"])
    func plantedLockFileIsRefusedAndItsTargetUntouched(kind: String) throws {
        let logDir = makeTemporaryDirectory("planted-lock-\(kind)")
        let victim = makeTemporaryDirectory("planted-victim") + "/passwd"
        try writeFileBytes(Array("root:x:0:0\n".utf8), to: victim)
        let lock = logDir + "/" + RunLock.fileName
        switch kind {
        case "symlink": try FileManager.default.createSymbolicLink(atPath: lock, withDestinationPath: victim)
        case "dangling-symlink": try FileManager.default.createSymbolicLink(atPath: lock, withDestinationPath: victim + ".new")
        case "hardlink": #expect(link(victim, lock) == 0)
        case "other-owner":
            try writeFileBytes([], to: lock)
            chown(lock, 65534, 65534)
        default: #expect(mkfifo(lock, 0o644) == 0)
        }
        let result = try Hostile.run("fully-connected-feed", ["--fake-data", "--max-steps", "1", "--log-dir", logDir], seconds: 30)
        #expect(!result.timedOut)
        #expect(result.status == 1)
        #expect(result.stderr.contains(RunLock.fileName) && result.stderr.contains("remove it"), "\(result.stderr)")
        #expect(try readFileBytes(victim) == Array("root:x:0:0\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: victim + ".new"))
        #expect(try EventFileReader.eventFiles(inRun: logDir).isEmpty)
    }

    /// A log directory other users can write into is named in a warning (the run goes on).
    @Test func logDirectoryWritableByOthersIsNamedInAWarning() throws {
        let parent = makeTemporaryDirectory("shared-parent")
        let logDir = parent + "/run"
        try FileManager.default.createDirectory(atPath: logDir, withIntermediateDirectories: true)
        chmod(logDir, 0o777)
        var result = try runProduct("fully-connected-feed", ["--fake-data", "--max-steps", "1", "--log-dir", logDir])
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning") && result.stderr.contains(logDir) && result.stderr.contains("writable by other users"))
        // An ancestor that is not sticky counts too; a private one does not warn.
        chmod(logDir, 0o755)
        chmod(parent, 0o777)
        result = try runProduct("fully-connected-feed", ["--fake-data", "--max-steps", "1", "--log-dir", logDir + "/b"])
        #expect(result.stderr.contains(parent) && result.stderr.contains("writable by other users"), "\(result.stderr)")
        chmod(parent, 0o755)
        result = try runProduct("fully-connected-feed", ["--fake-data", "--max-steps", "1", "--log-dir", logDir + "/c"])
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")
    }

    // MARK: leftovers

    /// A start that fails (a damaged checkpoint on --resume, a batch larger than the data)
    /// leaves no event file and no lock; a clean run leaves no lock either.
    @Test func failedStartsLeaveNoEventFileAndNoLock() throws {
        let logDir = try Hostile.trainedRun("leftovers", steps: 20)
        #expect(!Hostile.names(logDir).contains(RunLock.fileName))
        let before = Hostile.names(logDir)
        var data = try readFileBytes(logDir + "/model.ckpt-19.data-00000-of-00001")
        data[100] ^= 0xFF
        try writeFileBytes(data, to: logDir + "/model.ckpt-19.data-00000-of-00001")
        let damaged = try runProduct("fully-connected-feed", ["--fake-data", "--resume", "--max-steps", "40", "--log-dir", logDir])
        #expect(damaged.status == 1 && damaged.stderr.contains("checksum"))
        #expect(Hostile.names(logDir) == before)

        // A start refused for its data makes nothing, so the next start needs no --overwrite.
        let fresh = makeTemporaryDirectory("leftovers-fresh")
        let refused = try runProduct("fully-connected-feed", ["--fake-data", "--batch-size", "60000", "--max-steps", "5", "--log-dir", fresh])
        #expect(refused.status == 1 && refused.stderr.contains("--batch-size of at most"), "\(refused.stderr)")
        #expect(Hostile.names(fresh).isEmpty, "\(Hostile.names(fresh))")
        #expect(try runProduct("fully-connected-feed", ["--fake-data", "--max-steps", "1", "--log-dir", fresh]).status == 0)
        #expect(!Hostile.names(fresh).contains(RunLock.fileName))
    }

    /// Temporaries of a killed save are removed at the next start (and named); a file that
    /// only looks like one is kept.
    @Test func staleTemporariesOfKilledSavesAreRemovedAtStart() throws {
        let logDir = try Hostile.trainedRun("stale-temps", steps: 10)
        let stale = ["checkpoint.tmp4194000", "model.ckpt-9.index.tmp4194001", ".tmp-4194002-8000000000000001-checkpoint"]
        for name in stale + ["notes.tmp4194000"] { try writeFileBytes([1, 2], to: logDir + "/" + name) }
        let result = try runProduct("fully-connected-feed", ["--fake-data", "--resume", "--max-steps", "12", "--log-dir", logDir])
        #expect(result.status == 0, "\(result.stderr)")
        for name in stale {
            #expect(!FileManager.default.fileExists(atPath: logDir + "/" + name))
            #expect(result.stderr.contains(name))
        }
        #expect(FileManager.default.fileExists(atPath: logDir + "/notes.tmp4194000"))
    }

    // MARK: a complete checkpoint not found

    /// The state of a kill -9 during the first save's `checkpoint`-file write (checkpoint
    /// complete, no `checkpoint` file, a temporary left), and a damaged or FIFO state file:
    /// `--resume` continues from the complete checkpoint and says which.
    @Test(arguments: ["missing", "damaged", "fifo", "names-missing"])
    func resumeFindsACompleteCheckpointWithoutAUsableStateFile(state: String) throws {
        let logDir = try Hostile.trainedRun("find-ckpt-\(state)", steps: 100)
        try FileManager.default.removeItem(atPath: logDir + "/checkpoint")
        switch state {
        case "missing": try writeFileBytes(Array("model_checkpoint_path: \"mod".utf8), to: logDir + "/checkpoint.tmp4194000")
        case "damaged": try writeFileBytes([0xFF, 0x00, 0x7B], to: logDir + "/checkpoint")
        case "fifo": #expect(mkfifo(logDir + "/checkpoint", 0o644) == 0)
        default: try writeFileBytes(Array("model_checkpoint_path: \"model.ckpt-5000\"\n".utf8), to: logDir + "/checkpoint")
        }
        let result = try Hostile.run("fully-connected-feed", ["--fake-data", "--resume", "--max-steps", "150", "--log-dir", logDir], seconds: 60)
        #expect(!result.timedOut)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Restored \(logDir)/model.ckpt-99; continuing from step 100"), "\(result.stdout)")
        #expect(result.stdout.contains("chose the newest complete checkpoint, model.ckpt-99"))
    }

    // MARK: crash instead of a message; messages a user can act on

    @Test(arguments: [
        (["--hidden1", "100000000"], ["needs at least", "GiB", "this machine has", "--hidden1"]),
        (["--hidden1", "9223372036854775807"], ["more than any machine has"]),
        (["--batch-size", "1000000000000"], ["--batch-size", "this machine has"]),
        (["--max-steps", "-5"], ["--max-steps must be 0 or more, got -5"]),
        (["--hidden2", "-3"], ["--hidden1 and --hidden2 must be at least 1"]),
        (["--learning-rate", "-1"], ["--learning-rate must be a non-negative number"]),
        (["--validation-size", "-2"], ["--validation-size must be 0 or more"]),
    ])
    func impossibleRequestsAreMessagesNotCrashes(arguments: [String], mentions: [String]) throws {
        let logDir = makeTemporaryDirectory("impossible")
        let result = try runProduct("fully-connected-feed", ["--fake-data", "--log-dir", logDir] + arguments)
        #expect(result.status == 64, "\(arguments): \(result.status) \(result.stderr)")
        for text in mentions { #expect(result.stderr.contains(text), "\(arguments): \(result.stderr)") }
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Missing value"))
        #expect(Hostile.names(logDir).isEmpty)
    }

    /// Paths the log dir cannot be made at, and empty data sets: the message names the
    /// path or the flag to change, never a Foundation error domain.
    @Test func unusableLogDirectoriesAndEmptyDataAreNamed() throws {
        let base = makeTemporaryDirectory("unusable")
        try writeFileBytes([1], to: base + "/file")
        #expect(mkfifo(base + "/fifo", 0o644) == 0)
        for (logDir, mention) in [(base + "/file/run", "file is a regular file, not a directory"), (base + "/file", "it is a regular file"),
                                  (base + "/fifo/run", "FIFO")] {
            let result = try Hostile.run("fully-connected-feed", ["--fake-data", "--max-steps", "1", "--log-dir", logDir], seconds: 30)
            #expect(result.status == 1 && !result.timedOut)
            #expect(result.stderr.contains(mention) && result.stderr.contains("--log-dir"), "\(result.stderr)")
            #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("permission"))
        }
        let empty = try FullyConnectedFeedTests.fixtureData(train: 0, test: 10)
        var result = try runProduct("fully-connected-feed", ["--input-data-dir", empty, "--log-dir", base + "/e"])
        #expect(result.status == 1 && result.stderr.contains("holds no images") && result.stderr.contains("--input-data-dir"), "\(result.stderr)")
        let small = try FullyConnectedFeedTests.fixtureData(train: 50, test: 10)
        result = try runProduct("fully-connected-feed", ["--input-data-dir", small, "--validation-size", "50", "--log-dir", base + "/s"])
        #expect(result.status == 1 && result.stderr.contains("smaller --validation-size"), "\(result.stderr)")
        result = try runProduct("fully-connected-feed", ["--input-data-dir", small, "--validation-size", "0", "--batch-size", "20", "--log-dir", base + "/t"])
        #expect(result.status == 1 && result.stderr.contains("--batch-size of at most 10"), "\(result.stderr)")
    }
}

extension HostileTrainerTests {
    /// A FIFO in place of a data file is named, not read (reading it would block forever).
    @Test func fifoAsADataFileIsNamedNotRead() throws {
        let data = try FullyConnectedFeedTests.fixtureData(train: 50, test: 10)
        try FileManager.default.removeItem(atPath: data + "/t10k-labels-idx1-ubyte")
        #expect(mkfifo(data + "/t10k-labels-idx1-ubyte", 0o644) == 0)
        let result = try Hostile.run("fully-connected-feed", ["--input-data-dir", data, "--validation-size", "10", "--batch-size", "5",
                                                              "--log-dir", makeTemporaryDirectory("fifo-data")], seconds: 30)
        #expect(!result.timedOut && result.status == 1)
        #expect(result.stderr.contains("t10k-labels-idx1-ubyte") && result.stderr.contains("FIFO"), "\(result.stderr)")
    }
}
