import Testing
import TensorBoard
import TestSupport

struct RunReaderImageTests {
    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    @Test func ourImagesRoundTrip() throws {
        let gray = try SummaryImage(pixels: [0, 128, 255, 64], width: 2, height: 2, channels: 1)
        let rgba = try SummaryImage(pixels: Array(repeating: 200, count: 16), width: 2, height: 2, channels: 4)
        let writer = try makeWriter()
        try writer.add(images: [gray, rgba], tag: "samples", step: 3)
        try writer.close()
        let images = try RunReader(path: writer.logDirectory).images(tag: "samples")
        #expect(images.count == 1)
        let image = try #require(images.first)
        #expect(image.step == 3 && image.width == 2 && image.height == 2)
        #expect(image.colorspace == 1)
        #expect(image.encodedImages.count == 2)
        #expect(image.encodedImages.allSatisfy { $0.starts(with: Self.pngSignature) })
    }

    /// TensorFlow 2's string tensor: `[4, 3, png, png]` for two 4x3 gray images.
    @Test func tensorFlow2Tensor() throws {
        let images = try RunReader(path: ReaderFixtures.tensorFlow2).images(tag: "digits")
        #expect(images.map(\.step) == [0])
        #expect(images.first?.width == 4 && images.first?.height == 3)
        #expect(images.first?.colorspace == 1)
        #expect(images.first?.encodedImages.count == 2)
        #expect(images.first?.encodedImages.allSatisfy { $0.starts(with: Self.pngSignature) } == true)
    }

    /// TensorFlow 1 and tensorboardX write `Summary.Image` (width, height, colorspace).
    @Test func summaryImageFromTensorFlow1AndTensorboardX() throws {
        let tensorFlow = try RunReader(path: ReaderFixtures.tensorFlow1).images(tag: "picture/image")
        #expect(tensorFlow.map(\.step) == [0, 1, 2, 3, 4])
        #expect(tensorFlow.allSatisfy { $0.width == 3 && $0.height == 2 && $0.colorspace == 3 && $0.encodedImages.count == 1 })
        let tensorboardX = try RunReader(path: ReaderFixtures.tensorboardX).images(tag: "image")
        #expect(tensorboardX.count == 1)
        #expect(tensorboardX.first?.width == 4 && tensorboardX.first?.height == 2 && tensorboardX.first?.colorspace == 3)
        #expect(tensorboardX.first?.encodedImages.first?.starts(with: Self.pngSignature) == true)
    }
}
