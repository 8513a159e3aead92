import Foundation
import Testing
import TestSupport

/// The library's data-parallel training (`distributed-check`: DistributedOptimizer,
/// ProcessGroup, broadcast) under real `mpirun` jobs.
extension MPIJobTests {
@Suite struct DataParallelExactnessTests {
    /// Averaging the halves' gradients is the full batch's gradient: 2 ranks with 50
    /// examples each end where 1 process with those 100 examples does, after 100 steps.
    @Test func twoRanksOfHalfBatchesEqualOneProcessOfWholeBatches() throws {
        guard let mpirun = mpirunPath(skipping: "the 2-rank exactness test") else { return }
        let single = makeTemporaryDirectory("single")
        let job = makeTemporaryDirectory("job")
        let one = try runProduct("distributed-check", [single, "100", "100"])
        #expect(one.status == 0, "\(one.stderr)")
        let two = try runJob(mpirun, ranks: 2, "distributed-check", [job, "50", "100"])
        #expect(two.status == 0, "\(two.stdout)\(two.stderr)")
        #expect(two.stdout.contains("rank 1 of 2"), "\(two.stdout)")

        let expected = try readFloats(single + "/rank-0.bin")
        let got = try readFloats(job + "/rank-0.bin")
        #expect(expected.count == got.count && !expected.isEmpty)
        let largest = expected.map(abs).max() ?? 0
        let difference = zip(expected, got).map { abs($0 - $1) }.max() ?? .infinity
        // Float sums in another order: a few units in the last place of the largest value.
        #expect(difference <= 1e-5 * max(largest, 1), "largest difference \(difference)")
        // And training moved them: the comparison is not of two initial states.
        let initialDirectory = makeTemporaryDirectory("initial")
        let initial = try runProduct("distributed-check", [initialDirectory, "100", "0"])
        #expect(initial.status == 0)
        let moved = zip(expected, try readFloats(initialDirectory + "/rank-0.bin")).map { abs($0 - $1) }.max() ?? 0
        #expect(moved > 100 * difference && moved > 1e-3, "training moved the variables by at most \(moved)")
    }

    /// Every rank ends with bit-identical variables, though each initialized with its own
    /// seed (only the broadcast makes them equal) and trained on its own data: 4 ranks,
    /// with momentum (slot variables that are never broadcast after the start).
    @Test func replicasStayBitIdentical() throws {
        guard let mpirun = mpirunPath(skipping: "the identical-replicas test") else { return }
        let job = makeTemporaryDirectory("replicas")
        let result = try runJob(mpirun, ranks: 4, "distributed-check", [job, "10", "50", "momentum"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let first = try readFileBytes(job + "/rank-0.bin")
        #expect(!first.isEmpty)
        for rank in 1..<4 {
            #expect(try readFileBytes(job + "/rank-\(rank).bin") == first, "rank \(rank) differs from rank 0")
        }
        // Different losses: each rank trained on its own part of the batches.
        let losses = Set(result.stdout.split(separator: "\n").compactMap { $0.split(separator: "loss ").last })
        #expect(losses.count == 4, "\(result.stdout)")
    }
}
}
