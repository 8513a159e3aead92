import CZlib

/// Encodes 8-bit grayscale, gray+alpha, RGB or RGBA pixels as PNG (zlib deflate, filter 0).
public enum PNGEncoder {
    /// Why pixels cannot be encoded.
    public enum Error: Swift.Error, CustomStringConvertible {
        case badDimensions(width: Int, height: Int, channels: Int, byteCount: Int)
        case compressionFailed(code: Int32)

        public var description: String {
            switch self {
            case .badDimensions(let width, let height, let channels, let byteCount):
                return "an image of \(width)x\(height) with \(channels) channels needs "
                    + "\(width * height * channels) bytes but \(byteCount) were given "
                    + "(channels must be 1, 2, 3 or 4)"
            case .compressionFailed(let code):
                return "zlib failed to compress the image (code \(code))"
            }
        }
    }

    /// PNG bytes for `pixels`, row-major, `channels` interleaved bytes per pixel.
    /// - Throws: `PNGEncoder.Error` when the sizes do not match.
    public static func encode(pixels: [UInt8], width: Int, height: Int, channels: Int) throws(Error) -> [UInt8] {
        let colorTypes: [Int: UInt8] = [1: 0, 2: 4, 3: 2, 4: 6]
        guard let colorType = colorTypes[channels], width > 0, height > 0,
            width <= Int(Int32.max), height <= Int(Int32.max), pixels.count == width * height * channels
        else {
            throw .badDimensions(width: width, height: height, channels: channels, byteCount: pixels.count)
        }
        let rowBytes = width * channels
        var raw = [UInt8]()
        raw.reserveCapacity((rowBytes + 1) * height)
        for row in 0..<height {
            raw.append(0)  // filter type: none
            raw.append(contentsOf: pixels[(row * rowBytes)..<((row + 1) * rowBytes)])
        }

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = [UInt8]()
        appendBigEndian(UInt32(width), to: &header)
        appendBigEndian(UInt32(height), to: &header)
        header += [8, colorType, 0, 0, 0]  // bit depth, colour type, compression, filter, interlace
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", try deflate(raw), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

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
