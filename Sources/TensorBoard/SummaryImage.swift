import TFProtos

/// An image for `SummaryWriter.add(image:)`: raw pixels (PNG-encoded when made) or bytes
/// that already hold a PNG, JPEG or GIF, checked when made so that TensorBoard never serves
/// a broken image.
public struct SummaryImage: Sendable {
    /// Width in pixels (at least 1).
    public let width: Int
    /// Height in pixels (at least 1).
    public let height: Int
    let encoded: [UInt8]

    /// The PNG, JPEG or GIF bytes written to the event file.
    public var encodedBytes: [UInt8] { encoded }

    /// An image from 8-bit pixels, row-major, `channels` (1 gray, 2 gray+alpha, 3 RGB,
    /// 4 RGBA) interleaved bytes per pixel.
    /// - Throws: `PNGEncoder.Error`: channels other than 1...4, a width or height below 1 or
    ///   above 2^31 - 1, or `pixels.count != width * height * channels`.
    public init(pixels: [UInt8], width: Int, height: Int, channels: Int) throws {
        encoded = try PNGEncoder.encode(pixels: pixels, width: width, height: height, channels: channels)
        self.width = width
        self.height = height
    }

    /// An image from float pixels, as models produce them: values in [0, 1] map to 0...255
    /// (rounded). As `tf.summary.image` does, values outside [0, 1] clamp (so -inf is 0 and
    /// +inf is 255) and NaN becomes 0.
    /// - Throws: `PNGEncoder.Error`, as `init(pixels:width:height:channels:)`.
    public init(floatPixels: [Float], width: Int, height: Int, channels: Int) throws {
        try self.init(pixels: floatPixels.map(Self.byte), width: width, height: height, channels: channels)
    }

    /// An already-encoded PNG, JPEG or GIF whose size is read from its header.
    /// - Throws: `ImageHeader.Error` when the bytes are not one of those formats or their
    ///   header is cut short, malformed or declares an empty image.
    public init(encoded: [UInt8]) throws {
        let header = try ImageHeader.read(encoded)
        self.width = header.width
        self.height = header.height
        self.encoded = encoded
    }

    /// An already-encoded PNG, JPEG or GIF of the given size.
    /// - Throws: `ImageHeader.Error`, as `init(encoded:)`, and `.sizeMismatch` when `width`
    ///   and `height` differ from the header's.
    public init(encoded: [UInt8], width: Int, height: Int) throws {
        let header = try ImageHeader.read(encoded)
        guard header.width == width, header.height == height else {
            throw ImageHeader.Error.sizeMismatch(
                header.format, declaredWidth: width, declaredHeight: height, headerWidth: header.width,
                headerHeight: header.height)
        }
        self.width = width
        self.height = height
        self.encoded = encoded
    }

    /// One float pixel as a byte: [0, 1] -> 0...255, clamped, NaN -> 0. Never traps.
    static func byte(_ value: Float) -> UInt8 {
        guard value > 0 else { return 0 }  // also NaN and -inf
        guard value < 1 else { return 255 }  // also +inf
        return UInt8((value * 255).rounded())
    }
}

extension SummaryWriter {
    /// Adds one or more images under one tag at one step (plugin `images`; the value is a
    /// string tensor `[width, height, image0, image1, ...]`, as TensorFlow 2 writes it, with
    /// the largest width and height of the images).
    /// - Throws: `SummaryWriterError.invalidArgument` for an empty list or an empty tag.
    public func add(images: [SummaryImage], tag: String, step: Int, wallTime: Double? = nil) throws {
        guard !images.isEmpty else {
            throw SummaryWriterError.invalidArgument("add(images:) needs at least one image (tag \(SummaryValidation.quoted(tag)))")
        }
        let width = images.map(\.width).max() ?? 0
        let height = images.map(\.height).max() ?? 0
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
    /// - Throws: `SummaryWriterError.invalidArgument` for an empty tag.
    public func add(image: SummaryImage, tag: String, step: Int, wallTime: Double? = nil) throws {
        try add(images: [image], tag: tag, step: step, wallTime: wallTime)
    }
}
