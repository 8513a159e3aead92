import MNIST

/// IDX bytes, raw or gzipped, read as images and as labels. Properties: what parses has
/// exactly the pixels its dimensions promise; labels are all in range.
enum IDXParserTarget {
    static func run(_ bytes: [UInt8]) {
        if let images = try? IDXFile.images(from: bytes, name: "fuzz") {
            FuzzCheck.require(images.pixels.count == images.count * images.rows * images.columns, "pixel count disagrees with dimensions")
        }
        if let labels = try? IDXFile.labels(from: bytes, name: "fuzz") {
            FuzzCheck.require(labels.allSatisfy { $0 < 10 }, "a label out of range was accepted")
        }
    }

    /// Two 28x28 images and three labels, raw (`tools/fuzz/run --seeds` adds gzipped copies).
    static func seeds() -> [[UInt8]] {
        func header(_ magic: UInt32, _ dimensions: [UInt32]) -> [UInt8] {
            ([magic] + dimensions).flatMap { word in (0..<4).reversed().map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
        }
        let images = header(IDXFile.imagesMagic, [2, 28, 28]) + (0..<(2 * 28 * 28)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let labels = header(IDXFile.labelsMagic, [3]) + [0, 9, 4]
        return [images, labels]
    }
}
