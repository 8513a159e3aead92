import Testing
import TensorBoard
import TestSupport

struct RunReaderTextTests {
    @Test func ourTextRoundTrips() throws {
        let writer = try makeWriter()
        try writer.add(text: "**hello** from Swift", tag: "notes", step: 0)
        try writer.add(text: "ünïcode", tag: "notes", step: 1)
        try writer.close()
        let texts = try RunReader(path: writer.logDirectory).texts(tag: "notes")
        #expect(texts.map(\.text) == ["**hello** from Swift", "ünïcode"])
        #expect(texts.map(\.step) == [0, 1])
        #expect(texts.allSatisfy { $0.shape == [] })
    }

    /// `tf.summary.text` of a string and of a 2x2 array; tensorboardX's `add_text` (a
    /// one-element vector, tag suffixed `/text_summary`).
    @Test func tensorFlow2AndTensorboardX() throws {
        let run = try RunReader(path: ReaderFixtures.tensorFlow2)
        #expect(try run.texts(tag: "notes") == [TextEvent(step: 0, wallTime: try run.texts(tag: "notes")[0].wallTime, strings: ["hello *world*"])])
        let table = try run.texts(tag: "table")
        #expect(table.map(\.step) == [1])
        #expect(table.first?.strings == ["a", "b", "c", "d"])
        #expect(table.first?.shape == [2, 2])

        let tensorboardX = try RunReader(path: ReaderFixtures.tensorboardX).texts(tag: "notes/text_summary")
        #expect(tensorboardX.map(\.text) == ["hello from tensorboardX"])
        #expect(tensorboardX.map(\.step) == [2])
        #expect(tensorboardX.first?.shape == [1])
    }
}
