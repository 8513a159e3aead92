/// The images logged under one tag at one step.
///
/// TensorFlow 1 and tensorboardX write one `Summary.Image` per value (width, height,
/// colorspace, encoded bytes); TensorFlow 2 and this package's `SummaryWriter` write a
/// string tensor `[width, height, image0, image1, …]` holding several images of one size.
public struct ImageEvent: Sendable, Equatable, SeriesElement {
    /// The step it was logged at.
    public var step: Int64
    /// When it was logged, in seconds since the epoch.
    public var wallTime: Double
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Channels: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. From `Summary.Image`, or read from
    /// the first image's PNG header for tensors; nil when neither says (JPEG, GIF).
    public var colorspace: Int?
    /// The encoded images (PNG, JPEG, or GIF for animations), in order.
    public var encodedImages: [[UInt8]]

    /// Creates an image event from its parts (tests compare read series with these).
    public init(step: Int64, wallTime: Double, width: Int, height: Int, colorspace: Int?, encodedImages: [[UInt8]]) {
        self.step = step
        self.wallTime = wallTime
        self.width = width
        self.height = height
        self.colorspace = colorspace
        self.encodedImages = encodedImages
    }
}

extension RunReader {
    /// The image series `tag`, in the order TensorBoard reads it, restarts applied.
    /// - Throws: `RunReaderError.tagNotFound`, `.kindMismatch`, `.malformedValue` (such as
    ///   a tensor whose first two strings are not a width and a height); `EventFileError`.
    public func images(tag: String) throws -> [ImageEvent] {
        try series(tag: tag, kind: .images) { (value, site) throws(ValueProblem) in
            switch value.form {
            case .image(let bytes): return try Self.image(proto: bytes, site)
            case .tensor(let bytes): return try Self.image(tensor: TensorWire(bytes), site)
            default: throw ValueProblem("it is not an image (neither a Summary.Image nor a tensor)")
            }
        }
    }

    /// `Summary.Image`: 1 height, 2 width, 3 colorspace (varints), 4 encoded_image_string.
    static func image(proto bytes: UnsafeRawBufferPointer, _ site: ValueSite) throws(ValueProblem) -> ImageEvent {
        var numbers: [UInt64] = [0, 0, 0, 0]
        var encoded: [UInt8] = []
        var fields = ProtoFields(bytes)
        while true {
            let next: ProtoField?
            do { next = try fields.next() } catch { throw ValueProblem("the Summary.Image is not well-formed") }
            guard let field = next else { break }
            switch (field.number, field.value) {
            case (1...3, .varint(let value)): numbers[Int(field.number)] = value
            case (4, .bytes(let range)): encoded = Array(fields.slice(range))
            default: break
            }
        }
        // int32 fields: a negative value is sign-extended to 64 bits on the wire.
        let (height, width, colorspace) = (Int(Int32(truncatingIfNeeded: numbers[1])), Int(Int32(truncatingIfNeeded: numbers[2])), Int(Int32(truncatingIfNeeded: numbers[3])))
        return ImageEvent(
            step: site.step, wallTime: site.wallTime, width: width, height: height,
            colorspace: colorspace == 0 ? PNGHeader.channels(of: encoded) : colorspace, encodedImages: [encoded])
    }

    /// A string tensor `[width, height, image…]` (decimal width and height).
    static func image(tensor: TensorWire, _ site: ValueSite) throws(ValueProblem) -> ImageEvent {
        let (elements, dimensions) = try tensor.strings()
        guard dimensions.count == 1, elements.count >= 2,
            let width = Int(String(decoding: elements[0], as: UTF8.self)),
            let height = Int(String(decoding: elements[1], as: UTF8.self))
        else {
            throw ValueProblem("an image tensor is a vector [width, height, image…]; this one has shape \(dimensions)")
        }
        let images = elements.dropFirst(2).map { Array($0) }
        return ImageEvent(
            step: site.step, wallTime: site.wallTime, width: width, height: height,
            colorspace: images.first.flatMap(PNGHeader.channels(of:)), encodedImages: images)
    }
}

/// The few facts the reader takes from a PNG's IHDR chunk.
enum PNGHeader {
    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Channels of a PNG by its colour type (0 gray, 2 RGB, 3 palette (as RGB), 4 gray +
    /// alpha, 6 RGBA); nil when the bytes are not a PNG.
    static func channels(of bytes: [UInt8]) -> Int? {
        // Signature, IHDR length and type, width, height, bit depth, colour type (byte 25).
        guard bytes.count > 25, bytes.starts(with: signature), bytes[12...15].elementsEqual("IHDR".utf8) else { return nil }
        switch bytes[25] {
        case 0: return 1
        case 4: return 2
        case 2, 3: return 3
        case 6: return 4
        default: return nil
        }
    }
}
