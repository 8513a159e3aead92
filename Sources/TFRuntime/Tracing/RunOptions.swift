/// How `Session.run(fetches:targets:feeding:options:)` runs a step: TensorFlow's
/// `RunOptions`, of which the trace level is modelled.
public struct RunOptions: Sendable, Equatable {
    /// How much of a step is recorded.
    public enum TraceLevel: Sendable, Equatable {
        /// Nothing: the step runs as `run` without options does.
        case none
        /// Each op's start and end time and its outputs' shapes and bytes
        /// (TensorFlow's `FULL_TRACE`).
        case full
    }

    public var traceLevel: TraceLevel

    public init(traceLevel: TraceLevel = .none) {
        self.traceLevel = traceLevel
    }

    /// Every op of the step timed and its outputs recorded, as TensorFlow's
    /// `RunOptions(trace_level=FULL_TRACE)`.
    public static let fullTrace = RunOptions(traceLevel: .full)
}
