import Testing
import TensorBoard
import TestSupport

struct RunReaderHistogramTests {
    /// What the writer writes reads back as the same buckets.
    @Test func ourHistogramsRoundTrip() throws {
        let histogram = Histogram(values: [0.0, 1, 1, 2, 2, 2, 3, 3, 3, 3], bucketCount: 3)
        let writer = try makeWriter()
        try writer.add(histogram: histogram, tag: "weights", step: 7)
        try writer.close()
        let read = try RunReader(path: writer.logDirectory).histograms(tag: "weights")
        #expect(read == [
            HistogramEvent(
                step: 7, wallTime: 1_700_000_000, buckets: histogram.buckets, minimum: 0, maximum: 3, count: 10)
        ])
    }

    /// TensorFlow 2 (`tf.summary.histogram`, 3 buckets) and tensorboardX (`add_histogram`,
    /// bins [0, 1, 2, 3]) of the same ten values.
    @Test func tensorFlow2AndTensorboardX() throws {
        let expected = [
            Histogram.Bucket(leftEdge: 0, rightEdge: 1, count: 1),
            Histogram.Bucket(leftEdge: 1, rightEdge: 2, count: 2),
            Histogram.Bucket(leftEdge: 2, rightEdge: 3, count: 7),
        ]
        let tensorFlow = try RunReader(path: ReaderFixtures.tensorFlow2).histograms(tag: "weights")
        #expect(tensorFlow.count == 1)
        #expect(tensorFlow.first?.buckets == expected)
        #expect(tensorFlow.first?.count == 10)
        #expect(tensorFlow.first?.sum == nil)

        // tensorboardX writes a HistogramProto: min, max, num, sum and sum of squares too.
        let tensorboardX = try RunReader(path: ReaderFixtures.tensorboardX).histograms(tag: "weights")
        #expect(tensorboardX.map(\.buckets) == [expected])
        #expect(tensorboardX.first?.minimum == 0 && tensorboardX.first?.maximum == 3)
        #expect(tensorboardX.first?.count == 10)
        #expect(tensorboardX.first?.sum == 20)
        #expect(tensorboardX.first?.sumOfSquares == 50)
    }

    /// TensorFlow 1's `HistogramProto` with its default exponential bucket limits: the empty
    /// buckets at both ends are dropped and min/max become the outer edges, as TensorBoard
    /// shows it (its loader gives the same 7 buckets).
    @Test func tensorFlow1HistogramProto() throws {
        let histograms = try RunReader(path: ReaderFixtures.tensorFlow1).histograms(tag: "weights")
        #expect(histograms.map(\.step) == [0, 1, 2, 3, 4])
        let first = try #require(histograms.first)
        #expect(first.buckets.map(\.count) == [1, 0, 2, 0, 3, 0, 4])
        #expect(first.buckets.first?.leftEdge == 0)
        #expect(first.buckets.first?.rightEdge == 1e-12)
        #expect(first.buckets.last?.rightEdge == 3)
        for (left, right) in zip(first.buckets, first.buckets.dropFirst()) { #expect(left.rightEdge == right.leftEdge) }
        #expect(first.minimum == 0 && first.maximum == 3 && first.count == 10)
        #expect(first.sum == 20 && first.sumOfSquares == 50)
    }
}
