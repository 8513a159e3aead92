/// Examples with their labels, served in batches as the tutorial's `DataSet` serves them:
/// in order, reshuffled (seeded) each time an epoch ends. Shuffling permutes an index, so
/// the pixels are stored once and never copied.
public struct DataSet: Sendable {
    /// Pixels in [0, 1], `numExamples` rows of `imagePixels`.
    public let images: [Float]
    /// Class labels.
    public let labels: [Int32]
    public let imagePixels: Int
    public let isFake: Bool
    public let numExamples: Int
    public private(set) var epochsCompleted = 0
    private var indexInEpoch = 0
    /// The example order of the current epoch (identity until the first reshuffle).
    private var order: [Int32]
    private var generator: SplitMix

    /// A data set over row-major pixels (`numExamples * imagePixels`) and labels.
    public init(images: [Float], labels: [Int32], imagePixels: Int = 784, seed: UInt64 = 0) {
        precondition(images.count == labels.count * imagePixels, "DataSet: images and labels disagree")
        self.images = images
        self.labels = labels
        self.imagePixels = imagePixels
        numExamples = labels.count
        isFake = false
        generator = SplitMix(seed: seed)
        order = (0..<Int32(labels.count)).map { $0 }
    }

    /// The tutorial's fake data: every image all ones, every label 0.
    public static func fake(numExamples: Int = 10_000, imagePixels: Int = 784) -> DataSet {
        DataSet(fakeCount: numExamples, imagePixels: imagePixels)
    }

    private init(fakeCount: Int, imagePixels: Int) {
        images = []
        labels = []
        self.imagePixels = imagePixels
        numExamples = fakeCount
        isFake = true
        generator = SplitMix(seed: 0)
        order = []
    }

    /// The next `batchSize` examples: `images` is `batchSize * imagePixels` floats, `labels`
    /// `batchSize` classes. At the end of an epoch the examples are reshuffled and the
    /// batch starts the next epoch.
    /// - Precondition: `0 < batchSize <= numExamples` (checked by the programs' flags).
    public mutating func nextBatch(_ batchSize: Int) -> (images: [Float], labels: [Int32]) {
        var images: [Float] = []
        var labels: [Int32] = []
        nextBatch(batchSize, into: &images, &labels)
        return (images, labels)
    }

    /// The next batch, written into `images` and `labels`: a training loop that passes the
    /// same arrays each step (and lets go of the previous step's tensors) reuses their
    /// storage instead of allocating 300 KB per batch.
    /// - Precondition: `0 < batchSize <= numExamples`.
    public mutating func nextBatch(_ batchSize: Int, into images: inout [Float], _ labels: inout [Int32]) {
        precondition(batchSize > 0 && batchSize <= numExamples, "nextBatch: batch size \(batchSize) for \(numExamples) examples")
        let pixels = batchSize * imagePixels
        if images.count != pixels { images = [Float](repeating: 0, count: pixels) }
        if labels.count != batchSize { labels = [Int32](repeating: 0, count: batchSize) }
        if isFake {
            images.withUnsafeMutableBufferPointer { $0.update(repeating: 1) }
            labels.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            return
        }
        var start = indexInEpoch
        indexInEpoch += batchSize
        if indexInEpoch > numExamples {
            epochsCompleted += 1
            shuffle()
            start = 0
            indexInEpoch = batchSize
        }
        gather(order[start..<indexInEpoch], into: &images, &labels)
    }

    /// Copies the examples at `indices` into the batch arrays (already the right size).
    private func gather(_ indices: ArraySlice<Int32>, into batchImages: inout [Float], _ batchLabels: inout [Int32]) {
        let pixels = imagePixels
        batchImages.withUnsafeMutableBufferPointer { buffer in
            images.withUnsafeBufferPointer { source in
                for (row, index) in indices.enumerated() {
                    (buffer.baseAddress! + row * pixels).update(from: source.baseAddress! + Int(index) * pixels, count: pixels)
                }
            }
        }
        for (row, index) in indices.enumerated() { batchLabels[row] = labels[Int(index)] }
    }

    /// Examples `range` (for evaluation, which walks a data set in order).
    public func examples(_ range: Range<Int>) -> (images: [Float], labels: [Int32]) {
        if isFake {
            return ([Float](repeating: 1, count: range.count * imagePixels), [Int32](repeating: 0, count: range.count))
        }
        return (Array(images[(range.lowerBound * imagePixels)..<(range.upperBound * imagePixels)]), Array(labels[range]))
    }

    /// A new seeded permutation; the data itself never moves.
    private mutating func shuffle() {
        order.shuffle(using: &generator)
    }
}

/// A small seeded generator for shuffling.
struct SplitMix: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
