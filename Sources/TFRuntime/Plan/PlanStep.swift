import TFGraph
/// One step of a plan before buffers exist: an op computed by its kernel, or several ops
/// computed by one fused kernel that a pass put in their place.
struct PlanStep {
    /// The op whose outputs the step produces, at whose place in the order it runs.
    let operation: GraphOperation
    /// The values the step reads (for a fused step, the inputs of every op it computes).
    let inputs: [Output]
    let computation: Computation

    enum Computation {
        case kernel(any OpKernel.Type)
        case fused(any FusedKernel)
    }

    /// The op computed by its own kernel.
    init(_ operation: GraphOperation) throws {
        self.operation = operation
        inputs = operation.inputs
        computation = .kernel(try KernelTable.kernel(for: operation))
    }

    /// `operation` and the ops feeding it, computed by `fused`.
    init(fusing operation: GraphOperation, inputs: [Output], into fused: any FusedKernel) {
        self.operation = operation
        self.inputs = inputs
        computation = .fused(fused)
    }

    /// Whether the step writes a variable (read as input 0).
    var updatesVariable: Bool { operation.definition.updatesVariable }

    /// Whether the step is `type` computed by its own kernel.
    func isKernel(of type: String) -> Bool {
        if case .kernel = computation { return operation.type == type }
        return false
    }
}

/// A kernel computing several ops of a plan as one (`GradientFusion`, `BiasFusion`).
protocol FusedKernel {
    /// Where the outputs live (the fused op's own rule).
    var outputStorage: OutputStorage { get }

    /// The ops computed inside the step besides the one it is attributed to (a trace
    /// names them).
    var absorbed: [GraphOperation] { get }

    /// The outputs' shapes for the step's input shapes.
    func outputShapes(_ inputShapes: [[Int]]) throws -> [[Int]]

    /// The computation bound to the step's buffers.
    func makeKernel(_ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext) throws -> Kernel
}

/// A rewrite of a plan's steps before buffers are allocated.
protocol PlanPass: Sendable {
    /// `steps` rewritten; `kept` are outputs the caller fetches or feeds, which must stay
    /// materialized.
    func rewrite(_ steps: [PlanStep], kept: Set<Output>) -> [PlanStep]
}

extension PlanPass {
    /// How many steps read each output: a product is fusable only when its consumer is
    /// its one reader.
    func readerCounts(_ steps: [PlanStep]) -> [Output: Int] {
        var counts: [Output: Int] = [:]
        for step in steps {
            for input in step.inputs { counts[input, default: 0] += 1 }
        }
        return counts
    }

    /// Whether `output` is a variable's value (directly or through an aliasing Identity),
    /// which an update earlier in the plan could change.
    func readsVariable(_ output: Output) -> Bool {
        let op = output.operation
        if op.type == VariableV2Op.type || op.definition.updatesVariable { return true }
        return op.type == IdentityOp.type && readsVariable(op.inputs[0])
    }
}
