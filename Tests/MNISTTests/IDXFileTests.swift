import Foundation
import Testing
@testable import MNIST
import TestSupport

struct IDXFileTests {
    @Test func readsImagesAndLabels() throws {
        let directory = try IDXFixtures.directory()
        let images = try IDXFile.readImages(directory + "/train-images-idx3-ubyte")
        #expect(images.count == 12 && images.rows == 28 && images.columns == 28)
        #expect(images.pixels.count == 12 * 784)
        #expect(try IDXFile.readLabels(directory + "/train-labels-idx1-ubyte") == (0..<12).map { UInt8($0 % 10) })
    }

    @Test func wrongMagicIsNamed() throws {
        let directory = try IDXFixtures.directory()
        let path = directory + "/train-images-idx3-ubyte"
        try writeFileBytes(IDXFixtures.labels([1, 2]), to: path)
        #expect(throws: IDXError.badMagic(path, found: 0x0801, expected: 0x0803)) { _ = try IDXFile.readImages(path) }
    }

    @Test func truncatedFileIsASizeMismatch() throws {
        let directory = try IDXFixtures.directory()
        let path = directory + "/train-images-idx3-ubyte"
        var bytes = try readFileBytes(path)
        bytes.removeLast(10)
        try writeFileBytes(bytes, to: path)
        #expect(throws: IDXError.sizeMismatch(path, expected: 12 * 784, actual: 12 * 784 - 10)) { _ = try IDXFile.readImages(path) }
        try writeFileBytes([0, 0], to: path)
        #expect(throws: IDXError.sizeMismatch(path, expected: 4, actual: 2)) { _ = try IDXFile.readImages(path) }
    }

    @Test func hugeDimensionsDoNotOverflowOrAllocate() throws {
        let path = makeTemporaryDirectory("huge") + "/images"
        try writeFileBytes(IDXFixtures.header(magic: 0x0803, dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF]), to: path)
        #expect(throws: IDXError.self) { _ = try IDXFile.readImages(path) }
    }

    @Test func wrongImageSizeIsNamed() throws {
        let path = makeTemporaryDirectory("dims") + "/images"
        try writeFileBytes(IDXFixtures.images(count: 1, rows: 32, columns: 32), to: path)
        #expect(throws: IDXError.badDimensions(path, rows: 32, columns: 32)) { _ = try IDXFile.readImages(path) }
    }

    @Test func labelOutOfRangeIsNamed() throws {
        let path = makeTemporaryDirectory("labels") + "/labels"
        try writeFileBytes(IDXFixtures.labels([1, 2, 10]), to: path)
        #expect(throws: IDXError.labelOutOfRange(path, index: 2, value: 10)) { _ = try IDXFile.readLabels(path) }
    }

    @Test func missingFileIsNamed() {
        #expect(throws: IDXError.missingFile("/nonexistent/t10k-labels-idx1-ubyte")) {
            _ = try IDXFile.readLabels("/nonexistent/t10k-labels-idx1-ubyte")
        }
    }

    static let fashion = "/usr/share/datasets/fashion-mnist"

    @Test func gzippedRealFileAndDamagedGzip() throws {
        let labels = try IDXFile.readLabels(Self.fashion + "/t10k-labels-idx1-ubyte.gz")
        #expect(labels.count == 10_000)
        #expect(Set(labels) == Set(0...9))
        var bytes = try readFileBytes(Self.fashion + "/t10k-labels-idx1-ubyte.gz")
        bytes.removeLast(100)
        let path = makeTemporaryDirectory("gz") + "/t10k-labels-idx1-ubyte.gz"
        try writeFileBytes(bytes, to: path)
        #expect {
            _ = try IDXFile.readLabels(path)
        } throws: { error in
            guard case .unreadable(let file, let reason) = error as? IDXError else { return false }
            return file == path && reason.contains("gzip")
        }
    }
}
