import TFGraph

/// Wraps any optimizer for data-parallel training: after each step's gradients, one
/// `AllreduceMean` op (under the `DistributedAllreduce` name scope, so TensorBoard's graph
/// shows it) averages all of them across the job's ranks in one fused buffer, then `base`
/// applies the averages. Every rank then makes the same update, and replicas that start
/// equal (`ProcessGroup.broadcastVariables`) stay equal.
///
/// The average of the ranks' gradients is the gradient of the global batch (ranks x batch
/// per rank) when the loss is a mean over the batch; the learning rate is not scaled.
/// A session running the train op must be attached to a `ProcessGroup`.
public struct DistributedOptimizer<Base: Optimizer> {
    public let base: Base

    public init(_ base: Base) {
        self.base = base
    }

    /// `base.minimize`, with the gradients averaged across ranks before the updates.
    /// - Throws: `GraphError` when the loss is not a float32 scalar or nothing is trainable,
    ///   or the loss, a variable or `globalStep` belongs to another graph or to one that is gone.
    public func minimize(_ loss: Output, globalStep: Variable? = nil, variables: [Variable]? = nil) throws -> GraphOperation {
        try applyGradients(base.computeGradients(loss, variables: variables), globalStep: globalStep)
    }

    /// Averages the gradients of `pairs` across ranks (one op), then `base.applyGradients`.
    /// - Throws: `GraphError` when there are no gradients or one is not float32, or a
    ///   gradient belongs to another graph or to one that is gone.
    public func applyGradients(_ pairs: [(Variable, Output)], globalStep: Variable? = nil) throws -> GraphOperation {
        guard let first = pairs.first?.1 else { throw GraphError.invalidArgument("applyGradients: no gradients") }
        guard let graph = first.graph else { throw GraphError.deallocatedGraph(tensor: first.name) }
        let averaged = try graph.withNameScope("DistributedAllreduce") {
            try graph.allreduceMean(pairs.map(\.1))
        }
        return try base.applyGradients(zip(pairs.map(\.0), averaged).map { ($0, $1) }, globalStep: globalStep)
    }
}
