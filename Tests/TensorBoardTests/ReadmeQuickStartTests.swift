import Testing
import TensorBoard
import TestSupport

/// The README's library quick start, verbatim apart from the directory, so it compiles.
struct ReadmeQuickStartTests {
    @Test func quickStartRunsAndValidates() throws {
        let logDirectory = makeTemporaryDirectory("readme") + "/exp1"

        // --- README quick start ---
        let writer = try SummaryWriter(logDirectory: logDirectory)
        for step in 0..<100 {
            try writer.add(scalar: 1.0 / Float(step + 1), tag: "loss", step: step)
        }
        try writer.add(histogram: [0.1, 0.5, 0.5, 0.9], tag: "weights", step: 99)
        try writer.add(text: "**hello** from Swift", tag: "notes", step: 0)
        try writer.add(image: SummaryImage(pixels: [0, 128, 255, 64], width: 2, height: 2, channels: 1),
                       tag: "digits", step: 0)
        try writer.add(hparams: ["learning_rate": .number(0.01)], metrics: ["loss"])
        try writer.close()
        // --- end ---

        let report = EventFileValidator.validate(file: writer.filePath)
        #expect(report.isClean)
        #expect(report.records == 1 + 100 + 3 + 1 + 1)
    }
}
