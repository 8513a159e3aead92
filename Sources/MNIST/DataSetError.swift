/// Why a `DataSet` could not be made, or could not serve what was asked. Each message
/// names the problem and the fix.
public enum DataSetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `imagePixels` is below 1.
    case invalidImagePixels(Int)
    /// The pixels are not `labels * imagePixels` values (one image per label).
    case pixelCountMismatch(pixels: Int, labels: Int, imagePixels: Int)
    /// The example count is negative or above `DataSet.maximumExamples`, or (for
    /// `DataSet.fake`) its pixels (`examples * imagePixels`) pass `Int.max`; the initializers
    /// over pixels report pixels that do not match the labels as `pixelCountMismatch`.
    case invalidExampleCount(Int, imagePixels: Int)
    /// `image(_:)` was asked for an example outside `0..<numExamples`.
    case indexOutOfRange(index: Int, numExamples: Int)
    /// `nextBatch` was asked for a part outside `0..<parts`, or for fewer than 1 part.
    case invalidPart(part: Int, parts: Int)
    /// `nextBatch` was asked for a batch size below 1, or for more examples per global batch
    /// (`batchSize * parts`) than the data set holds.
    case invalidBatchSize(Int, parts: Int, numExamples: Int)

    public var description: String {
        switch self {
        case .invalidImagePixels(let pixels):
            return "DataSet: imagePixels is \(pixels); pass the number of pixels of one image (784 for 28x28)"
        case .pixelCountMismatch(let pixels, let labels, let imagePixels):
            return "DataSet: \(pixels) pixels for \(labels) labels of \(imagePixels) pixels each; pass one image "
                + "(imagePixels values) per label, row after row"
        case .invalidExampleCount(let examples, let imagePixels):
            return "DataSet: \(examples) examples of \(imagePixels) pixels; a data set holds 0...\(DataSet.maximumExamples) "
                + "examples whose pixels Int counts"
        case .indexOutOfRange(let index, let numExamples):
            return "DataSet: no example \(index) among \(numExamples); pass an index in 0..<\(numExamples)"
        case .invalidPart(let part, let parts):
            return "DataSet.nextBatch: part \(part) of \(parts); pass at least 1 part and a part in 0..<parts"
        case .invalidBatchSize(let batchSize, _, let numExamples) where numExamples <= 0:
            return "DataSet.nextBatch: batch size \(batchSize) for a data set of no examples; give it examples first"
        case .invalidBatchSize(let batchSize, let parts, let numExamples) where parts == 1:
            return "DataSet.nextBatch: batch size \(batchSize) for \(numExamples) examples; pass a batch size in "
                + "1...\(numExamples)"
        case .invalidBatchSize(let batchSize, let parts, let numExamples):
            return "DataSet.nextBatch: batch size \(batchSize) in each of \(parts) parts for \(numExamples) examples; "
                + "pass a batch size of at least 1 whose \(parts) parts together hold at most \(numExamples) examples"
        }
    }
}
