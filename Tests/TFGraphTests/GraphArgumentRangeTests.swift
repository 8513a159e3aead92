import Testing
import TFCore

/// Sizes a graph stores as int32 constants are checked where the user gives them: a value
/// past Int32 is a thrown error naming the argument, never a trapping conversion.
struct GraphArgumentRangeTests {
    @Test func sizesBeyondInt32AreErrors() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [2, 3], name: "x")
        let labels = g.placeholder(.int32, shape: [2], name: "labels")
        let tooLarge = Int(Int32.max) + 1
        #expect(throws: GraphError.self) { try g.truncatedNormal([2, tooLarge]) }
        #expect(throws: GraphError.self) { try g.truncatedNormal([-1, 3]) }
        #expect(throws: GraphError.self) { try g.inTopK(predictions: x, targets: labels, k: tooLarge) }
        #expect(throws: GraphError.self) { try g.inTopK(predictions: x, targets: labels, k: -1) }
        #expect(throws: GraphError.self) { try g.reshape(x, to: [-1, tooLarge]) }
        // In range, the same calls build.
        _ = try g.truncatedNormal([2, 3])
        _ = try g.inTopK(predictions: x, targets: labels, k: 1)
        _ = try g.reshape(x, to: [3, -1])
    }
}
