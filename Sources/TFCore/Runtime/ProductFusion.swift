/// A plan-time fusion that skips matrix products and computes each inside the op that
/// consumes it (`GradientFusion`, `BiasFusion`).
protocol ProductFusion {
    /// Products computed inside their consumer.
    var fusedProducts: Set<Output> { get }

    /// The fused kernel for `consumer` when its product was fused, else nil.
    func kernel(for consumer: Operation, _ buffers: [Output: TensorBuffer], _ context: KernelContext) throws -> Kernel?
}

extension ProductFusion {
    /// Whether `op` is a product that this fusion computes inside its consumer.
    func isFused(_ op: Operation) -> Bool {
        op.outputTypes.count == 1 && fusedProducts.contains(Output(op, 0))
    }

    /// How many ops of `ordered` read each output: a product is fusable only when its
    /// consumer is its one reader.
    static func readerCounts(_ ordered: [Operation]) -> [Output: Int] {
        var counts: [Output: Int] = [:]
        for op in ordered {
            for input in op.inputs { counts[input, default: 0] += 1 }
        }
        return counts
    }
}
