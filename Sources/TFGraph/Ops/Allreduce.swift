/// `AllreduceMean(g_0, ..., g_{n-1})`: each output is its input averaged over every process
/// of a data-parallel job: the runtime packs all inputs into one buffer, sums it across
/// processes in one collective call, and scales by 1 / the number of processes. In a
/// process that is not part of a job the runtime has no collective and fails the run.
///
/// TensorFlow has no op of this type (Horovod's `HorovodAllreduce` is its counterpart), so a
/// graph holding it imports into TensorFlow only where such an op is registered; the
/// variables it trains are ordinary checkpoint tensors.
package enum AllreduceMeanOp: OpDefinition {
    package static let type = "AllreduceMean"
    /// It communicates: never folded, never computed twice.
    package static var isStateful: Bool { true }

    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError)
        -> [[Int]]
    {
        inputShapes
    }
}

extension Graph {
    /// One `AllreduceMean` op averaging all of `tensors` (float32) across the processes of
    /// a data-parallel job, in one fused collective call. Returns the averaged tensors, in
    /// order.
    /// - Throws: `GraphError.invalidArgument` when `tensors` is empty or one is not float32.
    package func allreduceMean(_ tensors: [Output], name: String = "AllreduceMean") throws -> [Output] {
        guard !tensors.isEmpty else { throw GraphError.invalidArgument("allreduceMean: no tensors to average") }
        for tensor in tensors where tensor.dtype != .float32 {
            throw GraphError.invalidArgument("allreduceMean: \(tensor.name) is \(tensor.dtype); only float32 tensors are averaged")
        }
        let op = try addOperation(
            AllreduceMeanOp.self, name: name, inputs: tensors,
            attributes: ["T": .type(.float32), "N": .int(tensors.count)],
            outputTypes: tensors.map(\.dtype), outputShapes: tensors.map(\.shape))
        return op.outputs
    }
}
