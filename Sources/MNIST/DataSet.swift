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
        precondition(batchSize > 0 && batchSize <= numExamples, "nextBatch: batch size \(batchSize) for \(numExamples) examples")
        if isFake {
            return ([Float](repeating: 1, count: batchSize * imagePixels), [Int32](repeating: 0, count: batchSize))
        }
        var start = indexInEpoch
        indexInEpoch += batchSize
        if indexInEpoch > numExamples {
            epochsCompleted += 1
            shuffle()
            start = 0
            indexInEpoch = batchSize
        }
        return gather(order[start..<indexInEpoch])
    }

    /// Copies the examples at `indices` into a new batch.
    private func gather(_ indices: ArraySlice<Int32>) -> (images: [Float], labels: [Int32]) {
        let pixels = imagePixels
        let batchImages = [Float](unsafeUninitializedCapacity: indices.count * pixels) { buffer, count in
            images.withUnsafeBufferPointer { source in
                for (row, index) in indices.enumerated() {
                    (buffer.baseAddress! + row * pixels).initialize(from: source.baseAddress! + Int(index) * pixels, count: pixels)
                }
            }
            count = indices.count * pixels
        }
        return (batchImages, indices.map { labels[Int($0)] })
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
