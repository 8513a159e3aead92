import ArgumentParser
import Foundation
import Mechanics101

/// The memory a model shape needs, checked against the machine before anything is
/// allocated, so a typo like `--hidden1 100000000` is a message, not an allocation failure.
struct ModelSize {
    var hidden1: Int
    var hidden2: Int
    var batchSize: Int

    /// A lower bound on the bytes training needs: each weight held as a value and a
    /// gradient plus one working copy, and each example's activations in the forward and
    /// backward passes (input, both hidden layers, logits) four times over. Nil when the
    /// count overflows (then it certainly does not fit).
    var bytesNeeded: Int? {
        let pixels = MNISTModel.imagePixels
        let classes = MNISTModel.numClasses
        guard let weights = sum([product([pixels, hidden1]), hidden1, product([hidden1, hidden2]), hidden2,
                                 product([hidden2, classes]), classes]),
              let widths = sum([pixels, hidden1, hidden2, classes]),
              let activations = product([4, batchSize, widths]),
              let floats = sum([product([3, weights]), activations])
        else { return nil }
        return product([floats, MemoryLayout<Float>.size])
    }

    /// - Throws: `ValidationError` naming the flags when the shape cannot fit in memory.
    func checkFitsInMemory(physicalMemory: Int = ModelSize.physicalMemory) throws {
        let needed = bytesNeeded
        guard let needed, needed <= physicalMemory else {
            let amount = needed.map { "at least \(Self.gibibytes($0))" } ?? "more than any machine has"
            throw ValidationError("""
                --hidden1 \(hidden1) --hidden2 \(hidden2) --batch-size \(batchSize) needs \(amount) of memory \
                (weights, gradients and activations), but this machine has \(Self.gibibytes(physicalMemory)); \
                choose smaller --hidden1, --hidden2 or --batch-size
                """)
        }
    }

    /// The machine's physical memory in bytes.
    static var physicalMemory: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return Int.max }
        return product([pages, size]) ?? Int.max
    }

    static func gibibytes(_ bytes: Int) -> String {
        String(format: "%.1f GiB", Double(bytes) / Double(1 << 30))
    }

    private func sum(_ terms: [Int?]) -> Int? {
        var total = 0
        for term in terms {
            guard let term else { return nil }
            let (result, overflow) = total.addingReportingOverflow(term)
            guard !overflow else { return nil }
            total = result
        }
        return total
    }
}

/// The product of `factors`, or nil on overflow or a missing factor.
private func product(_ factors: [Int?]) -> Int? {
    var total = 1
    for factor in factors {
        guard let factor else { return nil }
        let (result, overflow) = total.multipliedReportingOverflow(by: factor)
        guard !overflow else { return nil }
        total = result
    }
    return total
}
