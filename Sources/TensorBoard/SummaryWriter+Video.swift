extension SummaryWriter {
    /// Adds a video, shown in TensorBoard's Images dashboard as an animated GIF (plugin
    /// `images`, the GIF's bytes in place of a PNG), as tensorboardX's `add_video` writes it.
    ///
    /// - Parameters:
    ///   - frames: the frames `[T, H, W, C]`, 1 (gray) or 3 (RGB) channels; see `GIFPalette`
    ///     for how colours are reduced to GIF's 256 (exact when the video has at most 256).
    ///   - fps: frames per second; each frame lasts `round(100 / fps)` hundredths of a
    ///     second, which must be 2...65535 (browsers show frames shorter than 20 ms for
    ///     100 ms), i.e. fps from about 0.0016 to 66. The GIF loops forever.
    ///   - tag: the series name, non-empty.
    /// - Throws: `SummaryWriterError.invalidArgument` for an fps out of range or an empty tag;
    ///   `GIFEncoder.Error` for frames with alpha or larger than 65535 pixels per side.
    public func add(video frames: ImageBatch, fps: Double = 4, tag: String, step: Int, wallTime: Double? = nil) throws {
        try SummaryValidation.checkTag(tag)
        let delay = (100 / fps).rounded()
        guard fps.isFinite, delay >= 2, delay <= 65535 else {
            throw SummaryWriterError.invalidArgument(
                "fps \(fps) gives a frame duration of \(delay) hundredths of a second; a GIF frame lasts 2...65535 "
                    + "of them (browsers show shorter frames for 100 ms), so pass fps from 0.0016 to 66")
        }
        let gif = try GIFEncoder.encode(frames: frames, delayCentiseconds: Int(delay))
        try add(image: SummaryImage(encoded: gif, width: frames.width, height: frames.height), tag: tag, step: step, wallTime: wallTime)
    }
}
