import CZlib

/// Encodes 8-bit grayscale, gray+alpha, RGB or RGBA pixels as PNG (zlib deflate, filter 0).
public enum PNGEncoder {
    /// Why pixels cannot be encoded. Each message states the problem and the fix.
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        /// `channels` is not 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA).
        case unsupportedChannelCount(Int)
        /// Width or height is below 1.
        case emptyImage(width: Int, height: Int)
        /// Width or height is above PNG's limit of 2^31 - 1, or the pixel count overflows `Int`.
        case tooLarge(width: Int, height: Int, channels: Int)
        /// `pixels.count` is not `width * height * channels`.
        case pixelCountMismatch(width: Int, height: Int, channels: Int, expected: Int, given: Int)
        case compressionFailed(code: Int32)

        public var description: String {
            switch self {
            case .unsupportedChannelCount(let channels):
                return "an image has \(channels) channels; use 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA)"
            case .emptyImage(let width, let height):
                return "an image of \(width)x\(height) has no pixels; width and height must be at least 1"
            case .tooLarge(let width, let height, _) where width > PNGEncoder.maximumSide || height > PNGEncoder.maximumSide:
                return "an image of \(width)x\(height) is too large: PNG allows at most \(PNGEncoder.maximumSide) "
                    + "pixels per side; scale it down"
            case .tooLarge(let width, let height, let channels):
                return "an image of \(width)x\(height) with \(PNGEncoder.channelCount(channels)) is too large: "
                    + "width * height * channels overflows Int, more bytes than any memory holds; scale it down"
            case .pixelCountMismatch(let width, let height, let channels, let expected, let given):
                return "an image of \(width)x\(height) with \(PNGEncoder.channelCount(channels)) needs \(expected) values "
                    + "(width * height * channels, row-major, channels interleaved) but \(given) were given; "
                    + "check the width, height and channels"
            case .compressionFailed(let code):
                return "zlib failed to compress the image (code \(code))"
            }
        }
    }

    private static func channelCount(_ channels: Int) -> String {
        channels == 1 ? "1 channel" : "\(channels) channels"
    }

    /// PNG's largest width or height, 2^31 - 1.
    public static let maximumSide = Int(Int32.max)

    /// The number of values `width x height` pixels of `channels` channels take.
    ///
    /// - Throws: `.unsupportedChannelCount`, `.emptyImage` or `.tooLarge`; never traps,
    ///   whatever the integers.
    public static func valueCount(width: Int, height: Int, channels: Int) throws(Error) -> Int {
        guard (1...4).contains(channels) else { throw .unsupportedChannelCount(channels) }
        guard width >= 1, height >= 1 else { throw .emptyImage(width: width, height: height) }
        guard width <= maximumSide, height <= maximumSide else {
            throw .tooLarge(width: width, height: height, channels: channels)
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        let (values, overflow2) = pixels.multipliedReportingOverflow(by: channels)
        // + height: the filter byte in front of each row.
        let (_, overflow3) = values.addingReportingOverflow(height)
        guard !overflow, !overflow2, !overflow3 else {
            throw .tooLarge(width: width, height: height, channels: channels)
        }
        return values
    }

    /// PNG bytes for `pixels`, row-major, `channels` interleaved bytes per pixel.
    /// - Throws: `PNGEncoder.Error` naming what does not fit (see `valueCount`), or
    ///   `.pixelCountMismatch` when `pixels.count` differs from it.
    public static func encode(pixels: [UInt8], width: Int, height: Int, channels: Int) throws(Error) -> [UInt8] {
        let expected = try valueCount(width: width, height: height, channels: channels)
        guard pixels.count == expected else {
            throw .pixelCountMismatch(
                width: width, height: height, channels: channels, expected: expected, given: pixels.count)
        }
        let colorType: UInt8 = [0, 4, 2, 6][channels - 1]
        let rowBytes = width * channels
        var raw = [UInt8]()
        raw.reserveCapacity((rowBytes + 1) * height)
        for row in 0..<height {
            raw.append(0)  // filter type: none
            raw.append(contentsOf: pixels[(row * rowBytes)..<((row + 1) * rowBytes)])
        }

        var png = ImageHeader.pngSignature
        var header = [UInt8]()
        appendBigEndian(UInt32(width), to: &header)
        appendBigEndian(UInt32(height), to: &header)
        header += [8, colorType, 0, 0, 0]  // bit depth, colour type, compression, filter, interlace
        appendChunk("IHDR", header, to: &png)
        // PNG chunks hold at most 2^31 - 1 bytes; a decoder joins consecutive IDAT chunks.
        let compressed = try deflate(raw)
        for start in stride(from: 0, to: max(compressed.count, 1), by: maximumChunkLength) {
            appendChunk("IDAT", Array(compressed[start..<min(start + maximumChunkLength, compressed.count)]), to: &png)
        }
        appendChunk("IEND", [], to: &png)
        return png
    }

    private static let maximumChunkLength = 1 << 30

    private static func deflate(_ data: [UInt8]) throws(Error) -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let code = output.withUnsafeMutableBufferPointer { out in
            data.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &length, input.baseAddress, uLong(data.count), 6)
            }
        }
        guard code == Z_OK else { throw .compressionFailed(code: code) }
        output.removeSubrange(Int(length)...)
        return output
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        appendBigEndian(UInt32(data.count), to: &png)
        let typeAndData = Array(type.utf8) + data
        png += typeAndData
        let crc = typeAndData.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        appendBigEndian(UInt32(crc), to: &png)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
