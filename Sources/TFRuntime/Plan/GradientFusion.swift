import TFGraph
/// Fuses a weight gradient into its update. In `ApplyGradientDescent(var, alpha,
/// MatMul(a, b))`, when the product feeds nothing but that update and reads no variable,
/// the pass drops the product's step and runs the update as one `cblas_sgemm` with
/// `alpha = -alpha` and `beta = 1` straight into the variable: no gradient buffer, no pass
/// zeroing it, no separate axpy pass (for the tutorial's 784x128 first layer, 400 KB
/// neither written nor re-read per step).
///
/// The update still runs at its own place in the plan, so every op before it sees the old
/// value, as without fusion.
struct GradientFusion: PlanPass {
    func rewrite(_ steps: [PlanStep], kept: Set<Output>) -> [PlanStep] {
        let readers = readerCounts(steps)
        var steps = steps
        var index = 0
        while index < steps.count {
            let update = steps[index].operation
            guard steps[index].isKernel(of: ApplyGradientDescentOp.type) else {
                index += 1
                continue
            }
            let delta = update.inputs[2]
            let product = delta.operation
            guard readers[delta] == 1, !kept.contains(delta), !product.inputs.contains(where: readsVariable),
                let productIndex = steps.firstIndex(where: { $0.operation === product && $0.isKernel(of: MatMulOp.type) })
            else {
                index += 1
                continue
            }
            steps[index] = PlanStep(
                fusing: update, inputs: [update.inputs[0], update.inputs[1]] + product.inputs,
                into: FusedGradientUpdate(update: update, product: product))
            // The product came before the update, which moves back one place: `index` then
            // points at the step after it.
            steps.remove(at: productIndex)
        }
        return steps
    }
}

/// `variable += -alpha * op(a) x op(b)`: inputs `[variable, alpha, a, b]`.
struct FusedGradientUpdate: FusedKernel {
    let update: GraphOperation
    let product: GraphOperation

    var absorbed: [GraphOperation] { [product] }

    var outputStorage: OutputStorage { .aliasesInput(0) }

    func outputShapes(_ inputShapes: [[Int]]) throws -> [[Int]] { [inputShapes[0]] }

    func makeKernel(_ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext) throws -> Kernel {
        let (variable, alpha, a, b) = (inputs[0], inputs[1], inputs[2], inputs[3])
        let shape = try MatMulOp.outputShapes(product, [a.shape, b.shape], [])[0]
        guard shape == variable.shape else {
            throw SessionError.shapeMismatch(op: update.name, reason: "gradient \(shape) does not match variable \(variable.shape)")
        }
        return try MatMulKernel.product(product, a, b, into: variable, alpha: { -alpha.floats[0] }, beta: 1, context: context)
    }
}
