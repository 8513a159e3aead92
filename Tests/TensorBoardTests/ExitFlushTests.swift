import Foundation
import Testing
@testable import TensorBoard
import TestSupport

/// The exit handler: a process that ends through `exit()` or by returning from main, with
/// a writer still open, loses none of the events it added. Child processes
/// (tools/hostile-inputs) do the exiting.
struct ExitFlushTests {
    @Test(arguments: ["exit-after-adds", "return-after-adds"])
    func everyAddedEventReachesTheFile(_ mode: String) throws {
        let directory = makeTemporaryDirectory(mode)
        let result = try runProduct("hostile-inputs", [mode, directory, "100"])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try EventFileReader.eventFiles(inRun: directory)
        try #require(files.count == 1)
        let events = try EventFileReader(path: files[0]).readAll().dropFirst().map(\.decoded)
        #expect(events.map(\.step) == (0..<100).map(Int64.init))
        #expect(EventFileValidator.validate(file: files[0]).isClean)
    }

    @Test func theRegistryNeitherKeepsWritersAliveNorClosedOnes() throws {
        weak var released: SummaryWriter?
        do {
            let writer = try makeWriter()
            released = writer
            #expect(LiveWriters.contains(writer))
        }
        #expect(released == nil)

        let closed = try makeWriter()
        try closed.close()
        #expect(!LiveWriters.contains(closed))
    }

    @Test func flushingAtExitWritesWhatIsQueued() throws {
        let writer = try makeWriter(flushInterval: .infinity)
        for step in 0..<10 { try writer.add(scalar: 1, tag: "x", step: step) }
        LiveWriters.flushAll(timeout: 10)
        #expect(try summaryEvents(of: writer).count == 10)
        try writer.close()
    }
}
