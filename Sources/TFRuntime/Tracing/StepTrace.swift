import TFGraph
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a plan knows about each kernel it runs, for tracing: the op it is attributed to
/// and its output buffers.
struct TracedKernel {
    let name: String
    let type: String
    let fusedLabel: String?
    let outputs: [TensorBuffer]
    /// Per output, whether the op owns the buffer.
    let owned: [Bool]

    /// The record of one execution, read from the buffers after it ran.
    func node(start: Int64, end: Int64) -> StepStatistics.Node {
        let outputs = zip(outputs, owned).map { buffer, owned in
            let bytes = buffer.dtype == .string ? buffer.strings.reduce(0) { $0 + $1.count } : buffer.count * buffer.dtype.byteSize
            return StepStatistics.NodeOutput(dtype: buffer.dtype, shape: buffer.shape, bytes: bytes, isAllocated: owned)
        }
        return StepStatistics.Node(
            name: name, type: type, fusedLabel: fusedLabel, startNanoseconds: start, endNanoseconds: end, outputs: outputs,
            allocatedBytes: outputs.filter(\.isAllocated).reduce(0) { $0 + $1.bytes })
    }
}

/// The wall clock in nanoseconds since the Unix epoch.
@inline(__always)
func wallClockNanoseconds() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
}
