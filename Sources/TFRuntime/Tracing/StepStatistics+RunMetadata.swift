import TFGraph
import TFProtos

extension StepStatistics {
    /// The statistics as TensorFlow's `RunMetadata` (one `DeviceStepStats` for the CPU),
    /// which `SummaryWriter.add(runMetadata:tag:step:)` writes and TensorBoard's graph
    /// dashboard reads: times in microseconds and nanoseconds, each output's dtype, shape and
    /// bytes, and the op's memory (allocator `cpu`: its buffers' bytes, also its peak).
    public func runMetadata() -> Tensorflow_RunMetadata {
        var device = Tensorflow_DeviceStepStats()
        device.device = Self.device
        device.threadNames = [0: "caller"]
        device.nodeStats = nodes.map { node in
            var stats = Tensorflow_NodeExecStats()
            stats.nodeName = node.name
            let duration = node.endNanoseconds - node.startNanoseconds
            stats.allStartMicros = node.startNanoseconds / 1000
            stats.opStartRelMicros = 0
            stats.opEndRelMicros = duration / 1000
            stats.allEndRelMicros = duration / 1000
            stats.allStartNanos = node.startNanoseconds
            stats.opStartRelNanos = 0
            stats.opEndRelNanos = duration
            stats.allEndRelNanos = duration
            stats.scheduledMicros = stats.allStartMicros
            stats.scheduledNanos = node.startNanoseconds
            stats.timelineLabel = timelineLabel(node)
            var memory = Tensorflow_AllocatorMemoryUsed()
            memory.allocatorName = "cpu"
            memory.totalBytes = Int64(node.allocatedBytes)
            memory.peakBytes = Int64(node.allocatedBytes)
            memory.liveBytes = Int64(node.allocatedBytes)
            stats.memory = [memory]
            stats.output = node.outputs.enumerated().map { slot, output in
                var description = Tensorflow_TensorDescription()
                description.dtype = output.dtype.dataType
                var shape = Tensorflow_TensorShapeProto()
                shape.dim = output.shape.map { size in
                    var dim = Tensorflow_TensorShapeProto.Dim()
                    dim.size = Int64(size)
                    return dim
                }
                description.shape = shape
                var allocation = Tensorflow_AllocationDescription()
                allocation.requestedBytes = Int64(output.bytes)
                allocation.allocatedBytes = output.isAllocated ? Int64(output.bytes) : 0
                allocation.allocatorName = "cpu"
                description.allocationDescription = allocation
                var nodeOutput = Tensorflow_NodeOutput()
                nodeOutput.slot = Int32(slot)
                nodeOutput.tensorDescription = description
                return nodeOutput
            }
            return stats
        }
        var stepStats = Tensorflow_StepStats()
        stepStats.devStats = [device]
        var metadata = Tensorflow_RunMetadata()
        metadata.stepStats = stepStats
        return metadata
    }

    /// TensorFlow's timeline label: `name = Type(...)`, with the fusion when there is one.
    func timelineLabel(_ node: Node) -> String {
        let fused = node.fusedLabel.map { " [\($0)]" } ?? ""
        return "\(node.name) = \(node.type)()\(fused)"
    }
}
