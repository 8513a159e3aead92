/// Why an IDX (MNIST) file could not be read. Each case names the file.
public enum IDXError: Error, CustomStringConvertible, Equatable {
    /// The file does not exist.
    case missingFile(String)
    /// The file could not be read or decompressed.
    case unreadable(String, reason: String)
    /// The magic number is not the expected one (images 0x00000803, labels 0x00000801).
    case badMagic(String, found: UInt32, expected: UInt32)
    /// The file holds fewer (or more) bytes than its header promises.
    case sizeMismatch(String, expected: Int, actual: Int)
    /// Images are not 28x28.
    case badDimensions(String, rows: Int, columns: Int)
    /// Image and label files disagree on the number of examples.
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    /// A label is not a class 0...9.
    case labelOutOfRange(String, index: Int, value: Int)
    /// A data set is too small for what was asked.
    case tooFewExamples(String, needed: Int, available: Int)

    public var description: String {
        switch self {
        case .missingFile(let path):
            return "\(path): no such file"
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .badMagic(let path, let found, let expected):
            return "\(path): not an IDX \(expected == IDXFile.imagesMagic ? "images" : "labels") file "
                + "(magic number 0x\(hex8(found)), expected 0x\(hex8(expected)))"
        case .sizeMismatch(let path, let expected, let actual):
            return "\(path): truncated or padded: the header promises \(expected) bytes of data, the file has \(actual)"
        case .badDimensions(let path, let rows, let columns):
            return "\(path): images are \(rows)x\(columns), expected 28x28"
        case .countMismatch(let images, let imageCount, let labels, let labelCount):
            return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
        case .labelOutOfRange(let path, let index, let value):
            return "\(path): label \(value) at index \(index) is not a class 0...9"
        case .tooFewExamples(let name, let needed, let available):
            return "\(name): \(needed) examples needed, only \(available) available"
        }
    }
}

private func hex8(_ value: UInt32) -> String {
    let hex = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 8 - hex.count)) + hex
}
