import TFGraph
/// Fuses a bias add, and the `Relu` after it, into the product before it. In
/// `Add(MatMul(a, b), bias)` with `bias` a vector of the product's width, when the product
/// feeds nothing but that add, the pass drops the product's step and runs the add as one
/// `cblas_sgemm` whose output blocks each get the bias added right after they are computed,
/// on the core that computed them (a product split over two cores adds the bias to each
/// half on its own core). When the sum in turn feeds nothing but a `Relu`, the relu is
/// applied in the same pass and the add's step goes too. No product buffer, no pass re-reading
/// an output the other core wrote (the tutorial's three layers each do this, forward, every
/// step and every evaluation batch).
///
/// The values are the unfused ops' to the bit: the product, then the bias added to it, then
/// the relu, each rounded as the separate kernels round.
struct BiasFusion: PlanPass {
    func rewrite(_ steps: [PlanStep], kept: Set<Output>) -> [PlanStep] {
        let readers = readerCounts(steps)
        var steps = steps
        var index = 0
        while index < steps.count {
            let add = steps[index].operation
            guard steps[index].isKernel(of: AddOp.type) else {
                index += 1
                continue
            }
            let product = add.inputs[0]
            let bias = add.inputs[1]
            guard readers[product] == 1, !kept.contains(product),
                let width = product.shape.dimensions.last ?? nil,
                bias.shape.rank == 1, bias.shape.dimensions[0] == width,
                let productIndex = steps.firstIndex(where: {
                    $0.operation === product.operation && $0.isKernel(of: MatMulOp.type)
                }),
                // The product now reads its inputs at the add's place: nothing in between may
                // change a variable.
                !steps[(productIndex + 1)..<index].contains(where: \.updatesVariable)
            else {
                index += 1
                continue
            }
            let inputs = product.operation.inputs + [bias]
            let sum = add.firstOutput
            if readers[sum] == 1, !kept.contains(sum),
                let reluIndex = steps.firstIndex(where: { $0.isKernel(of: ReluOp.type) && $0.operation.inputs[0] == sum }),
                !steps[(index + 1)..<reluIndex].contains(where: \.updatesVariable)
            {
                let relu = steps[reluIndex].operation
                steps[reluIndex] = PlanStep(
                    fusing: relu, inputs: inputs, into: FusedBiasProduct(add: add, product: product.operation, relu: relu))
                // The add's step goes too: the step after it moves to `index`.
                steps.remove(at: index)
                index -= 1
            } else {
                steps[index] = PlanStep(
                    fusing: add, inputs: inputs, into: FusedBiasProduct(add: add, product: product.operation, relu: nil))
            }
            // The product came before the add: `index` then points at the step after the add.
            steps.remove(at: productIndex)
        }
        return steps
    }
}

/// `output = op(a) x op(b) + bias (each row)`, then `Relu` when `relu` is set: inputs
/// `[a, b, bias]`.
struct FusedBiasProduct: FusedKernel {
    let add: GraphOperation
    let product: GraphOperation
    /// The `Relu` of the sum, computed in the same pass, or nil.
    let relu: GraphOperation?

    var absorbed: [GraphOperation] { relu == nil ? [product] : [product, add] }

    var outputStorage: OutputStorage { .allocated }

    func outputShapes(_ inputShapes: [[Int]]) throws -> [[Int]] {
        let shape = try MatMulOp.outputShapes(product, [inputShapes[0], inputShapes[1]], [])[0]
        guard inputShapes[2] == [shape[1]] else {
            throw SessionError.shapeMismatch(op: add.name, reason: "bias \(inputShapes[2]) does not match the product's \(shape)")
        }
        return [shape]
    }

    func makeKernel(_ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext) throws -> Kernel {
        let (a, b, bias, output) = (inputs[0], inputs[1], inputs[2], outputs[0])
        let finish: (OutputBlock) -> Void =
            relu == nil
            ? { Self.addBias(bias.floats, to: $0) { $0 } }
            : { Self.addBias(bias.floats, to: $0, then: ReluKernel.apply) }
        return try MatMulKernel.product(product, a, b, into: output, alpha: { 1 }, beta: 0, context: context, finishing: finish)
    }

    /// Adds the bias to each row of `block` (as `AddKernel` does), then applies `activation`.
    @inline(__always)
    private static func addBias(
        _ bias: UnsafeMutablePointer<Float>, to block: OutputBlock, then activation: (Float) -> Float
    ) {
        let source = bias + block.firstColumn
        for row in 0..<block.rows {
            let target = block.c + row * block.ldc
            for j in 0..<block.columns { target[j] = activation(AddKernel.apply(target[j], source[j])) }
        }
    }
}
