extension StepStatistics {
    /// `runMetadata()` serialized, encoded directly from the statistics: the bytes
    /// swift-protobuf writes for that message, in a fraction of the time a generated message's serialization
    /// takes, which is what keeps a traced step cheap. Pass it to
    /// `SummaryWriter.add(serializedRunMetadata:tag:step:)`.
    public func serializedRunMetadata() -> [UInt8] {
        var metadata = ProtoEncoder()
        metadata.message(1) { stepStats in  // RunMetadata.step_stats
            stepStats.message(1) { device in  // StepStats.dev_stats
                device.string(1, Self.device)
                for node in nodes { device.message(2) { encode(node, into: &$0) } }  // node_stats
                device.message(3) { entry in  // thread_names: {0: "caller"}
                    entry.uint64(1, 0, always: true)
                    entry.string(2, "caller")
                }
            }
        }
        return metadata.bytes
    }

    /// One `NodeExecStats`, with the fields and values `runMetadata()` sets.
    private func encode(_ node: Node, into stats: inout ProtoEncoder) {
        let duration = node.endNanoseconds - node.startNanoseconds
        let startMicros = node.startNanoseconds / 1000
        stats.string(1, node.name)
        stats.int64(2, startMicros)  // all_start_micros
        stats.int64(4, duration / 1000)  // op_end_rel_micros (op_start_rel_micros is 0)
        stats.int64(5, duration / 1000)  // all_end_rel_micros
        stats.message(6) { memory in  // AllocatorMemoryUsed
            memory.string(1, "cpu")
            memory.int64(2, Int64(node.allocatedBytes))
            memory.int64(3, Int64(node.allocatedBytes))
            memory.int64(4, Int64(node.allocatedBytes))
        }
        for (slot, output) in node.outputs.enumerated() {
            stats.message(7) { nodeOutput in
                nodeOutput.int64(1, Int64(slot))
                nodeOutput.message(3) { description in  // TensorDescription
                    description.int64(1, Int64(output.dtype.dataType.rawValue))
                    description.message(2) { shape in
                        for size in output.shape { shape.message(2) { $0.int64(1, Int64(size)) } }
                    }
                    description.message(4) { allocation in  // AllocationDescription
                        allocation.int64(1, Int64(output.bytes))
                        allocation.int64(2, output.isAllocated ? Int64(output.bytes) : 0)
                        allocation.string(3, "cpu")
                    }
                }
            }
        }
        stats.string(8, timelineLabel(node))
        stats.int64(9, startMicros)  // scheduled_micros
        stats.int64(13, node.startNanoseconds)  // all_start_nanos
        stats.int64(15, duration)  // op_end_rel_nanos
        stats.int64(16, duration)  // all_end_rel_nanos
        stats.int64(17, node.startNanoseconds)  // scheduled_nanos
    }
}
