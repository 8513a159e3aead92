import Foundation
import TensorBoard

/// The writer rows a training loop leans on: a scalar mix of several tags, and histograms
/// of large weight tensors. Both call the library from this module, as a user's program does.
extension Bench {
    /// CPU seconds the calling thread has used: on a shared, loaded machine the rate per
    /// CPU second (reported as `per_cpu_second`) moves far less than the wall-clock rate.
    static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }

    /// The ten tags of the `writer-scalars-mix` row: "train/loss_000" ... "train/loss_009".
    static let mixTags = (0..<10).map { "train/loss_00\($0)" }

    /// `add(scalar:)` of N events cycling over ten 14-character tags (each step adds one
    /// value per tag), a new writer and file each pass, closed at the end of it; ROUNDS
    /// passes (default 5), reporting the median rate (as `writer-histogram` does: a pass is
    /// a tenth of a second, shorter than the host's slow moments).
    static func writerScalarsMix(_ arguments: [String]) throws {
        let count = Int(arguments.first ?? "") ?? 1_000_000
        let passes = max(Int(arguments.dropFirst().first ?? "") ?? 5, 1)
        let tags = mixTags
        var rates: [Double] = []
        var cpuRates: [Double] = []
        var size = 0
        for _ in 0..<passes {
            let directory = scratchDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var path = ""
            let cpuStart = threadCPUSeconds()
            let elapsed = try seconds {
                let writer = try SummaryWriter(logDirectory: directory)
                path = writer.filePath
                var step = 0
                var written = 0
                while written < count {
                    for tag in tags where written < count {
                        try writer.add(scalar: Float(written) * 0.001, tag: tag, step: step)
                        written += 1
                    }
                    step += 1
                }
                try writer.close()
            }
            cpuRates.append(Double(count) / (threadCPUSeconds() - cpuStart))
            rates.append(Double(count) / elapsed)
            size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        }
        rates.sort()
        cpuRates.sort()
        report("writer-scalars-mix", rates[rates.count / 2], "events/s",
               ["bytes_per_event": Double(size) / Double(count), "events": count, "tags": tags.count, "passes": passes,
                "best": rates[rates.count - 1], "per_cpu_second": cpuRates[cpuRates.count / 2]])
    }

    /// `add(histogram:)` of an N-value `[Float]` (default 10 M), timed on the caller's
    /// thread, ROUNDS times (default 5); reports the median rate.
    static func writerHistogram(_ arguments: [String]) throws {
        let count = Int(arguments.first ?? "") ?? 10_000_000
        let rounds = max(Int(arguments.dropFirst().first ?? "") ?? 5, 1)
        // A bell-shaped, deterministic sample (no random generator needed to compare runs).
        let values = (0..<count).map { index -> Float in
            let x = Double(index)
            return Float(sin(x * 0.618_033_988_7) + sin(x * 0.414_213_562_3) + sin(x * 0.732_050_807_5))
        }
        let directory = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try SummaryWriter(logDirectory: directory)
        var rates: [Double] = []
        var cpuRates: [Double] = []
        for round in 0..<rounds {
            let cpuStart = threadCPUSeconds()
            let elapsed = try seconds {
                try writer.add(histogram: values, tag: "weights", step: round)
            }
            cpuRates.append(Double(count) / (threadCPUSeconds() - cpuStart))
            rates.append(Double(count) / elapsed)
        }
        try writer.close()
        rates.sort()
        cpuRates.sort()
        report("writer-histogram", rates[rates.count / 2], "values/s",
               ["values": count, "rounds": rounds, "best": rates[rates.count - 1],
                "per_cpu_second": cpuRates[cpuRates.count / 2]])
    }
}
