import CMPI
import Dispatch
import TFRuntime

/// The MPI world of a job started by `mpirun`, over Open MPI loaded at run time (`CMPI`).
/// Every call is a collective over `MPI_COMM_WORLD`: all ranks make the same calls in the
/// same order. Used from one thread (the one that started it).
final class MPICommunicator: Collective {
    let rank: Int
    let size: Int
    /// What the float sums (the gradients' allreduce) have cost so far.
    private(set) var statistics = AllreduceStatistics()

    /// Loads Open MPI and initializes it (`MPI_Init_thread`, errors returned, not fatal).
    /// - Throws: `DistributedError` when the library is missing or initialization fails.
    init() throws(DistributedError) {
        var message = [CChar](repeating: 0, count: 512)
        guard c_mpi_load(&message, message.count) == 0 else {
            throw DistributedError(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        try Self.check(c_mpi_init(), "starting MPI (MPI_Init_thread)")
        var rank: Int32 = 0
        var size: Int32 = 0
        try Self.check(c_mpi_rank(&rank), "asking MPI for this process's rank")
        try Self.check(c_mpi_size(&size), "asking MPI for the number of processes")
        self.rank = Int(rank)
        self.size = Int(size)
    }

    /// The largest count one MPI call takes (its counts are C ints).
    private static let maximumCount = Int(Int32.max)

    func sumInPlace(_ values: UnsafeMutableBufferPointer<Float>) throws {
        guard let base = values.baseAddress else { return }
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            statistics.calls += 1
            statistics.bytes += values.count * MemoryLayout<Float>.size
            statistics.seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        for start in stride(from: 0, to: values.count, by: Self.maximumCount) {
            let count = min(Self.maximumCount, values.count - start)
            try Self.check(c_mpi_allreduce_sum_float(base + start, Int32(count)), "summing \(values.count) floats across ranks")
        }
    }

    func sumInPlace(_ values: UnsafeMutableBufferPointer<Int64>) throws(DistributedError) {
        guard let base = values.baseAddress else { return }
        for start in stride(from: 0, to: values.count, by: Self.maximumCount) {
            let count = min(Self.maximumCount, values.count - start)
            try Self.check(c_mpi_allreduce_sum_int64(base + start, Int32(count)), "summing counts across ranks")
        }
    }

    func maximumInPlace(_ values: UnsafeMutableBufferPointer<Int64>) throws(DistributedError) {
        guard let base = values.baseAddress else { return }
        try Self.check(c_mpi_allreduce_max_int64(base, Int32(min(values.count, Self.maximumCount))), "agreeing across ranks")
    }

    func broadcast(_ bytes: UnsafeMutableRawBufferPointer, from root: Int) throws(DistributedError) {
        guard let base = bytes.baseAddress else { return }
        for start in stride(from: 0, to: bytes.count, by: Self.maximumCount) {
            let count = min(Self.maximumCount, bytes.count - start)
            try Self.check(c_mpi_broadcast_bytes(base + start, Int32(count), Int32(root)), "broadcasting from rank \(root)")
        }
    }

    func barrier() throws(DistributedError) {
        try Self.check(c_mpi_barrier(), "waiting for every rank (MPI_Barrier)")
    }

    func finish() throws(DistributedError) {
        try Self.check(c_mpi_finalize(), "ending MPI (MPI_Finalize)")
    }

    /// Ends every rank of the job with `code`.
    func abort(code: Int32) {
        c_mpi_abort(code)
    }

    private static func check(_ code: Int32, _ what: String) throws(DistributedError) {
        guard code != 0 else { return }
        var text = [CChar](repeating: 0, count: 512)
        c_mpi_error_string(code, &text, text.count)
        let reason = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw DistributedError("MPI failed \(what): \(reason) (a rank of the job may have died; see mpirun's message)")
    }
}
