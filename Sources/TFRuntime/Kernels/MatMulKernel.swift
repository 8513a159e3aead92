import TFGraph
/// The kernel of `MatMul`: one `cblas_sgemm` with transpose flags instead of transposed
/// copies, split across two cores when the session does that (`MatrixProducts`).
enum MatMulKernel: OpKernel {
    static let opType = MatMulOp.type

    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        try product(op, inputs[0], inputs[1], into: outputs[0], alpha: { 1 }, beta: 0, context: context)
    }

    /// `c = alpha() * op(a) x op(b) + beta * c` for `op`'s transpose flags (also what the
    /// fusions run: with `beta = 1` to add a product into a variable, with `finish` to add a
    /// bias to each block of `c` on the core that computed it).
    /// - Throws: `SessionError.shapeMismatch` for a dimension BLAS's 32-bit sizes cannot hold.
    static func product(
        _ op: GraphOperation, _ a: TensorBuffer, _ b: TensorBuffer, into c: TensorBuffer, alpha: @escaping () -> Float,
        beta: Float, context: KernelContext, finishing finish: ((OutputBlock) -> Void)? = nil
    ) throws -> Kernel {
        guard (a.shape + b.shape).allSatisfy({ $0 <= Int(Int32.max) }) else {
            throw SessionError.shapeMismatch(
                op: op.name, reason: "a dimension of \(a.shape) x \(b.shape) exceeds 2^31-1, the largest BLAS multiplies")
        }
        let transposeA = op.attributes["transpose_a"]?.bool ?? false
        let transposeB = op.attributes["transpose_b"]?.bool ?? false
        let (m, k, _, n) = MatMulOp.dimensions(op, a.shape, b.shape)
        let lda = a.shape[1]
        let ldb = b.shape[1]
        let products = context.products
        return {
            let call = GEMMCall(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha(),
                a: a.floats, lda: lda, b: b.floats, ldb: ldb, beta: beta, c: c.floats, ldc: n)
            products.run(call, finishing: finish)
        }
    }
}
