import Foundation
import Testing
@testable import TensorBoard
import TestSupport

/// Images from hostile pixels, sizes and encoded bytes: accepted with a documented meaning,
/// or refused with a message that states the problem and the fix.
struct ImageInputTests {
    @Test func floatPixelsClampAndNaNBecomesZero() throws {
        #expect(SummaryImage.byte(.nan) == 0)
        #expect(SummaryImage.byte(-.nan) == 0)
        #expect(SummaryImage.byte(.infinity) == 255)
        #expect(SummaryImage.byte(-.infinity) == 0)
        #expect(SummaryImage.byte(2) == 255)
        #expect(SummaryImage.byte(-1) == 0)
        #expect(SummaryImage.byte(0.5) == 128)
        #expect(SummaryImage.byte(1) == 255)
    }

    @Test func aNaNImageIsWrittenAndTheScalarBeforeItKept() throws {
        let writer = try makeWriter()
        try writer.add(scalar: 0.5, tag: "loss", step: 1)
        let image = try SummaryImage(floatPixels: [.nan, .infinity, -.infinity, 0.5], width: 2, height: 2, channels: 1)
        try writer.add(image: image, tag: "nan", step: 1)
        try writer.close()
        #expect(try summaryEvents(of: writer).map { $0.decoded.summary.value[0].tag } == ["loss", "nan"])
    }

    @Test func badSizesSayWhatIsWrong() {
        func error(_ width: Int, _ height: Int, _ channels: Int, count: Int) -> PNGEncoder.Error? {
            do {
                _ = try SummaryImage(pixels: [UInt8](repeating: 0, count: count), width: width, height: height, channels: channels)
                return nil
            } catch {
                return error as? PNGEncoder.Error
            }
        }
        #expect(error(4, 4, 5, count: 80) == .unsupportedChannelCount(5))
        #expect(error(4, 4, 5, count: 80)?.description.contains("use 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA)") == true)
        #expect(error(0, 0, 1, count: 0) == .emptyImage(width: 0, height: 0))
        #expect(error(0, 0, 1, count: 0)?.description.contains("width and height must be at least 1") == true)
        let huge = Int(Int32.max)
        #expect(error(huge, huge, 4, count: 4) == .tooLarge(width: huge, height: huge, channels: 4))
        #expect(error(huge, huge, 4, count: 4)?.description.contains("overflows") == true)
        #expect(error(Int.max, 1, 1, count: 1)?.description.contains("at most 2147483647 pixels per side") == true)
        #expect(error(Int.max, Int.max, Int.max, count: 1) == .unsupportedChannelCount(Int.max))
        let mismatch = error(2, 2, 1, count: 3)
        #expect(mismatch == .pixelCountMismatch(width: 2, height: 2, channels: 1, expected: 4, given: 3))
        #expect(mismatch?.description.contains("needs 4 values") == true && mismatch?.description.contains("but 3 were given") == true)
    }

    static let png: [UInt8] = (try? PNGEncoder.encode(pixels: [1, 2, 3, 4, 5, 6], width: 3, height: 2, channels: 1)) ?? []
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xFF, 0xC2, 0x00, 0x0B, 0x08, 0x00, 0x02,
                                0x00, 0x03, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9]
    static let gif: [UInt8] = Array("GIF87a".utf8) + [3, 0, 2, 0, 0, 0, 0]

    @Test(arguments: [(png, ImageHeader.Format.png), (jpeg, .jpeg), (gif, .gif)])
    func encodedHeadersAreRead(_ bytes: [UInt8], _ format: ImageHeader.Format) throws {
        #expect(try ImageHeader.read(bytes) == ImageHeader(format: format, width: 3, height: 2))
        let image = try SummaryImage(encoded: bytes)
        #expect(image.width == 3 && image.height == 2 && image.encodedBytes == bytes)
        #expect(try SummaryImage(encoded: bytes, width: 3, height: 2).width == 3)
        #expect(throws: ImageHeader.Error.sizeMismatch(format, declaredWidth: 2, declaredHeight: 3, headerWidth: 3, headerHeight: 2)) {
            try SummaryImage(encoded: bytes, width: 2, height: 3)
        }
    }

    @Test func garbageAndCutHeadersAreRefused() {
        #expect(throws: ImageHeader.Error.unknownFormat(leadingBytes: Array("garbage!".utf8))) {
            try SummaryImage(encoded: Array("garbage!!".utf8))
        }
        let unknown = ImageHeader.Error.unknownFormat(leadingBytes: [0x47, 0x49]).description
        #expect(unknown.contains("47 49") && unknown.contains("PNG, JPEG or GIF"))
        for cut in [Array(Self.png.prefix(20)), Array(Self.jpeg.prefix(12)), Array(Self.gif.prefix(8)), [0xFF, 0xD8, 0xFF, 0xDA]] {
            #expect(throws: ImageHeader.Error.self) { try ImageHeader.read(cut) }
        }
        var empty = Self.png
        for index in 16..<20 { empty[index] = 0 }
        #expect(throws: ImageHeader.Error.emptyImage(.png, width: 0, height: 2)) { try ImageHeader.read(empty) }
    }

    @Test func pngFromTheEncoderReadsBackAsItsSize() throws {
        for (width, height, channels) in [(1, 1, 1), (7, 3, 2), (16, 9, 3), (5, 5, 4)] {
            let bytes = try PNGEncoder.encode(
                pixels: [UInt8](repeating: 9, count: width * height * channels), width: width, height: height, channels: channels)
            #expect(try ImageHeader.read(bytes) == ImageHeader(format: .png, width: width, height: height))
        }
    }
}
