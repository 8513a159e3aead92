import Testing
import TensorBoard
import TestSupport

struct RunReaderHParamsTests {
    @Test func hparamsOfOurWriter() throws {
        let writer = try makeWriter()
        try writer.add(hparams: ["learning_rate": .number(0.01), "optimizer": .string("adam"), "nesterov": .bool(true)], metrics: ["loss"])
        try writer.add(scalar: 1, tag: "loss", step: 0)
        try writer.close()
        let run = try RunReader(path: writer.logDirectory)
        #expect(try run.hparams() == ["learning_rate": .number(0.01), "optimizer": .string("adam"), "nesterov": .bool(true)])
        #expect(try RunReader(path: ReaderFixtures.tensorFlow2).hparams() == nil)
    }
}
