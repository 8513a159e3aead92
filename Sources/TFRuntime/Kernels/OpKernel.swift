import TFGraph
/// How the runtime computes one op type: one enum per op type, keyed by the graph layer's
/// type name (`opType`) in `KernelTable`. A kernel is compiled once per plan, bound to its
/// buffers, and run every step.
protocol OpKernel: Sendable {
    /// The op type this kernel computes (`MatMulOp.type`, ...).
    static var opType: String { get }

    /// Where the op's outputs live. Most ops get fresh buffers of the shapes their shape
    /// rule gives.
    static func outputStorage(of op: GraphOperation) -> OutputStorage

    /// Whether the output follows from the input shapes alone (`Shape`, `Size`), so a plan
    /// computes it when compiled, whatever the inputs' values.
    static var readsOnlyShapes: Bool { get }

    /// The computation bound to `inputs` and `outputs`; nil when there is nothing to do at
    /// run time (the output was written here, when the plan was compiled).
    /// - Throws: `SessionError` when the buffers' shapes do not fit the op.
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
}

extension OpKernel {
    static func outputStorage(of op: GraphOperation) -> OutputStorage { .allocated }
    static var readsOnlyShapes: Bool { false }
}

/// Where an op's outputs live during a plan.
enum OutputStorage: Equatable {
    /// Buffers of their own, allocated when the plan is compiled.
    case allocated
    /// The session's storage of the variable the op is (`VariableV2`).
    case variable
    /// The buffer of input `index`: ops that update a variable in place, and reads of a
    /// variable (`name/read`), alias it instead of copying.
    case aliasesInput(Int)
    /// Only a fed value: an op of this type that the fetches need unfed is an error.
    case fedOnly
}

/// A compiled computation step: reads its input buffers, writes its output buffers.
typealias Kernel = () throws -> Void

/// What kernels may need beyond their buffers: the session's way to run matrix products
/// (and its helper thread, for other work split in halves), and the collective of the
/// data-parallel job the session is part of (nil outside one). A class: the session
/// attaches its collective after the plans' kernels may have been bound, and they read it
/// when they run.
final class KernelContext {
    let products: MatrixProducts
    var collective: (any Collective)?

    init(products: MatrixProducts) {
        self.products = products
    }

    /// Runs `body(0)` and `body(1)` (disjoint work) on the caller and the session's helper
    /// thread at once, or one after the other when the session has none.
    func runInHalves(_ body: (_ half: Int) -> Void) {
        guard let helper = products.helper else {
            body(0)
            body(1)
            return
        }
        helper.runHalves(body)
    }
}
