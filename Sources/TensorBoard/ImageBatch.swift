/// Images of one size, or a video's frames: 8-bit pixels laid out `[count, height, width,
/// channels]`, row-major, channels interleaved (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA).
/// Checked when made, so a grid, a video or a sprite built from it never traps.
public struct ImageBatch: Sendable, Equatable {
    /// Images (or frames) in the batch, at least 1.
    public let count: Int
    /// Width of each image in pixels.
    public let width: Int
    /// Height of each image in pixels.
    public let height: Int
    /// Values per pixel, 1...4.
    public let channels: Int
    /// `count * height * width * channels` bytes.
    public let pixels: [UInt8]

    /// A batch from 8-bit pixels.
    /// - Throws: `PNGEncoder.Error` for a width, height or channel count one image cannot
    ///   have; `SummaryWriterError.invalidArgument` for a `count` below 1, a batch whose size
    ///   overflows `Int`, or `pixels.count != count * height * width * channels`.
    public init(pixels: [UInt8], count: Int, width: Int, height: Int, channels: Int) throws {
        let perImage = try PNGEncoder.valueCount(width: width, height: height, channels: channels)
        guard count >= 1 else {
            throw SummaryWriterError.invalidArgument(
                "an image batch holds \(count) images; it needs at least 1 (count is the first dimension)")
        }
        let (total, overflow) = perImage.multipliedReportingOverflow(by: count)
        guard !overflow else {
            throw SummaryWriterError.invalidArgument(
                "a batch of \(count) images of \(width)x\(height)x\(channels) is too large: its size overflows Int; "
                    + "pass fewer or smaller images")
        }
        guard pixels.count == total else {
            throw SummaryWriterError.invalidArgument(
                "a batch of \(count) images of \(width)x\(height) with \(channels) channels needs \(total) values "
                    + "([count, height, width, channels], row-major) but \(pixels.count) were given; "
                    + "check the count, width, height and channels")
        }
        self.count = count
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// A batch from float pixels: [0, 1] maps to 0...255 (rounded), values outside clamp and
    /// NaN becomes 0, as `SummaryImage(floatPixels:)` and `tf.summary.image` do.
    /// - Throws: as `init(pixels:count:width:height:channels:)`.
    public init(floatPixels: [Float], count: Int, width: Int, height: Int, channels: Int) throws {
        try self.init(
            pixels: floatPixels.map(SummaryImage.byte), count: count, width: width, height: height, channels: channels)
    }

    /// Values per image.
    var valuesPerImage: Int { width * height * channels }

    /// The pixels of image `index`.
    func image(_ index: Int) -> ArraySlice<UInt8> {
        pixels[(index * valuesPerImage)..<((index + 1) * valuesPerImage)]
    }
}
