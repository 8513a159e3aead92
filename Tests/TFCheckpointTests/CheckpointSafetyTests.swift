import Foundation
import Testing
import TFCore
@testable import TFCheckpoint
import TFRecord
import TestSupport

/// Issue 16: the Saver deletes only its own run's checkpoints, never writes through a
/// planted link, and `resumeCheckpoint` finds the newest complete checkpoint without (or
/// despite) the `checkpoint` file.
struct CheckpointSafetyTests {
    /// A copied run whose `checkpoint` file holds absolute paths into the original (as
    /// TensorFlow's Saver writes them): rotation in the copy leaves the original whole.
    @Test func rotationInACopiedRunNeverDeletesTheOriginalsCheckpoints() throws {
        let (model, session) = try CheckpointTests.trainedSession()
        let original = makeTemporaryDirectory("ckpt-original")
        let copy = makeTemporaryDirectory("ckpt-copy")
        let saver = Saver(graph: model.graph, maxToKeep: 2)
        for step in [1, 2] { try saver.save(session, prefix: original + "/model.ckpt", globalStep: step) }
        let originalFiles = try DirectoryListing.names(in: original)
        for name in originalFiles where name != "checkpoint" {
            try FileManager.default.copyItem(atPath: original + "/" + name, toPath: copy + "/" + name)
        }
        try writeFileBytes(Array("""
            model_checkpoint_path: "\(original)/model.ckpt-2"
            all_model_checkpoint_paths: "\(original)/model.ckpt-1"
            all_model_checkpoint_paths: "\(original)/model.ckpt-2"
            all_model_checkpoint_paths: "\(copy)/../\((copy as NSString).lastPathComponent)/model.ckpt-2"
            """.utf8), to: copy + "/checkpoint")
        for step in [3, 4, 5] { try saver.save(session, prefix: copy + "/model.ckpt", globalStep: step) }
        #expect(try DirectoryListing.names(in: original) == originalFiles)
        // In the copy, rotation worked on its own names (the `..` path resolved to the copy).
        let state = String(decoding: try readFileBytes(copy + "/checkpoint"), as: UTF8.self)
        #expect(state.contains("model_checkpoint_path: \"model.ckpt-5\"") && !state.contains(original))
        #expect(!FileManager.default.fileExists(atPath: copy + "/model.ckpt-3.index"))
        #expect(FileManager.default.fileExists(atPath: copy + "/model.ckpt-5.index"))
    }

