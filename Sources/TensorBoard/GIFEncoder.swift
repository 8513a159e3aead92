/// Encodes frames as an animated GIF89a: one global colour table (see `GIFPalette` for the
/// quantization), a NETSCAPE2.0 loop extension, and per frame a graphic control extension
/// (the delay) and an LZW-compressed image (see `GIFLZW`).
///
/// | bytes | content |
/// |---|---|
/// | 6 | `GIF89a` |
/// | 7 | logical screen: width, height (UInt16 little-endian), flags `1ccc0sss` (global table of `2^(s+1)` colours), background 0, aspect 0 |
/// | 3 x 2^(s+1) | the global colour table, RGB |
/// | 19 | `21 FF 0B "NETSCAPE2.0" 03 01 <loop count UInt16 LE> 00` (0 = forever) |
/// | per frame 8 | `21 F9 04 <flags 04: keep the frame> <delay UInt16 LE, 1/100 s> 00 00` |
/// | per frame 10 | `2C`, left 0, top 0, width, height, flags 0 (no local table) |
/// | per frame | LZW minimum code size, then the codes in sub-blocks of at most 255 bytes (each after its length byte), then `00` |
/// | 1 | `3B`, the trailer |
public enum GIFEncoder {
    /// GIF's largest width or height (UInt16).
    public static let maximumSide = Int(UInt16.max)

    /// Why frames cannot be encoded as a GIF. Each message says what to change.
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        /// The frames have alpha (2 or 4 channels); GIF stores gray or colour without alpha.
        case unsupportedChannelCount(Int)
        /// Width or height above 65535.
        case tooLarge(width: Int, height: Int)
        /// A delay or loop count outside 0...65535.
        case fieldOutOfRange(name: String, value: Int)

        public var description: String {
            switch self {
            case .unsupportedChannelCount(let channels):
                return "a GIF holds frames of 1 (gray) or 3 (RGB) channels, got \(channels); drop the alpha channel"
            case .tooLarge(let width, let height):
                return "frames of \(width)x\(height) are too large for a GIF, which allows at most "
                    + "\(GIFEncoder.maximumSide) pixels per side; scale them down"
            case .fieldOutOfRange(let name, let value):
                return "a GIF's \(name) is stored in 16 bits, 0...65535, got \(value)"
            }
        }
    }

    /// The GIF of `frames` (1 or 3 channels), each shown for `delayCentiseconds` hundredths of
    /// a second, looping `loopCount` times (0: forever).
    /// - Throws: `GIFEncoder.Error` for alpha channels, frames wider or higher than 65535, or
    ///   a delay or loop count outside 0...65535.
    public static func encode(frames: ImageBatch, delayCentiseconds: Int, loopCount: Int = 0) throws(Error) -> [UInt8] {
        guard frames.channels == 1 || frames.channels == 3 else { throw .unsupportedChannelCount(frames.channels) }
        guard frames.width <= maximumSide, frames.height <= maximumSide else {
            throw .tooLarge(width: frames.width, height: frames.height)
        }
        guard (0...0xFFFF).contains(delayCentiseconds) else {
            throw .fieldOutOfRange(name: "frame delay (hundredths of a second)", value: delayCentiseconds)
        }
        guard (0...0xFFFF).contains(loopCount) else { throw .fieldOutOfRange(name: "loop count", value: loopCount) }

        let palette = GIFPalette(frames: frames)
        let bits = palette.bitsPerIndex
        var gif = Array("GIF89a".utf8)
        appendUInt16(frames.width, to: &gif)
        appendUInt16(frames.height, to: &gif)
        gif += [0x80 | UInt8(bits - 1) << 4 | UInt8(bits - 1), 0, 0]
        gif += palette.colors
        gif += [0x21, 0xFF, 0x0B] + Array("NETSCAPE2.0".utf8) + [0x03, 0x01]
        appendUInt16(loopCount, to: &gif)
        gif.append(0)

        let pixelsPerFrame = frames.width * frames.height
        for frame in 0..<frames.count {
            gif += [0x21, 0xF9, 0x04, 0x04]
            appendUInt16(delayCentiseconds, to: &gif)
            gif += [0, 0]
            gif.append(0x2C)
            for field in [0, 0, frames.width, frames.height] { appendUInt16(field, to: &gif) }
            gif.append(0)
            gif.append(UInt8(bits))
            let start = frame * pixelsPerFrame
            let codes = GIFLZW.compress(palette.indices[start..<(start + pixelsPerFrame)], minimumCodeSize: bits)
            for blockStart in stride(from: 0, to: codes.count, by: 255) {
                let block = codes[blockStart..<min(blockStart + 255, codes.count)]
                gif.append(UInt8(block.count))
                gif += block
            }
            gif.append(0)
        }
        gif.append(0x3B)
        return gif
    }

    private static func appendUInt16(_ value: Int, to bytes: inout [UInt8]) {
        bytes += [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)]
    }
}
