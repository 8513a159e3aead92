import Foundation
import Synchronization
import TensorBoard

/// The histogram path: `bucketCount` (a signed byte, so 0 and negatives come up), a type
/// byte (even: Double, odd: Float), then values as raw bit patterns (NaN, ±inf, subnormals,
/// ±greatestFiniteMagnitude all reachable) go to `SummaryWriter.add(histogram:)` on a real
/// writer in a temporary directory. Properties: the call returns or throws
/// `SummaryWriterError`; the buckets hold no more values than were given, with finite,
/// non-negative counts; and the writer still takes a scalar afterwards.
enum HistogramTarget {
    /// One writer for many inputs (a writer per input would measure thread start-up), replaced
    /// every `inputsPerFile` inputs so the file stays small.
    private static let state = Mutex<(writer: SummaryWriter?, inputs: Int)>((nil, 0))
    private static let inputsPerFile = 20_000

    static func run(_ bytes: [UInt8]) {
        guard bytes.count >= 2 else { return }
        let bucketCount = Int(Int8(bitPattern: bytes[0]))
        let data = Array(bytes.dropFirst(2))
        guard let writer = currentWriter() else { return }
        if bytes[1] % 2 == 0 {
            let values = stride(from: 0, to: data.count - 7, by: 8).map { offset in
                Double(bitPattern: data[offset..<(offset + 8)].reduce(0) { $0 << 8 | UInt64($1) })
            }
            check(values, bucketCount: bucketCount, writer: writer)
        } else {
            let values = stride(from: 0, to: data.count - 3, by: 4).map { offset in
                Float(bitPattern: data[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) })
            }
            check(values, bucketCount: bucketCount, writer: writer)
        }
    }

    static func check<Value: BinaryFloatingPoint>(_ values: [Value], bucketCount: Int, writer: SummaryWriter) {
        let histogram = Histogram(values: values, bucketCount: bucketCount)
        let counts = histogram.buckets.map(\.count)
        FuzzCheck.require(counts.allSatisfy { $0.isFinite && $0 >= 0 }, "a bucket count is negative or not finite: \(counts)")
        FuzzCheck.require(counts.reduce(0, +) <= Double(values.count), "the buckets hold more than the \(values.count) values")
        do {
            try writer.add(histogram: values, tag: "h", step: 1, bucketCount: bucketCount)
        } catch {
            FuzzCheck.require(error is SummaryWriterError, "add(histogram:) threw \(error)")
        }
        do {
            try writer.add(scalar: 1, tag: "after", step: 1)
        } catch {
            FuzzCheck.require(false, "the writer refuses a scalar after a histogram: \(error)")
        }
    }

    /// The shared writer, replaced (and its file deleted) every `inputsPerFile` inputs.
    private static func currentWriter() -> SummaryWriter? {
        state.withLock { state in
            state.inputs += 1
            if let writer = state.writer, state.inputs % inputsPerFile != 0 { return writer }
            if let old = state.writer {
                try? old.close()
                try? FileManager.default.removeItem(atPath: old.logDirectory)
            }
            let directory = NSTemporaryDirectory() + "fuzz-histogram-\(getpid())-\(state.inputs)"
            state.writer = try? SummaryWriter(logDirectory: directory, flushInterval: .infinity)
            return state.writer
        }
    }

    /// Ordinary histograms: a spread of doubles, a few floats, one value repeated.
    static func seeds() -> [[UInt8]] {
        func doubles(_ values: [Double]) -> [UInt8] {
            values.flatMap { value in (0..<8).reversed().map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
        }
        func floats(_ values: [Float]) -> [UInt8] {
            values.flatMap { value in (0..<4).reversed().map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
        }
        return [
            [30, 0] + doubles((0..<50).map { Double($0) * 0.37 - 4 }),
            [10, 1] + floats([0.5, 1.5, -2, 3.25, 100]),
            [5, 0] + doubles([7, 7, 7]),
        ]
    }
}
