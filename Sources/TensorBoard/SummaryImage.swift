import TFProtos

/// An image for `SummaryWriter.add(image:)`: raw pixels (PNG-encoded when added) or bytes
/// that already hold a PNG or JPEG.
public struct SummaryImage: Sendable {
    public let width: Int
    public let height: Int
    let encoded: [UInt8]

    /// An image from 8-bit pixels, row-major, `channels` (1 gray, 2 gray+alpha, 3 RGB,
    /// 4 RGBA) interleaved bytes per pixel.
    /// - Throws: `PNGEncoder.Error` when `pixels.count != width * height * channels`.
    public init(pixels: [UInt8], width: Int, height: Int, channels: Int) throws {
        self.width = width
        self.height = height
        encoded = try PNGEncoder.encode(pixels: pixels, width: width, height: height, channels: channels)
    }

    /// An image from float pixels in [0, 1] (clamped), as models produce them.
    public init(floatPixels: [Float], width: Int, height: Int, channels: Int) throws {
        let bytes = floatPixels.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
        try self.init(pixels: bytes, width: width, height: height, channels: channels)
    }

    /// An already-encoded PNG or JPEG of the given size.
    public init(encoded: [UInt8], width: Int, height: Int) {
        self.width = width
        self.height = height
        self.encoded = encoded
    }
}

extension SummaryWriter {
    /// Adds one or more images under one tag at one step (plugin `images`; the value is a
    /// string tensor `[width, height, image0, image1, ...]`, as TensorFlow 2 writes it).
    /// - Throws: `SummaryWriterError.invalidArgument` for an empty list.
    public func add(images: [SummaryImage], tag: String, step: Int, wallTime: Double? = nil) throws {
        guard let first = images.first else {
            throw SummaryWriterError.invalidArgument("add(images:) needs at least one image for tag \(tag)")
        }
        let width = images.map(\.width).max() ?? first.width
        let height = images.map(\.height).max() ?? first.height
        let elements = [Array(String(width).utf8), Array(String(height).utf8)] + images.map(\.encoded)
        var value = Tensorflow_Summary.Value()
        value.tag = tag
        value.metadata = PluginMetadata.make(plugin: "images")
        value.tensor = TensorProtos.strings(elements, shape: [elements.count])
        var summary = Tensorflow_Summary()
        summary.value = [value]
        try add(summary: summary, step: step, wallTime: wallTime)
    }

    /// Adds one image.
    public func add(image: SummaryImage, tag: String, step: Int, wallTime: Double? = nil) throws {
        try add(images: [image], tag: tag, step: step, wallTime: wallTime)
    }
}
