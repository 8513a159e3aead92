import TFRecord

/// A failure that ends a training program with a message and an exit status.
public struct TrainingFailure: Error {
    public var message: String
    public var exitCode: Int32
    /// Every rank of a job stops with this failure at the same step (a stop signal agreed
    /// across ranks), so they end MPI together instead of aborting the job.
    public var isAgreedStop: Bool

    public init(message: String, exitCode: Int32 = 1, isAgreedStop: Bool = false) {
        self.message = message
        self.exitCode = exitCode
        self.isAgreedStop = isAgreedStop
    }
}

/// Prints a line straight to standard output (unbuffered), so progress reaches a pipe
/// (tee, a log collector, a test) as it happens.
/// - Throws: `TrainingFailure` when standard output cannot be written (a full disk, a
///   closed pipe): progress that cannot be shown is a failure, not a silent loss.
public func say(_ line: String) throws {
    do throws(IOError) {
        try StandardStreams.write(line + "\n")
    } catch {
        throw TrainingFailure(message: "cannot print progress: \(error.operation) \(error.path): \(error.reason); run with standard output on a writable file or pipe")
    }
}
