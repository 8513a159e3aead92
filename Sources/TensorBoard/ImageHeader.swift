/// The format and pixel size of an encoded image, read from its header without decoding it.
///
/// TensorBoard's image dashboard serves the stored bytes as they are, so bytes that are not
/// an image a browser shows would appear as a broken image. `SummaryImage(encoded:)` reads
/// this header first and refuses anything else.
///
/// | format | signature (first bytes) | where the size is |
/// |---|---|---|
/// | PNG  | `89 50 4E 47 0D 0A 1A 0A` | first chunk `IHDR`: width, height as big-endian UInt32 at offsets 16, 20 |
/// | JPEG | `FF D8` (SOI) | the first frame header `SOFn` (`FF C0`..`FF CF` except `C4`, `C8`, `CC`): length (2), precision (1), height (2), width (2), big-endian |
/// | GIF  | `GIF87a` or `GIF89a` | logical screen descriptor: width, height as little-endian UInt16 at offsets 6, 8 |
public struct ImageHeader: Sendable, Equatable {
    /// The encodings TensorBoard's image dashboard serves.
    public enum Format: String, Sendable, CaseIterable, CustomStringConvertible {
        case png = "PNG"
        case jpeg = "JPEG"
        case gif = "GIF"

        public var description: String { rawValue }
    }

    /// Why bytes are not an image `SummaryImage(encoded:)` accepts.
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        /// The bytes start with no PNG, JPEG or GIF signature.
        case unknownFormat(leadingBytes: [UInt8])
        /// The signature is there but the header is cut short or malformed; `reason` says where.
        case badHeader(Format, reason: String)
        /// The header declares a width or height of 0.
        case emptyImage(Format, width: Int, height: Int)
        /// The size given with the bytes differs from the size in their header.
        case sizeMismatch(Format, declaredWidth: Int, declaredHeight: Int, headerWidth: Int, headerHeight: Int)

        public var description: String {
            switch self {
            case .unknownFormat(let leading):
                let start = leading.isEmpty
                    ? "the bytes are empty" : "the bytes start with " + leading.map(ImageHeader.hex).joined(separator: " ")
                return "not an image TensorBoard can show: \(start); encoded images must be PNG, JPEG or GIF "
                    + "(or pass raw pixels to SummaryImage(pixels:) or SummaryImage(floatPixels:))"
            case .badHeader(let format, let reason):
                return "the bytes start like a \(format) image but \(reason); pass the complete encoded file"
            case .emptyImage(let format, let width, let height):
                return "the \(format) header declares a \(width)x\(height) image; an image needs at least one pixel"
            case .sizeMismatch(let format, let width, let height, let headerWidth, let headerHeight):
                return "the image was declared \(width)x\(height) but its \(format) header says "
                    + "\(headerWidth)x\(headerHeight); pass the header's size (or use SummaryImage(encoded:), "
                    + "which reads it)"
            }
        }
    }

    /// The encoding.
    public var format: Format
    /// Width in pixels (at least 1).
    public var width: Int
    /// Height in pixels (at least 1).
    public var height: Int

    /// A header of the given format and size.
    public init(format: Format, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }

    /// Reads the format and size from the start of an encoded image.
    ///
    /// - Parameter bytes: a whole PNG, JPEG or GIF file.
    /// - Returns: the header; width and height are at least 1.
    /// - Throws: `ImageHeader.Error` when the bytes are none of the three formats, their
    ///   header is cut short or malformed, or it declares an empty image.
    /// - Complexity: O(1) for PNG and GIF; JPEG walks the marker segments before the frame
    ///   header, O(number of segments).
    public static func read(_ bytes: [UInt8]) throws(Error) -> ImageHeader {
        let header: ImageHeader
        if bytes.starts(with: pngSignature) {
            header = try readPNG(bytes)
        } else if bytes.starts(with: [0xFF, 0xD8]) {
            header = try readJPEG(bytes)
        } else if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) {
            guard bytes.count >= 10 else {
                throw .badHeader(.gif, reason: "it ends after \(bytes.count) bytes, inside the logical screen descriptor")
            }
            header = ImageHeader(
                format: .gif, width: Int(bytes[6]) | Int(bytes[7]) << 8, height: Int(bytes[8]) | Int(bytes[9]) << 8)
        } else {
            throw .unknownFormat(leadingBytes: Array(bytes.prefix(8)))
        }
        guard header.width > 0, header.height > 0 else {
            throw .emptyImage(header.format, width: header.width, height: header.height)
        }
        return header
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// PNG: signature, then the `IHDR` chunk (length 13) holding width and height.
    private static func readPNG(_ bytes: [UInt8]) throws(Error) -> ImageHeader {
        guard bytes.count >= 24 else {
            throw .badHeader(.png, reason: "it ends after \(bytes.count) bytes, before the IHDR chunk's size fields")
        }
        guard bytes[12..<16].elementsEqual("IHDR".utf8) else {
            throw .badHeader(.png, reason: "its first chunk is not IHDR")
        }
        return ImageHeader(format: .png, width: Int(bigEndian32(bytes, at: 16)), height: Int(bigEndian32(bytes, at: 20)))
    }

    /// JPEG: after SOI, marker segments `FF xx <length: 2 bytes BE, counting itself>`; the
    /// first SOFn segment holds the size. Standalone markers (RSTn, TEM) have no length;
    /// `FF` fill bytes may precede a marker. Start-of-scan before any SOFn is malformed.
    private static func readJPEG(_ bytes: [UInt8]) throws(Error) -> ImageHeader {
        var offset = 2
        while true {
            guard offset < bytes.count else {
                throw .badHeader(.jpeg, reason: "it ends after \(bytes.count) bytes, before a frame header (SOFn)")
            }
            guard bytes[offset] == 0xFF else {
                throw .badHeader(.jpeg, reason: "byte \(offset) should start a marker (FF) but is \(hex(bytes[offset]))")
            }
            // Skip fill bytes.
            while offset < bytes.count && bytes[offset] == 0xFF { offset += 1 }
            guard offset < bytes.count else {
                throw .badHeader(.jpeg, reason: "it ends inside a marker at byte \(offset)")
            }
            let marker = bytes[offset]
            offset += 1
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { continue }  // TEM, RSTn: no length
            if marker == 0xD9 || marker == 0xDA || marker == 0xD8 || marker == 0x00 {
                throw .badHeader(.jpeg, reason: "marker FF \(hex(marker)) at byte \(offset - 2) comes before any frame header (SOFn)")
            }
            guard offset + 2 <= bytes.count else {
                throw .badHeader(.jpeg, reason: "it ends inside the length of marker FF \(hex(marker))")
            }
            let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            guard length >= 2 else {
                throw .badHeader(.jpeg, reason: "marker FF \(hex(marker)) at byte \(offset - 2) has length \(length)")
            }
            if isStartOfFrame(marker) {
                guard length >= 7, offset + 7 <= bytes.count else {
                    throw .badHeader(.jpeg, reason: "its frame header (FF \(hex(marker))) is cut short")
                }
                let height = Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])
                let width = Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6])
                return ImageHeader(format: .jpeg, width: width, height: height)
            }
            offset += length
        }
    }

    /// SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    private static func isStartOfFrame(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
    }

    private static func bigEndian32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    fileprivate static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }
}
