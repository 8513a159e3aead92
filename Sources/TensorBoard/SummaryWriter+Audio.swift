import TFProtos

extension SummaryWriter {
    /// Adds an audio clip, played by TensorBoard's Audio dashboard (plugin `audio`, WAV
    /// encoding; the value is a `[1, 2]` string tensor `[[wav, label]]`, as TensorFlow 2's
    /// `tf.summary.audio` writes it).
    ///
    /// - Parameters:
    ///   - samples: float samples in [-1, 1], channels interleaved (`[l0, r0, l1, r1, ...]`
    ///     for stereo), 16-bit PCM in the file (see `WAVEncoder`); finite values outside
    ///     [-1, 1] clamp.
    ///   - sampleRate: frames per second, e.g. 16000 or 44100.
    ///   - channels: 1 (mono), 2 (stereo), ...
    ///   - label: a text shown with the clip (Markdown), may be empty.
    ///   - tag: the series name, non-empty.
    /// - Throws: `WAVEncoder.Error` for a NaN or infinite sample (naming its index), a sample
    ///   count that is not whole frames, a bad rate or channel count, or no samples;
    ///   `SummaryWriterError.invalidArgument` for an empty tag.
    public func add(
        audio samples: [Float], sampleRate: Int, channels: Int = 1, label: String = "", tag: String, step: Int,
        wallTime: Double? = nil
    ) throws {
        try SummaryValidation.checkTag(tag)
        let wav = try WAVEncoder.encode(samples: samples, sampleRate: sampleRate, channels: channels)
        var pluginData = Tensorboard_AudioPluginData()
        pluginData.encoding = .wav
        var value = Tensorflow_Summary.Value()
        value.tag = tag
        value.metadata = PluginMetadata.make(plugin: "audio", content: try pluginData.serializedBytes())
        value.tensor = TensorProtos.strings([wav, Array(label.utf8)], shape: [1, 2])
        var summary = Tensorflow_Summary()
        summary.value = [value]
        try add(summary: summary, step: step, wallTime: wallTime)
    }
}
