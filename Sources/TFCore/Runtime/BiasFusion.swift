/// Plan-time fusion of a bias add into the product before it. In `Add(MatMul(a, b), bias)`
/// with `bias` a vector of the product's width, when the product feeds nothing but that add,
/// the plan skips the product and runs the add as: each output row set to `bias`, then one
/// `cblas_sgemm` with `beta = 1` into it. No product buffer, no separate pass adding the
/// bias (the tutorial's three layers each do this, forward, every step and every
/// evaluation batch).
///
/// The sum is the same up to rounding: the bias is added before the product's terms
/// instead of after them.
struct BiasFusion: ProductFusion {
    /// Products computed inside the add that consumes them.
    private(set) var fusedProducts: Set<Output> = []

    /// Finds the fusable products among `ordered`, the ops of a plan; `kept` are outputs the
    /// caller fetches or feeds, which must stay materialized.
    init(ordered: [Operation], kept: Set<Output>) {
        let consumers = Self.readerCounts(ordered)
        var position: [ObjectIdentifier: Int] = [:]
        for (index, op) in ordered.enumerated() { position[ObjectIdentifier(op)] = index }
        for (index, op) in ordered.enumerated() where op.definition is AddOp.Type {
            let product = op.inputs[0]
            guard product.operation.definition is MatMulOp.Type, consumers[product] == 1, !kept.contains(product),
                let width = product.shape.dimensions.last ?? nil,
                op.inputs[1].shape.rank == 1, op.inputs[1].shape.dimensions[0] == width,
                let productIndex = position[ObjectIdentifier(product.operation)]
            else { continue }
            // The product now reads its inputs at the add's place: nothing in between may
            // change a variable.
            let between = ordered[(productIndex + 1)..<index]
            guard !between.contains(where: { $0.definition is any VariableUpdateOp.Type }) else { continue }
            fusedProducts.insert(product)
        }
    }

    /// The fused kernel for `add` when its product was fused, else nil.
    func kernel(for add: Operation, _ buffers: [Output: TensorBuffer], _ context: KernelContext) throws -> Kernel? {
        guard add.definition is AddOp.Type, fusedProducts.contains(add.inputs[0]) else { return nil }
        let product = add.inputs[0].operation
        guard let a = buffers[product.inputs[0]], let b = buffers[product.inputs[1]], let bias = buffers[add.inputs[1]],
            let output = buffers[Output(add, 0)]
        else { return nil }
        let shape = try MatMulOp.outputShapes(product, [a.shape, b.shape], [])[0]
        guard bias.shape == [shape[1]], output.shape == shape else {
            throw SessionError.shapeMismatch(add.name, "bias \(bias.shape) does not match the product's \(shape)")
        }
        let multiply = MatMulOp.kernel(product, a, b, into: output, alpha: { 1 }, beta: 1, split: context.session.splitsLargeProducts)
        let (rows, width) = (shape[0], shape[1])
        return {
            let target = output.floats
            let source = bias.floats
            for row in 0..<rows { (target + row * width).update(from: source, count: width) }
            try multiply()
        }
    }
}
