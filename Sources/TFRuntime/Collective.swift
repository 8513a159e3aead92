/// The processes of a data-parallel job, as the runtime's collective ops see them: how many
/// there are, and an in-place sum across all of them. TFDistributed implements it (over
/// MPI); a `Session` is given one with `attach`. The runtime never sees MPI.
package protocol Collective: AnyObject {
    /// This process's index in the job, 0..<size.
    var rank: Int { get }
    /// The number of processes in the job.
    var size: Int { get }
    /// Replaces `values` with their elementwise sum over every process. Every process calls
    /// it with the same count, in the same order of calls.
    /// - Throws: an error naming the failure (a lost process, a transport error).
    func sumInPlace(_ values: UnsafeMutableBufferPointer<Float>) throws
}
