import TFGraph

/// What a traced step did: one record per computation the plan ran, in order, on the
/// calling thread (TensorFlow's `StepStats` for one device). Ops folded into constants when
/// the plan was compiled, and fed placeholders, do not run and have no record. A fused
/// step (e.g. a matrix product and the update that consumes it) is one record, attributed
/// to the op whose outputs it produces, with `fusedLabel` naming the fusion.
public struct StepStatistics: Sendable {
    /// One op's execution.
    public struct Node: Sendable {
        /// The op's name in the graph (`layer1/Wx_plus_b/MatMul`).
        public let name: String
        /// Its type (`MatMul`).
        public let type: String
        /// The fusion that computed it with other ops, or nil.
        public let fusedLabel: String?
        /// Start and end, in nanoseconds since the Unix epoch (wall clock).
        public let startNanoseconds: Int64
        public let endNanoseconds: Int64
        /// Its outputs.
        public let outputs: [NodeOutput]
        /// The bytes of the buffers the op owns for its outputs (not those of variables it
        /// updates or inputs it aliases); the op allocates nothing else while it runs, so
        /// this is also its peak.
        public let allocatedBytes: Int
    }

    /// One output of an op.
    public struct NodeOutput: Sendable {
        public let dtype: DType
        public let shape: [Int]
        /// The bytes of its value (for strings, their total length).
        public let bytes: Int
        /// Whether the buffer belongs to the op (not a variable's or an input's).
        public let isAllocated: Bool
    }

    /// TensorFlow's name of the device everything ran on.
    public static let device = "/job:localhost/replica:0/task:0/device:CPU:0"

    public let nodes: [Node]
}
