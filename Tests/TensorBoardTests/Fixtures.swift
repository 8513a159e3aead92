import TensorBoard
import TestSupport

/// A fixed clock, host and pid, so file names and wall times are predictable.
let fixedEnvironment = WriterEnvironment(clock: { 1_700_000_000.0 }, hostName: "testhost", processID: 42)

/// A writer in a fresh temporary directory.
func makeWriter(flushInterval: Double = 2, queueCapacity: Int = 65_536) throws -> SummaryWriter {
    try SummaryWriter(
        logDirectory: makeTemporaryDirectory("writer"), flushInterval: flushInterval,
        queueCapacity: queueCapacity, environment: fixedEnvironment)
}

/// Every event in the writer's file, after the file_version record.
func summaryEvents(of writer: SummaryWriter) throws -> [EventRecord] {
    Array(try EventFileReader(path: writer.filePath).readAll().dropFirst())
}
