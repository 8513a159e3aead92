import TFProtos

extension SummaryWriter {
    /// Adds text, rendered as Markdown by TensorBoard's text dashboard (plugin `text`; the
    /// value is a rank-0 string tensor). Empty text is written as is (an empty entry).
    /// - Throws: `SummaryWriterError.invalidArgument` for an empty tag or a non-finite wall time.
    public func add(text: String, tag: String, step: Int, wallTime: Double? = nil) throws {
        var value = Tensorflow_Summary.Value()
        value.tag = tag
        value.metadata = PluginMetadata.make(plugin: "text")
        value.tensor = TensorProtos.strings([Array(text.utf8)], shape: [])
        var summary = Tensorflow_Summary()
        summary.value = [value]
        try add(summary: summary, step: step, wallTime: wallTime)
    }
}
