import Foundation
import TestSupport

/// Builds IDX files in a temporary directory.
enum IDXFixtures {
    static func header(magic: UInt32, dimensions: [Int]) -> [UInt8] {
        ([magic] + dimensions.map { UInt32($0) }).flatMap { word in (0..<4).reversed().map { UInt8((word >> (8 * UInt32($0))) & 0xFF) } }
    }

    static func images(count: Int, rows: Int = 28, columns: Int = 28) -> [UInt8] {
        header(magic: 0x0803, dimensions: [count, rows, columns]) + (0..<(count * rows * columns)).map { UInt8($0 % 256) }
    }

    static func labels(_ values: [UInt8]) -> [UInt8] {
        header(magic: 0x0801, dimensions: [values.count]) + values
    }

    /// A directory with the four (uncompressed) files.
    static func directory(train: Int = 12, test: Int = 4, trainLabels: [UInt8]? = nil) throws -> String {
        let directory = makeTemporaryDirectory("idx")
        try writeFileBytes(images(count: train), to: directory + "/train-images-idx3-ubyte")
        try writeFileBytes(labels(trainLabels ?? (0..<train).map { UInt8($0 % 10) }), to: directory + "/train-labels-idx1-ubyte")
        try writeFileBytes(images(count: test), to: directory + "/t10k-images-idx3-ubyte")
        try writeFileBytes(labels((0..<test).map { UInt8($0 % 10) }), to: directory + "/t10k-labels-idx1-ubyte")
        return directory
    }
}
