/// Evaluation ops: `InTopKV2`, `ArgMax`, `Equal`.

enum InTopKOp: OpDefinition {
    static let type = "InTopKV2"
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] {
        guard inputShapes[0].count == 2, inputShapes[1] == [inputShapes[0][0]] else {
            throw SessionError.shapeMismatch(op.name, "predictions \(inputShapes[0]) and targets \(inputShapes[1]) do not match")
        }
        return [inputShapes[1]]
    }
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (predictions, targets, kInput, output) = (inputs[0], inputs[1], inputs[2], outputs[0])
        let (batch, classes) = (predictions.shape[0], predictions.shape[1])
        let name = op.name
        return {
            let k = kInput.integer(at: 0)
            for row in 0..<batch {
                let target = targets.integer(at: row)
                guard target >= 0 && target < classes else { throw SessionError.labelOutOfRange(name, target, classes) }
                let p = predictions.floats + row * classes
                let value = p[target]
                guard value.isFinite else {
                    output.bools[row] = false
                    continue
                }
                var greater = 0
                for j in 0..<classes where p[j] > value { greater += 1 }
                output.bools[row] = greater < k
            }
        }
    }
}

enum ArgMaxOp: OpDefinition {
    static let type = "ArgMax"
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] {
        guard inputShapes[0].count == 2 else { throw SessionError.unsupported(op.name, "argMax over a rank other than 2") }
        return [[inputShapes[0][0]]]
    }
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (input, output) = (inputs[0], outputs[0])
        let (rows, columns) = (input.shape[0], input.shape[1])
        return {
            for row in 0..<rows {
                let x = input.floats + row * columns
                var best = 0
                for j in 1..<max(columns, 1) where x[j] > x[best] { best = j }
                output.int64s[row] = Int64(best)
            }
        }
    }
}

enum EqualOp: OpDefinition {
    static let type = "Equal"
    static func outputShapes(_ op: Operation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws -> [[Int]] {
        guard inputShapes[0] == inputShapes[1] else {
            throw SessionError.shapeMismatch(op.name, "equal needs equal shapes, got \(inputShapes[0]) and \(inputShapes[1])")
        }
        return [inputShapes[0]]
    }
    static func makeKernel(_ op: Operation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (a, b, output) = (inputs[0], inputs[1], outputs[0])
        let count = output.count
        if a.dtype == .float32 {
            return { for i in 0..<count { output.bools[i] = a.floats[i] == b.floats[i] } }
        }
        return { for i in 0..<count { output.bools[i] = a.integer(at: i) == b.integer(at: i) } }
    }
}

extension Graph {
    /// Whether each target class is among the `k` largest predictions of its row (ties
    /// count as in; a non-finite prediction is never in).
    public func inTopK(predictions: some OutputConvertible, targets: some OutputConvertible, k: Int, name: String = "in_top_k/InTopKV2") throws -> Output {
        let (predictions, targets) = (predictions.output, targets.output)
        guard predictions.dtype == .float32, predictions.shape.rank == 2, targets.shape.rank == 1,
            targets.dtype == .int32 || targets.dtype == .int64
        else {
            throw GraphError.invalidArgument("inTopK needs float32 predictions [batch, classes] and int targets [batch]")
        }
        let kConstant = constant(Tensor(int32s: [Int32(k)], shape: []), name: "in_top_k/InTopKV2/k")
        return addOperation(
            InTopKOp.self, name: name, inputs: [predictions, targets, kConstant], attributes: ["T": .type(targets.dtype)],
            outputTypes: [.bool], outputShapes: [targets.shape]
        ).output
    }

    /// The index of the largest value of each row, as int64.
    public func argMax(_ x: some OutputConvertible, name: String = "ArgMax") throws -> Output {
        let x = x.output
        guard x.dtype == .float32, x.shape.rank == 2 else {
            throw GraphError.invalidArgument("argMax needs a rank-2 float32 tensor, got \(x)")
        }
        let axis = constant(Tensor(int32s: [1], shape: []), name: "ArgMax/dimension")
        return addOperation(
            ArgMaxOp.self, name: name, inputs: [x, axis],
            attributes: ["T": .type(.float32), "Tidx": .type(.int32), "output_type": .type(.int64)],
            outputTypes: [.int64], outputShapes: [TensorShape([x.shape.dimensions[0]])]
        ).output
    }

    /// Elementwise equality of two tensors of one shape and type.
    public func equal(_ a: some OutputConvertible, _ b: some OutputConvertible, name: String = "Equal") throws -> Output {
        let (a, b) = (a.output, b.output)
        guard a.dtype == b.dtype else { throw GraphError.invalidArgument("equal: types \(a.dtype) and \(b.dtype) differ") }
        return addOperation(
            EqualOp.self, name: name, inputs: [a, b], attributes: ["T": .type(a.dtype)],
            outputTypes: [.bool], outputShapes: [a.shape]
        ).output
    }
}
