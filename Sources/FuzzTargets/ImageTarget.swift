import TensorBoard

/// The image path. The first byte chooses what the rest is:
/// - even: an encoded image for `ImageHeader.read` / `SummaryImage(encoded:)`. Properties:
///   what is accepted has a size of at least 1x1, the size-checked initializer agrees with
///   the header, and a size other than the header's is refused.
/// - odd: `width, height, channels, flags` bytes (width and height as signed bytes, so 0
///   and negatives come up) and then pixel data, as bytes or as float bit patterns (NaN and
///   ±inf included), padded or cut to the size when flags bit 1 is set. Properties: what
///   is accepted is a PNG whose header our reader reads back as the same size.
enum ImageTarget {
    static func run(_ bytes: [UInt8]) {
        guard let mode = bytes.first else { return }
        if mode % 2 == 0 {
            checkEncoded(Array(bytes.dropFirst()))
        } else {
            checkPixels(Array(bytes.dropFirst()))
        }
    }

    static func checkEncoded(_ bytes: [UInt8]) {
        guard let header = try? ImageHeader.read(bytes) else {
            FuzzCheck.require((try? SummaryImage(encoded: bytes)) == nil, "SummaryImage accepts bytes ImageHeader refuses")
            return
        }
        FuzzCheck.require(header.width >= 1 && header.height >= 1, "an accepted header is empty")
        let image = try? SummaryImage(encoded: bytes, width: header.width, height: header.height)
        FuzzCheck.require(image?.width == header.width && image?.height == header.height, "the header's own size is refused")
        let wrong = try? SummaryImage(encoded: bytes, width: header.width &+ 1, height: header.height)
        FuzzCheck.require(wrong == nil, "a size other than the header's is accepted")
    }

    static func checkPixels(_ bytes: [UInt8]) {
        guard bytes.count >= 4 else { return }
        let width = Int(Int8(bitPattern: bytes[0]))
        let height = Int(Int8(bitPattern: bytes[1]))
        let channels = Int(Int8(bitPattern: bytes[2]))
        let asFloats = bytes[3] & 1 == 1
        let fitToSize = bytes[3] & 2 == 2
        let data = Array(bytes.dropFirst(4))
        let wanted = width > 0 && height > 0 && channels > 0 ? width * height * channels : 0
        let image: SummaryImage?
        if asFloats {
            var floats = stride(from: 0, to: data.count - 3, by: 4).map { offset in
                Float(bitPattern: data[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) })
            }
            if fitToSize { floats = resized(floats, to: wanted, padding: .nan) }
            image = try? SummaryImage(floatPixels: floats, width: width, height: height, channels: channels)
        } else {
            let pixels = fitToSize ? resized(data, to: wanted, padding: 0) : data
            image = try? SummaryImage(pixels: pixels, width: width, height: height, channels: channels)
        }
        guard let image else { return }
        FuzzCheck.require(image.width == width && image.height == height, "the image's size changed")
        let header = try? ImageHeader.read(image.encodedBytes)
        FuzzCheck.require(header == ImageHeader(format: .png, width: width, height: height), "our PNG's header reads back as \(String(describing: header))")
    }

    static func resized<T>(_ values: [T], to count: Int, padding: T) -> [T] {
        values.count >= count ? Array(values.prefix(count)) : values + Array(repeating: padding, count: count - values.count)
    }

    /// An encoded PNG, JPEG and GIF header, and pixels of each kind.
    static func seeds() throws -> [[UInt8]] {
        let png = try PNGEncoder.encode(pixels: [1, 2, 3, 4, 5, 6], width: 3, height: 2, channels: 1)
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x02, 0x00,
                             0x03, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9]
        let gif = Array("GIF89a".utf8) + [3, 0, 2, 0, 0, 0, 0]
        let floats: [Float] = [0, 0.5, 1, .nan, .infinity, -1]
        return [
            [0] + png, [0] + jpeg, [0] + gif,
            [1, 2, 3, 1, 2] + Array(0..<6),
            [1, 3, 2, 1, 1] + floats.flatMap { value in (0..<4).reversed().map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } },
            [1, 2, 2, 4, 2, 9],
        ]
    }
}
