import Foundation
import Testing
import TFProtos
@testable import TensorBoard
import TestSupport

/// Hostile values at the writer's own entry points: each is written with a documented
/// meaning or refused with `.invalidArgument`, and nothing around a refused call is lost.
struct WriterInputTests {
    func isInvalidArgument(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return false
        } catch SummaryWriterError.invalidArgument {
            return true
        } catch {
            return false
        }
    }

    @Test(arguments: [Double.nan, 0, -0.0, -1, -Double.infinity])
    func flushIntervalsThatAreNotPositiveAreRefused(_ interval: Double) {
        #expect(isInvalidArgument { _ = try makeWriter(flushInterval: interval) })
    }

    @Test(arguments: [Double.infinity, 1e300, .greatestFiniteMagnitude, 1e10, .leastNonzeroMagnitude])
    func extremeFlushIntervalsWork(_ interval: Double) throws {
        let writer = try makeWriter(flushInterval: interval)
        try writer.add(scalar: 1, tag: "x", step: 1)
        try writer.flush()
        #expect(try summaryEvents(of: writer).count == 1)
        try writer.close()
    }

    @Test func queueCapacityBelowOneIsRefused() {
        #expect(isInvalidArgument { _ = try makeWriter(queueCapacity: 0) })
        #expect(isInvalidArgument { _ = try makeWriter(queueCapacity: Int.min) })
    }

    @Test func nonFiniteScalarsExtremeStepsAndEmptyTextAreWritten() throws {
        let writer = try makeWriter()
        try writer.add(scalar: Float.nan, tag: "nan", step: Int.min)
        try writer.add(scalar: -Float.infinity, tag: "inf", step: Int.max)
        try writer.add(scalar: 1e308 as Double, tag: "big", step: -1)
        try writer.add(text: "", tag: "empty", step: 0)
        try writer.close()
        let events = try summaryEvents(of: writer).map(\.decoded)
        #expect(events[0].summary.value[0].simpleValue.isNaN && events[0].step == Int64.min)
        #expect(events[1].summary.value[0].simpleValue == -.infinity && events[1].step == Int64.max)
        #expect(events[2].summary.value[0].simpleValue == .infinity)
        #expect(events[3].summary.value[0].tensor.stringVal == [Data()])
    }

    @Test func emptyTagsAndNonFiniteWallTimesAreRefusedAndTheRestKept() throws {
        let writer = try makeWriter()
        try writer.add(scalar: 1, tag: "before", step: 1)
        #expect(isInvalidArgument { try writer.add(scalar: 1, tag: "", step: 1) })
        #expect(isInvalidArgument { try writer.add(text: "x", tag: "", step: 1) })
        #expect(isInvalidArgument { try writer.add(histogram: [1.0], tag: "", step: 1) })
        #expect(isInvalidArgument { try writer.add(scalar: 1, tag: "t", step: 1, wallTime: .nan) })
        #expect(isInvalidArgument { try writer.add(event: Tensorflow_Event(), step: 1, wallTime: -.infinity) })
        let invalidUTF8Tag: [UInt8] = [0x0A, 0x07, 0x0A, 0x02, 0xFF, 0xFE, 0x15, 0x00, 0x00]
        #expect(isInvalidArgument { try writer.add(serializedSummary: invalidUTF8Tag, step: 1) })
        let repaired = String(decoding: [0xFF, 0x41], as: UTF8.self)
        try writer.add(scalar: 2, tag: repaired, step: 2)
        try writer.close()
        #expect(try summaryEvents(of: writer).map { $0.decoded.summary.value[0].tag } == ["before", "\u{FFFD}A"])
    }

    @Test func pathsThatWouldBeCutOrMisplacedAreRefused() throws {
        let directory = makeTemporaryDirectory("paths")
        #expect(isInvalidArgument { _ = try SummaryWriter(logDirectory: "") })
        #expect(isInvalidArgument { _ = try SummaryWriter(logDirectory: directory + "/a\0b") })
        #expect(isInvalidArgument { _ = try SummaryWriter(logDirectory: directory, fileSuffix: "/x") })
        #expect(isInvalidArgument { _ = try SummaryWriter(logDirectory: directory, fileSuffix: ".v2\0") })
        #expect(try EventFileReader.eventFiles(inRun: directory).isEmpty)
    }

    @Test func aWriterWhoseClockIsNotFiniteIsRefused() {
        let environment = WriterEnvironment(clock: { .nan }, hostName: "h", processID: 1)
        #expect(isInvalidArgument { _ = try SummaryWriter(logDirectory: makeTemporaryDirectory("clock"), environment: environment) })
    }

    @Test func garbageGraphBytesAreRefusedWithoutUsingUpTheGraph() throws {
        let writer = try makeWriter()
        #expect(isInvalidArgument { try writer.add(serializedGraph: [0xFF, 0xFF, 0xFF]) })
        var graph = Tensorflow_GraphDef()
        graph.versions.producer = 1
        try writer.add(graph: graph)
        try writer.close()
        #expect(try summaryEvents(of: writer).count == 1)
    }
}
