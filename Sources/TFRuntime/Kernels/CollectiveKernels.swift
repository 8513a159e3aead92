import TFGraph

/// `AllreduceMean`: packs every input into one buffer (allocated when the plan is compiled),
/// sums it across the session's collective in one call, and writes each slice, scaled by
/// 1 / size, to its output. One collective call per step, whatever the number of tensors.
enum AllreduceMeanKernel: OpKernel {
    static let opType = AllreduceMeanOp.type

    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        for (input, output) in zip(inputs, outputs) where input.dtype != .float32 || input.count != output.count {
            throw SessionError.shapeMismatch(op: op.name, reason: "input \(input.dtype) \(input.shape) does not match output \(output.shape)")
        }
        let counts = inputs.map(\.count)
        let packed = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(counts.reduce(0, +), 1))
        let storage = PackedBuffer(packed)
        return {
            guard let collective = context.collective else {
                throw SessionError.unsupported(
                    op: op.name,
                    what: "averaging across processes without a process group (attach one: ProcessGroup.attach(to: session))")
            }
            var offset = 0
            for (input, count) in zip(inputs, counts) {
                (storage.values.baseAddress! + offset).update(from: input.floats, count: count)
                offset += count
            }
            try collective.sumInPlace(UnsafeMutableBufferPointer(rebasing: storage.values[0..<offset]))
            let scale = 1 / Float(collective.size)
            offset = 0
            for (output, count) in zip(outputs, counts) {
                let source = storage.values.baseAddress! + offset
                let target = output.floats
                for i in 0..<count { target[i] = source[i] * scale }
                offset += count
            }
        }
    }
}

/// The packed buffer of one `AllreduceMean` step, freed with the plan's kernel.
private final class PackedBuffer {
    let values: UnsafeMutableBufferPointer<Float>

    init(_ values: UnsafeMutableBufferPointer<Float>) {
        self.values = values
    }

    deinit {
        values.deallocate()
    }
}
