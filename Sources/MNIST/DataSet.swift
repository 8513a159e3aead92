/// Examples with their labels, served in batches as the tutorial's `DataSet` serves them:
/// in order, reshuffled (seeded) each time an epoch ends.
public struct DataSet: Sendable {
    /// Pixels in [0, 1], `numExamples` rows of `imagePixels`.
    public private(set) var images: [Float]
    /// Class labels.
    public private(set) var labels: [Int32]
    public let imagePixels: Int
    public let isFake: Bool
    public let numExamples: Int
    public private(set) var epochsCompleted = 0
    private var indexInEpoch = 0
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
        let end = indexInEpoch
        return (Array(images[(start * imagePixels)..<(end * imagePixels)]), Array(labels[start..<end]))
    }

    /// Examples `range` (for evaluation, which walks a data set in order).
    public func examples(_ range: Range<Int>) -> (images: [Float], labels: [Int32]) {
        if isFake {
            return ([Float](repeating: 1, count: range.count * imagePixels), [Int32](repeating: 0, count: range.count))
        }
        return (Array(images[(range.lowerBound * imagePixels)..<(range.upperBound * imagePixels)]), Array(labels[range]))
    }

    private mutating func shuffle() {
        var order = Array(0..<numExamples)
        order.shuffle(using: &generator)
        var shuffledImages = [Float](repeating: 0, count: images.count)
        shuffledImages.withUnsafeMutableBufferPointer { out in
            images.withUnsafeBufferPointer { source in
                for (row, index) in order.enumerated() {
                    let from = source.baseAddress! + index * imagePixels
                    (out.baseAddress! + row * imagePixels).update(from: from, count: imagePixels)
                }
            }
        }
        images = shuffledImages
        labels = order.map { labels[$0] }
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
