import TFGraph
/// Fuses a bias add into the product before it. In `Add(MatMul(a, b), bias)` with `bias` a
/// vector of the product's width, when the product feeds nothing but that add, the pass
/// drops the product's step and runs the add as: each output row set to `bias`, then one
/// `cblas_sgemm` with `beta = 1` into it. No product buffer, no separate pass adding the
/// bias (the tutorial's three layers each do this, forward, every step and every
/// evaluation batch).
///
/// The sum is the same up to rounding: the bias is added before the product's terms
/// instead of after them.
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
            steps[index] = PlanStep(
                fusing: add, inputs: product.operation.inputs + [bias],
                into: FusedBiasProduct(add: add, product: product.operation))
            steps.remove(at: productIndex)
        }
        return steps
    }
}

/// `output = bias (each row) + op(a) x op(b)`: inputs `[a, b, bias]`.
struct FusedBiasProduct: FusedKernel {
    let add: GraphOperation
    let product: GraphOperation

    var absorbed: [GraphOperation] { [product] }

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
        let multiply = try MatMulKernel.product(product, a, b, into: output, alpha: { 1 }, beta: 1, context: context)
        let (rows, width) = (output.shape[0], output.shape[1])
        return {
            let target = output.floats
            let source = bias.floats
            for row in 0..<rows { (target + row * width).update(from: source, count: width) }
            try multiply()
        }
    }
}
