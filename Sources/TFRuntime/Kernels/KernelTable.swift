import TFGraph
/// Every kernel, by op type. Adding an op is a file in TFGraph (its type, shape rule and
/// gradient) and a kernel here. Op types without a kernel (`SaveV2` and `RestoreV2`, which
/// only TensorFlow runs after `import_meta_graph`) are an error when a plan needs them.
enum KernelTable {
    static let kernels: [String: any OpKernel.Type] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.opType, $0) })

    static let all: [any OpKernel.Type] = [
        // Values
        ConstKernel.self, PlaceholderKernel.self, PlaceholderWithDefaultKernel.self, IdentityKernel.self, NoOpKernel.self,
        // Variables and their updates
        VariableV2Kernel.self, AssignKernel.self, AssignAddKernel.self,
        ApplyGradientDescentKernel.self, ApplyMomentumKernel.self, ApplyAdamKernel.self,
        // Arithmetic
        AddKernel.self, SubKernel.self, MulKernel.self, RealDivKernel.self, AddNKernel.self, MatMulKernel.self,
        ReluKernel.self, ReluGradKernel.self, NegKernel.self, SquareKernel.self, ExpKernel.self, LogKernel.self,
        SigmoidKernel.self, SigmoidGradKernel.self, TanhKernel.self, TanhGradKernel.self,
        // Reductions, shapes, comparisons
        SumKernel.self, MeanKernel.self,
        ShapeKernel.self, SizeKernel.self, ReshapeKernel.self, FillKernel.self, BroadcastToKernel.self, CastKernel.self,
        InTopKKernel.self, ArgMaxKernel.self, EqualKernel.self,
        // Losses, randomness, summaries
        SparseSoftmaxCrossEntropyKernel.self, SoftmaxKernel.self, TruncatedNormalKernel.self,
        ScalarSummaryKernel.self, HistogramSummaryKernel.self, MergeSummaryKernel.self,
        // Collectives of a data-parallel job (TFDistributed)
        AllreduceMeanKernel.self,
        // The TensorBoard tutorial's ops (mnist-with-summaries)
        SqrtKernel.self, SqrtGradKernel.self, MaxKernel.self, MinKernel.self, RandomUniformKernel.self, FloorKernel.self,
        SoftmaxCrossEntropyKernel.self, ImageSummaryKernel.self,
    ]

    /// The kernel of `op`'s type.
    /// - Throws: `SessionError.unsupported` when the runtime has none.
    static func kernel(for op: GraphOperation) throws -> any OpKernel.Type {
        guard let kernel = kernels[op.type] else {
            throw SessionError.unsupported(op: op.name, what: "running an op of type \(op.type) (this runtime has no kernel for it)")
        }
        return kernel
    }
}
