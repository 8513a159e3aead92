import Foundation
import Testing
@testable import TensorBoard
import TestSupport

/// The room a series pass makes: the rate seen so far over the rest of the run, never less
/// than double; and long series read the same whatever room was made.
struct SeriesGrowthTests {
    private let growth = SeriesGrowth(files: ["a", "b"], sizes: [1_000_000, 3_000_000])

    @Test func smallSeriesDouble() {
        #expect(growth.capacity(count: 16, file: "a", end: 100) == 32)
        #expect(growth.capacity(count: SeriesGrowth.estimateAfter - 1, file: "a", end: 10) == 2 * (SeriesGrowth.estimateAfter - 1))
    }

    @Test func theRateSoFarIsExtendedOverTheRun() {
        // 2048 values in the first 100 000 of 4 000 000 bytes: about 40 times as many in all.
        let capacity = growth.capacity(count: 2048, file: "a", end: 100_000)
        #expect(capacity == 2048 * 40 + 2048 * 40 / 16)
        // In the second file, the first file's bytes count as read.
        #expect(growth.capacity(count: 2048, file: "b", end: 1_000_000) == 2048 * 2 + 2048 * 2 / 16)
    }

    @Test func neverLessThanDouble() {
        #expect(growth.capacity(count: 4096, file: "b", end: 2_900_000) == 8192)
        // Past the sizes seen at the start (a file still being written), or an unknown file.
        #expect(growth.capacity(count: 4096, file: "b", end: 3_500_000) == 8192)
        #expect(growth.capacity(count: 4096, file: "c", end: 10) == 8192)
    }

    @Test func hugeCountsDoNotOverflow() {
        let huge = SeriesGrowth(files: ["a"], sizes: [Int.max])
        #expect(huge.capacity(count: Int.max / 2 + 1, file: "a", end: 1) == Int.max / 2 + 1)
        #expect(huge.capacity(count: 1 << 40, file: "a", end: 1 << 20) == 1 << 41)
    }

    /// Two files of interleaved tags, long enough for the estimate, with a restart in the
    /// second: the series are what TensorBoard reads.
    @Test func longSeriesReadTheSame() throws {
        let directory = makeTemporaryDirectory("growth")
        let environment = { (second: Double) in WriterEnvironment(clock: { second }, hostName: "h", processID: 1) }
        let first = try SummaryWriter(logDirectory: directory, environment: environment(1_700_000_001))
        try first.add(sessionLog: .start, step: 0)
        for step in 0..<5000 {
            try first.add(scalar: Float(step), tag: "loss", step: step)
            if step % 3 == 0 { try first.add(scalar: -Float(step), tag: "accuracy", step: step) }
        }
        try first.close()
        let second = try SummaryWriter(logDirectory: directory, environment: environment(1_700_000_002))
        try second.add(sessionLog: .start, step: 4000)
        for step in 4000..<7000 { try second.add(scalar: Float(step) + 0.5, tag: "loss", step: step) }
        try second.close()

        let run = try RunReader(path: directory)
        let loss = try run.scalars(tag: "loss")
        #expect(loss.map(\.step) == (0..<7000).map(Int64.init))
        let expected: [Double] = (0..<7000).map { step in step < 4000 ? Double(step) : Double(step) + 0.5 }
        #expect(loss.map(\.value) == expected)
        let accuracy = try run.scalars(tag: "accuracy")
        #expect(accuracy.map(\.step) == stride(from: 0, to: 4000, by: 3).map(Int64.init))
    }
}
