import Foundation
import Synchronization
import Testing
import TFProtos
@testable import TensorBoard
import TestSupport

/// Many threads adding values of tags new to the file at the same moment, through
/// `add(scalar:)` and `add(summary:)` alike: read back with `EventFileReader`, the first
/// value of each tag in the file carries its plugin metadata and no later value does, and
/// each thread's events are in the order it added them.
struct ConcurrentTagTests {
    static let threads = 4
    static let eventsPerThread = 1_500

    /// One thread's adds: event `index` goes to step `thread * 1_000_000 + index`. Tags are
    /// shared by all threads (so they race to be first) and keep appearing for the first
    /// time throughout the run; summaries mix tags that scalars also use, and one summary
    /// names a tag twice.
    static func addEvents(thread: Int, to writer: SummaryWriter) throws {
        for index in 0..<eventsPerThread {
            let step = thread * 1_000_000 + index
            let fresh = index / 3  // a tag no thread has used before, every third event
            switch index % 3 {
            case 0:
                try writer.add(scalar: Float(index), tag: "scalar/\(fresh)", step: step)
            case 1:
                var summary = Tensorflow_Summary()
                summary.value = [value("scalar/\(fresh)"), value("summary/\(fresh)"), value("summary/\(fresh)")]
                try writer.add(summary: summary, step: step)
            default:
                try writer.add(scalar: Float(index), tag: "summary/\(fresh)", step: step)
            }
        }
    }

    static func value(_ tag: String) -> Tensorflow_Summary.Value {
        var value = Tensorflow_Summary.Value()
        value.tag = tag
        value.simpleValue = 1
        value.metadata = PluginMetadata.make(plugin: "scalars")
        return value
    }

    @Test(arguments: 0..<25)
    func metadataOnlyOnTheFirstValueOfEachTagUnderRacingThreads(round: Int) throws {
        // A small queue makes callers wait for room too, in the middle of the race.
        let writer = try makeWriter(flushInterval: 3600, queueCapacity: round.isMultiple(of: 2) ? 16 : 4096)
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: Self.threads) { thread in
            do { try Self.addEvents(thread: thread, to: writer) } catch { failures.withLock { $0.append("\(error)") } }
        }
        try writer.close()
        #expect(failures.withLock { $0 }.isEmpty)

        let events = try summaryEvents(of: writer).map(\.decoded)
        #expect(events.count == Self.threads * Self.eventsPerThread)
        var seen: Set<String> = []
        var lastIndex = [Int](repeating: -1, count: Self.threads)
        for event in events {
            for value in event.summary.value {
                let first = seen.insert(value.tag).inserted
                #expect(value.hasMetadata == first, "\(value.tag) at step \(event.step)")
                if first { #expect(value.metadata.pluginData.pluginName == "scalars") }
            }
            let thread = Int(event.step / 1_000_000)
            let index = Int(event.step % 1_000_000)
            #expect(index > lastIndex[thread], "thread \(thread): event \(index) after \(lastIndex[thread])")
            lastIndex[thread] = index
        }
        #expect(lastIndex == [Int](repeating: Self.eventsPerThread - 1, count: Self.threads))
    }
}