    /// Links planted at every name a save writes: each is replaced by a regular file and
    /// no target is written; a link listed for rotation is not followed when deleting.
    @Test func plantedLinksAtCheckpointNamesAreNeverWrittenThrough() throws {
        let (model, session) = try CheckpointTests.trainedSession()
        let directory = makeTemporaryDirectory("ckpt-links")
        let victims = makeTemporaryDirectory("ckpt-victims")
        let names = ["checkpoint", "model.ckpt-7.index", "model.ckpt-7.data-00000-of-00001", "model.ckpt-7.meta"]
        for name in names {
            try writeFileBytes(Array("victim \(name)".utf8), to: victims + "/" + name)
            try FileManager.default.createSymbolicLink(atPath: directory + "/" + name, withDestinationPath: victims + "/" + name)
        }
        try Saver(graph: model.graph, maxToKeep: 1).save(session, prefix: directory + "/model.ckpt", globalStep: 7)
        for name in names {
            #expect(try readFileBytes(victims + "/" + name) == Array("victim \(name)".utf8))
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)
            #expect(attributes[.type] as? FileAttributeType == .typeRegular, "\(name)")
        }
        // Rotation: model.ckpt-7 is dropped by the next save, and a link planted as its
        // meta file is removed neither through nor as the link's target.
        // The first save replaced the link planted there with its own meta file.
        try FileManager.default.removeItem(atPath: directory + "/model.ckpt-7.meta")
        try FileManager.default.createSymbolicLink(atPath: directory + "/model.ckpt-7.meta", withDestinationPath: victims + "/checkpoint")
        try Saver(graph: model.graph, maxToKeep: 1).save(session, prefix: directory + "/model.ckpt", globalStep: 8)
        #expect(FileManager.default.fileExists(atPath: victims + "/checkpoint"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/model.ckpt-7.index"))
    }

    @Test func resumeFindsTheNewestCompleteCheckpointWithoutAUsableStateFile() throws {
        let (model, session) = try CheckpointTests.trainedSession()
        let directory = makeTemporaryDirectory("ckpt-find")
        let saver = Saver(graph: model.graph, maxToKeep: 5)
        for step in [10, 20, 30] { try saver.save(session, prefix: directory + "/model.ckpt", globalStep: step) }
        #expect(Saver.resumeCheckpoint(in: directory) == CheckpointChoice(prefix: directory + "/model.ckpt-30", note: nil))

        // Killed while writing the state file of save 30: it still names 20.
        let named20 = "model_checkpoint_path: \"model.ckpt-20\"\n"
        try writeFileBytes(Array(named20.utf8), to: directory + "/checkpoint")
        var choice = Saver.resumeCheckpoint(in: directory)
        #expect(choice?.prefix == directory + "/model.ckpt-30")
        #expect(choice?.note?.contains("model.ckpt-20") == true)

        // Missing, then damaged, then naming a missing checkpoint.
        for (state, mention) in [(nil, "no `checkpoint` file"), ("\u{1}garbage{", "damaged"),
                                 ("model_checkpoint_path: \"model.ckpt-99\"\n", "model.ckpt-99")] {
            try? FileManager.default.removeItem(atPath: directory + "/checkpoint")
            if let state { try writeFileBytes(Array(state.utf8), to: directory + "/checkpoint") }
            choice = Saver.resumeCheckpoint(in: directory)
            #expect(choice?.prefix == directory + "/model.ckpt-30", "\(mention)")
            #expect(choice?.note?.contains(mention) == true, "\(choice?.note ?? "no note")")
        }

        // The newest is incomplete (its data file cut): the one before is chosen.
        let data30 = directory + "/model.ckpt-30.data-00000-of-00001"
        try writeFileBytes(Array(try readFileBytes(data30).dropLast(8)), to: data30)
        #expect(Saver.resumeCheckpoint(in: directory)?.prefix == directory + "/model.ckpt-20")
        // A FIFO as the state file does not block.
        try FileManager.default.removeItem(atPath: directory + "/checkpoint")
        #expect(mkfifo(directory + "/checkpoint", 0o644) == 0)
        #expect(Saver.resumeCheckpoint(in: directory)?.prefix == directory + "/model.ckpt-20")
    }

    @Test func staleTemporariesOfDeadProcessesAreRemovedAndOthersKept() throws {
        let directory = makeTemporaryDirectory("ckpt-stale")
        let dead: Int32 = 4_194_000  // above any pid_max in use here
        let stale = [".tmp-\(dead)-8000000000000abc-checkpoint", "checkpoint.tmp\(dead)",
                     "model.ckpt-9.index.tmp\(dead)", "model.ckpt-9.data-00000-of-00001.tmp\(dead)"]
        let kept = [".tmp-\(getpid())-8000000000000abc-checkpoint",  // a live process's
                    "notes.tmp\(dead)", ".tmp-\(dead)-short-checkpoint", "model.ckpt-9.index"]
        for name in stale + kept { try writeFileBytes([1], to: directory + "/" + name) }
        try FileManager.default.createSymbolicLink(atPath: directory + "/checkpoint.tmp\(dead + 1)", withDestinationPath: "/etc/hostname")
        #expect(Set(AtomicFile.removeStaleTemporaries(in: directory)) == Set(stale))
        #expect(Set(try DirectoryListing.names(in: directory)) == Set(kept + ["checkpoint.tmp\(dead + 1)"]))
    }
}
