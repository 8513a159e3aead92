import Foundation
import Testing
@testable import TensorBoard
import TFProtos

/// PR curves against counts worked out by hand, and the pr_curves plugin's tensor layout.
struct PRCurveTests {
    @Test func countsMatchAWorkedExample() throws {
        // 3 thresholds (0, 0.5, 1): buckets floor(p * 2) = 0, 1, 2, 1.
        let curve = try PRCurve(labels: [false, true, true, false], predictions: [0.1, 0.6, 1, 0.5], thresholdCount: 3)
        #expect(curve.truePositives == [2, 2, 1])
        #expect(curve.falsePositives == [2, 1, 0])
        #expect(curve.trueNegatives == [0, 1, 2])
        #expect(curve.falseNegatives == [0, 0, 1])
        #expect(curve.precision == [0.5, Float(2.0 / 3), 1])
        #expect(curve.recall == [1, 1, 0.5])
    }

    @Test func weightsScaleEachExample() throws {
        // Thresholds 0 and 1: both predictions fall below 1.
        let curve = try PRCurve(labels: [true, false], predictions: [0.9, 0.9], weights: [3, 1], thresholdCount: 2)
        #expect(curve.truePositives == [3, 0] && curve.falsePositives == [1, 0] && curve.precision == [0.75, 0])
        #expect(curve.falseNegatives == [0, 3] && curve.recall == [1, 0])
    }

    @Test func badInputIsNamed() {
        func message(_ make: () throws -> PRCurve) -> String {
            do { _ = try make(); return "" } catch { return "\(error)" }
        }
        #expect(message { try PRCurve(labels: [true], predictions: [1.5]) }.contains("prediction 0 is 1.5"))
        #expect(message { try PRCurve(labels: [true], predictions: [.nan]) }.contains("prediction 0 is nan"))
        #expect(message { try PRCurve(labels: [true], predictions: [0.5], thresholdCount: 1) }.contains("2...1048576"))
        #expect(message { try PRCurve(labels: [], predictions: []) }.contains("at least one example"))
        #expect(message {
            try PRCurve(truePositives: [1, 1], falsePositives: [1], trueNegatives: [1, 1], falseNegatives: [1, 1],
                        precision: [1, 1], recall: [1, 1])
        }.contains("falsePositives 1"))
    }

    @Test func theTensorIsSixRowsOfThresholdsWithTheirCountInTheMetadata() throws {
        let writer = try makeWriter()
        let curve = try PRCurve(labels: [true, false, true], predictions: [0.2, 0.4, 0.9], thresholdCount: 5)
        try writer.add(prCurve: curve, tag: "pr", step: 2)
        try writer.close()
        let value = try #require(try summaryEvents(of: writer).first?.event().summary.value.first)
        #expect(value.metadata.pluginData.pluginName == "pr_curves")
        #expect(try Tensorboard_PrCurvePluginData(serializedBytes: [UInt8](value.metadata.pluginData.content)).numThresholds == 5)
        #expect(value.tensor.dtype == .dtFloat && value.tensor.tensorShape.dim.map(\.size) == [6, 5])
        let bytes = [UInt8](value.tensor.tensorContent)
        let floats = stride(from: 0, to: bytes.count, by: 4).map { offset in
            Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) })
        }
        #expect(floats == curve.truePositives + curve.falsePositives + curve.trueNegatives + curve.falseNegatives
            + curve.precision + curve.recall)
    }
}
