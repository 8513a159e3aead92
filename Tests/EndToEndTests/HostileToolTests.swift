import Foundation
import Testing
import TFRecord
import TensorBoard
import TestSupport

/// Issue 16, `tfevents` under hostile input and faults: no hang, no false "clean", no
/// partial output reported as success, and nothing it keeps is destroyed.
struct HostileToolTests {
    static let subcommands = ["inspect", "validate", "dump", "export"]

    // MARK: hangs

    /// FIFOs, sockets and devices named like event files inside a run are named in a
    /// warning and skipped, by every subcommand; named directly, they are an error (2).
    @Test(arguments: ["fifo", "socket", "device"])
    func nonRegularEventFilesAreSkippedWithAWarning(kind: String) throws {
        let (file, _) = try TFEventsCommandTests.eventFile()
        let run = (file as NSString).deletingLastPathComponent
        let odd = run + "/events.out.tfevents.odd"
        switch kind {
        case "fifo": #expect(mkfifo(odd, 0o644) == 0)
        case "socket":
            let result = try runCommand("/usr/bin/python3", ["-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", odd])
            #expect(result.status == 0, "\(result.stderr)")
        default: #expect(symlink("/dev/zero", odd) == 0)
        }
        for command in Self.subcommands {
            let result = try Hostile.run("tfevents", [command, run], seconds: 20)
            #expect(!result.timedOut, "\(command) hung on a \(kind)")
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("warning") && result.stderr.contains(odd) && result.stderr.contains("not a regular file"), "\(result.stderr)")
        }
        for command in Self.subcommands + ["repair"] {
            let result = try Hostile.run("tfevents", [command, odd], seconds: 20)
            #expect(!result.timedOut && result.status == 2, "\(command) \(kind): \(result.status)")
            #expect(result.stderr.contains("not a regular file") && !result.stderr.contains("permission"), "\(result.stderr)")
        }
    }

    /// Symbolic-link loops (to the run itself, to a parent, a cycle of two) end the walk;
    /// each file is read once and the link is named.
    @Test func symbolicLinkLoopsAreWalkedOnce() throws {
        let (file, _) = try TFEventsCommandTests.eventFile()
        let run = (file as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: run + "/a/b", withIntermediateDirectories: true)
        #expect(symlink("..", run + "/a/b/up") == 0)
        #expect(symlink(run, run + "/a/self") == 0)
        #expect(symlink(run + "/a", run + "/a/b/back") == 0)
        let result = try Hostile.run("tfevents", ["validate", run], seconds: 20)
        #expect(!result.timedOut && result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").filter { $0.hasPrefix("ok") }.count == 1, "\(result.stdout)")
        #expect(result.stderr.contains("not followed again"))
    }

    // MARK: a check that passes having checked nothing

    /// An unreadable sub-run, an unreadable event file, a dangling link named like an event
    /// file: `validate` exits 2 naming it. Root reads any file, so the unreadable cases run
    /// as user nobody (skipped, with a note, where setpriv is missing or we are not root).
    @Test func unreadableSubRunsAndFilesAreErrorsNotSkipped() throws {
        let logDir = makeTemporaryDirectory("unreadable")
        for run in ["a", "b"] {
            let writer = try SummaryWriter(logDirectory: logDir + "/" + run)
            try writer.add(scalar: 1, tag: "loss", step: 0)
            try writer.close()
        }
        #expect(symlink(logDir + "/missing", logDir + "/a/events.out.tfevents.dangling") == 0)
        var result = try Hostile.run("tfevents", ["validate", logDir], seconds: 20)
        #expect(result.status == 2 && result.stderr.contains("events.out.tfevents.dangling"), "\(result.stderr)")
        unlink(logDir + "/a/events.out.tfevents.dangling")

        guard Hostile.canRunAsNobody else {
            print("note: not root or no setpriv: the unreadable-directory case needs another user and was skipped")
            return
        }
        Hostile.openToOthers(logDir + "/a")
        chmod(logDir + "/b", 0o700)
        result = try Hostile.shell("exec \(Hostile.asNobody) \"$0\" validate \"$1\"", product: "tfevents", [logDir], seconds: 20)
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("cannot read \(logDir)/b") && result.stderr.contains("Permission denied"), "\(result.stderr)")
        chmod(logDir + "/b", 0o755)
        let file = try EventFileReader.eventFiles(inRun: logDir + "/b")[0]
        chmod(file, 0o600)
        for command in Self.subcommands {
            result = try Hostile.shell("exec \(Hostile.asNobody) \"$0\" \(command) \"$1\"", product: "tfevents", [logDir], seconds: 20)
            #expect(result.status == 2 && result.stderr.contains(file), "\(command): \(result.status) \(result.stderr)")
        }
    }

    // MARK: partial output reported as success

    /// Standard output on a full device: every subcommand exits 2 naming it.
    @Test func fullStandardOutputIsExitTwo() throws {
        let (file, _) = try TFEventsCommandTests.eventFile(count: 50)
        for command in Self.subcommands {
            let result = try Hostile.shell("exec \"$0\" \(command) \"$1\" > /dev/full", product: "tfevents", [file])
            #expect(result.status == 2, "\(command)")
            #expect(result.stderr.contains("standard output (/dev/full)") && result.stderr.contains("No space left on device"), "\(result.stderr)")
        }
        // A reader that goes away with SIGPIPE ignored (output beyond a pipe's buffer): an
        // error, not a trap.
        let (large, _) = try TFEventsCommandTests.eventFile(count: 5000)
        let result = try Hostile.shell("trap '' PIPE; \"$0\" dump \"$1\" | head -c 1 > /dev/null; echo \"status ${PIPESTATUS[0]}\" >&2",
                                       product: "tfevents", [large])
        #expect(result.stderr.contains("status 2") && result.stderr.contains("Broken pipe"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }

    /// A full file system (a 64 KiB tmpfs; mounting needs root): `export -o` and
    /// `repair -o` fail with exit 2, keep the previous output whole and leave no temporary;
    /// `export > file` fails instead of exiting 0 with a cut CSV.
    @Test func fullDiskKeepsThePreviousOutputWhole() throws {
        guard let mountPoint = try mountTinyFileSystem(
            kilobytes: 64, skipping: "the full-disk output cases (/dev/full covers standard output)")
        else { return }
        defer { unmountTinyFileSystem(mountPoint) }
        let (file, _) = try TFEventsCommandTests.eventFile(count: 2000)
        var damaged = try readFileBytes(file)
        damaged.removeLast(3)
        let input = makeTemporaryDirectory("tool-tinyfs-input") + "/events.out.tfevents.damaged"
        try writeFileBytes(damaged, to: input)
        try writeFileBytes(Array("previous\n".utf8), to: mountPoint + "/scalars.csv")
        try writeFileBytes(Array("previous\n".utf8), to: mountPoint + "/repaired")
        _ = try runCommand("/bin/dd", ["if=/dev/zero", "of=\(mountPoint)/fill", "bs=1k"])
        for arguments in [["export", file, "-o", mountPoint + "/scalars.csv"], ["repair", input, "-o", mountPoint + "/repaired"]] {
            let result = try runProduct("tfevents", arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("No space left on device") && result.stderr.contains(mountPoint), "\(result.stderr)")
        }
        #expect(try readFileBytes(mountPoint + "/scalars.csv") == Array("previous\n".utf8))
        #expect(try readFileBytes(mountPoint + "/repaired") == Array("previous\n".utf8))
        #expect(Hostile.names(mountPoint) == ["fill", "repaired", "scalars.csv"])
        let redirected = try Hostile.shell("exec \"$0\" export \"$1\" > \"$2\"", product: "tfevents", [file, mountPoint + "/out.csv"])
        #expect(redirected.status == 2 && redirected.stderr.contains("No space left on device"), "\(redirected.stderr)")
    }

    // MARK: a tool destroys what it says it keeps; outputs and links

    /// In-place repair keeps a backup under a new name whatever the file is called, and a
    /// second repair never overwrites the first backup.
    @Test(arguments: ["plain.bin", "events.out.tfevents.1.h.1.0", "run.tfevents.damaged-events"])
    func repairNeverOverwritesTheOriginalOrABackup(name: String) throws {
        let (source, offsets) = try TFEventsCommandTests.eventFile(count: 5)
        let directory = makeTemporaryDirectory("repair-names")
        let path = directory + "/" + name
        var first = try readFileBytes(source)
        first.removeLast(2)
        try writeFileBytes(first, to: path)
        var result = try runProduct("tfevents", ["repair", path])
        #expect(result.status == 0, "\(result.stderr)")
        let backupLine = result.stdout.split(separator: "\n").first { $0.hasPrefix("original kept as ") }
        let backup = backupLine.map { String($0.dropFirst("original kept as ".count)) } ?? ""
        #expect(backup != path && !backup.isEmpty)
        #expect(!(backup as NSString).lastPathComponent.contains("tfevents"), "TensorBoard would load \(backup)")
        #expect(try readFileBytes(backup) == first)
        #expect(try readFileBytes(path).count == offsets[offsets.count - 1])

        // Damage it again: the second backup takes a new name.
        var second = try readFileBytes(path)
        second[offsets[2] + 14] ^= 0xFF
        try writeFileBytes(second, to: path)
        result = try runProduct("tfevents", ["repair", path])
        #expect(result.status == 0)
        #expect(try readFileBytes(backup) == first, "the first backup was overwritten")
        #expect(Hostile.names(directory).count == 3, "\(Hostile.names(directory))")
    }

    /// `--output` naming the input (directly, through `..` or a link) or a directory is
    /// refused; a link planted at `--output` is replaced, never written through; an
    /// in-place repair of a link is refused.
    @Test func outputsNeverOverwriteInputsOrFollowLinks() throws {
        let (clean, _) = try TFEventsCommandTests.eventFile()
        let (damaged, _) = try TFEventsCommandTests.eventFile()
        var bytes = try readFileBytes(damaged)
        bytes.removeLast(1)
        try writeFileBytes(bytes, to: damaged)
        let cleanBytes = try readFileBytes(clean)
        for (command, file) in [("repair", damaged), ("export", clean)] {
            let directory = (file as NSString).deletingLastPathComponent
            let name = (file as NSString).lastPathComponent
            #expect(symlink(file, directory + "/alias") == 0)
            let aliases = [file, directory + "/../" + (directory as NSString).lastPathComponent + "/" + name, directory + "/alias"]
            for output in aliases {
                let result = try runProduct("tfevents", [command, file, "-o", output])
                #expect(result.status == 2 && result.stderr.contains("is the input file"), "\(command) -o \(output): \(result.stderr)")
            }
            let result = try runProduct("tfevents", [command, file, "-o", directory])
            #expect(result.status == 2 && result.stderr.contains("is a directory"), "\(result.stderr)")
            let under = try runProduct("tfevents", [command, file, "-o", file + "/x"])
            #expect(under.status == 2 && under.stderr.contains("Not a directory") && !under.stderr.contains("NSCocoaErrorDomain"), "\(under.stderr)")
        }
        #expect(try readFileBytes(damaged) == bytes && readFileBytes(clean) == cleanBytes)
        let alias = (damaged as NSString).deletingLastPathComponent + "/alias"
        let inPlace = try runProduct("tfevents", ["repair", alias])
        #expect(inPlace.status == 2 && inPlace.stderr.contains("symbolic link"))
        #expect(try readFileBytes(damaged) == bytes)

        let victim = makeTemporaryDirectory("tool-victim") + "/victim"
        try writeFileBytes(Array("victim".utf8), to: victim)
        let outputs = makeTemporaryDirectory("tool-outputs")
        for (command, file, output) in [("export", clean, outputs + "/planted.csv"), ("repair", damaged, outputs + "/planted.tfevents")] {
            #expect(symlink(victim, output) == 0)
            let result = try runProduct("tfevents", [command, file, "-o", output])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try readFileBytes(victim) == Array("victim".utf8))
            let attributes = try FileManager.default.attributesOfItem(atPath: output)
            #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        }
    }

    /// With standard output closed, `export -o` and `repair -o` write only their own bytes.
    @Test func closedStandardOutputNeverLandsInOutputs() throws {
        let (file, _) = try TFEventsCommandTests.eventFile()
        let (damaged, _) = try TFEventsCommandTests.eventFile()
        try writeFileBytes(Array(try readFileBytes(damaged).dropLast(1)), to: damaged)
        let outputs = makeTemporaryDirectory("closed-tool")
        let export = try Hostile.shell("exec \"$0\" export \"$1\" -o \"$2\" <&- >&-", product: "tfevents", [file, outputs + "/s.csv"])
        #expect(export.status == 0, "\(export.stderr)")
        let csv = String(decoding: try readFileBytes(outputs + "/s.csv"), as: UTF8.self)
        #expect(csv.hasPrefix("run,tag,step,wall_time,value\n") && csv.split(separator: "\n").count == 4, "\(csv)")
        let repair = try Hostile.shell("exec \"$0\" repair \"$1\" -o \"$2\" <&- >&-", product: "tfevents", [damaged, outputs + "/r"])
        #expect(repair.status == 0, "\(repair.stderr)")
        #expect(EventFileValidator.validate(file: outputs + "/r").isClean)
    }
}
