import Randomness
import CPixels

/// Examples with their labels, served in batches as the tutorial's `DataSet` serves them:
/// in order, reshuffled (seeded) each time an epoch ends. Shuffling permutes an index, so
/// the pixels are stored once and never copied.
///
/// Images read from IDX files stay bytes (55 000 MNIST images are 43 MB, not 172 MB of
/// floats) and become floats in [0, 1] as each batch is gathered: the tutorial's
/// `float32(byte) * (1 / 255)`, bit for bit. A batch then reads a quarter of the memory.
public struct DataSet: Sendable {
    /// Pixel storage: the file's bytes, floats given by the caller, or the fake data.
    private enum Pixels: Sendable {
        case bytes([UInt8])
        case floats([Float])
        case fake
    }

    /// Class labels.
    public let labels: [Int32]
    public let imagePixels: Int
    public var isFake: Bool {
        if case .fake = pixels { return true }
        return false
    }
    public let numExamples: Int
    public private(set) var epochsCompleted = 0
    private let pixels: Pixels
    private var indexInEpoch = 0
    /// The example order of the current epoch (identity until the first reshuffle).
    private var order: [Int32]
    private var generator: SplitMix64

    /// The scale from a pixel byte to its float, as the tutorial's `numpy.multiply(images,
    /// 1.0 / 255.0)` on a float32 array applies it.
    public static let byteScale: Float = 1 / 255

    /// The most examples a data set holds (its shuffled order is int32 indices).
    public static let maximumExamples = Int(Int32.max)

    /// A data set over row-major float pixels (`numExamples * imagePixels`) and labels.
    /// - Throws: `DataSetError` when `imagePixels` is below 1, there are more than
    ///   `maximumExamples` labels, or `images.count` is not `labels.count * imagePixels`.
    public init(images: [Float], labels: [Int32], imagePixels: Int = 784, seed: UInt64 = 0) throws(DataSetError) {
        try Self.check(pixels: images.count, labels: labels.count, imagePixels: imagePixels)
        self.init(pixels: .floats(images), labels: labels, imagePixels: imagePixels, seed: seed)
    }

    /// A data set over row-major pixel bytes (0...255, served as `byte * byteScale`) and labels.
    /// - Throws: `DataSetError`, as `init(images:labels:imagePixels:seed:)`.
    public init(pixelBytes: [UInt8], labels: [Int32], imagePixels: Int = 784, seed: UInt64 = 0) throws(DataSetError) {
        try Self.check(pixels: pixelBytes.count, labels: labels.count, imagePixels: imagePixels)
        self.init(pixels: .bytes(pixelBytes), labels: labels, imagePixels: imagePixels, seed: seed)
    }

    /// Throws unless `pixels` holds one image of `imagePixels` (at least 1) per label.
    private static func check(pixels: Int, labels: Int, imagePixels: Int) throws(DataSetError) {
        guard imagePixels >= 1 else { throw .invalidImagePixels(imagePixels) }
        guard labels <= maximumExamples else { throw .invalidExampleCount(labels, imagePixels: imagePixels) }
        let (expected, overflow) = labels.multipliedReportingOverflow(by: imagePixels)
        guard !overflow, pixels == expected else {
            throw .pixelCountMismatch(pixels: pixels, labels: labels, imagePixels: imagePixels)
        }
    }

    private init(pixels: Pixels, labels: [Int32], imagePixels: Int, seed: UInt64) {
        self.pixels = pixels
        self.labels = labels
        self.imagePixels = imagePixels
        numExamples = labels.count
        generator = SplitMix64(seed: seed)
        // labels.count <= maximumExamples (checked by the public initializers).
        order = (0..<Int32(labels.count)).map { $0 }
    }

    /// The tutorial's fake data: every image all ones, every label 0.
    /// - Throws: `DataSetError` when `imagePixels` is below 1, or `numExamples` is negative,
    ///   above `maximumExamples`, or has more pixels than `Int` counts.
    public static func fake(numExamples: Int = 10_000, imagePixels: Int = 784) throws(DataSetError) -> DataSet {
        guard imagePixels >= 1 else { throw .invalidImagePixels(imagePixels) }
        guard (0...maximumExamples).contains(numExamples), !numExamples.multipliedReportingOverflow(by: imagePixels).overflow
        else {
            throw .invalidExampleCount(numExamples, imagePixels: imagePixels)
        }
        return DataSet(fakeCount: numExamples, imagePixels: imagePixels)
    }

    /// Fake data of a count and size `fake` accepts (`DataSets.fake()` passes constants).
    init(fakeCount: Int, imagePixels: Int) {
        pixels = .fake
        labels = []
        self.imagePixels = imagePixels
        numExamples = fakeCount
        generator = SplitMix64(seed: 0)
        order = []
    }

    /// Example `index`'s pixels as the batches serve them.
    /// - Throws: `DataSetError.indexOutOfRange` unless `0 <= index < numExamples`.
    public func image(_ index: Int) throws(DataSetError) -> [Float] {
        guard index >= 0, index < numExamples else { throw .indexOutOfRange(index: index, numExamples: numExamples) }
        var image = [Float](repeating: 0, count: imagePixels)
        let row: [Int32] = [Int32(index)]  // index < numExamples <= maximumExamples
        image.withUnsafeMutableBufferPointer { buffer in
            if let target = buffer.baseAddress { gather(row[...], into: target) }
        }
        return image
    }

    /// The next `batchSize` examples: `images` is `batchSize * imagePixels` floats, `labels`
    /// `batchSize` classes. At the end of an epoch the examples are reshuffled and the
    /// batch starts the next epoch.
    /// - Throws: `DataSetError.invalidBatchSize` unless `1 <= batchSize <= numExamples`.
    public mutating func nextBatch(_ batchSize: Int) throws(DataSetError) -> (images: [Float], labels: [Int32]) {
        var images: [Float] = []
        var labels: [Int32] = []
        try nextBatch(batchSize, into: &images, &labels)
        return (images, labels)
    }

    /// Runs `body(0)` and `body(1)` (which write disjoint memory), possibly at once on two
    /// threads, returning when both are done; `Session.runInHalves` is one.
    public typealias HalvesRunner = (_ body: (_ half: Int) -> Void) -> Void

    /// The next batch, written into `images` and `labels`: a training loop that passes the
    /// same arrays each step (and lets go of the previous step's tensors) reuses their
    /// storage instead of allocating 300 KB per batch. With `halves`, the rows are gathered
    /// in two halves through it (the same batch, in less time when they run at once).
    ///
    /// With `parts` > 1 (data-parallel training, one part per process), the data set
    /// advances by a global batch of `parts * batchSize` examples, and this call returns
    /// part `part` of it: rows `part * batchSize ..< (part + 1) * batchSize`. Processes that
    /// share the seed thus take disjoint parts of every epoch's one shuffled order, and
    /// together see exactly the batches one process with `parts * batchSize` would.
    /// - Throws: `DataSetError.invalidPart` unless `0 <= part < parts`;
    ///   `DataSetError.invalidBatchSize` unless `1 <= batchSize` and `parts * batchSize <= numExamples`.
    ///   Nothing is read or advanced then.
    public mutating func nextBatch(
        _ batchSize: Int, part: Int = 0, of parts: Int = 1, into images: inout [Float], _ labels: inout [Int32],
        halves: HalvesRunner? = nil
    ) throws(DataSetError) {
        // One check: batchSize <= numExamples / parts is parts * batchSize <= numExamples,
        // without the product's overflow.
        guard part >= 0, part < parts, batchSize >= 1, batchSize <= numExamples / parts else {
            throw Self.batchError(batchSize, part: part, parts: parts, numExamples: numExamples)
        }
        let globalBatch = batchSize * parts
        let pixelCount = batchSize * imagePixels  // at most numExamples * imagePixels, which fits
        if images.count != pixelCount { images = [Float](repeating: 0, count: pixelCount) }
        if labels.count != batchSize { labels = [Int32](repeating: 0, count: batchSize) }
        if isFake {
            images.withUnsafeMutableBufferPointer { $0.update(repeating: 1) }
            labels.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            return
        }
        var start = indexInEpoch
        indexInEpoch += globalBatch
        if indexInEpoch > numExamples {
            epochsCompleted += 1
            shuffle()
            start = 0
            indexInEpoch = globalBatch
        }
        let rows = order[(start + part * batchSize)..<(start + (part + 1) * batchSize)]
        images.withUnsafeMutableBufferPointer { buffer in
            guard let target = buffer.baseAddress else { return }  // never: batchSize * imagePixels >= 1
            if let halves, rows.count >= 2 {
                let middle = rows.startIndex + rows.count / 2
                halves { half in
                    let part = half == 0 ? rows[..<middle] : rows[middle...]
                    gather(part, into: target + (part.startIndex - rows.startIndex) * imagePixels)
                }
            } else {
                gather(rows, into: target)
            }
        }
        for (row, index) in rows.enumerated() { labels[row] = self.labels[Int(index)] }
    }

    /// Why `nextBatch` refused (off the hot path).
    private static func batchError(_ batchSize: Int, part: Int, parts: Int, numExamples: Int) -> DataSetError {
        guard part >= 0, part < parts else { return .invalidPart(part: part, parts: parts) }
        return .invalidBatchSize(batchSize, parts: parts, numExamples: numExamples)
    }

    /// Writes the examples at `indices` as consecutive rows of floats at `target`.
    private func gather(_ indices: ArraySlice<Int32>, into target: UnsafeMutablePointer<Float>) {
        let count = imagePixels
        switch pixels {
        case .bytes(let bytes):
            // Rows are prefetched ahead of the conversion (CPixels): random rows from
            // 43 MB would otherwise each wait on memory.
            bytes.withUnsafeBufferPointer { source in
                indices.withUnsafeBufferPointer { rows in
                    c_pixels_gather_scaled(source.baseAddress, count, rows.baseAddress, rows.count, Self.byteScale, target)
                }
            }
        case .floats(let floats):
            floats.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }  // never: a row to gather has pixels
                for (row, index) in indices.enumerated() {
                    (target + row * count).update(from: base + Int(index) * count, count: count)
                }
            }
        case .fake:
            target.update(repeating: 1, count: indices.count * count)
        }
    }

    /// A new seeded permutation; the data itself never moves.
    private mutating func shuffle() {
        order.shuffle(using: &generator)
    }
}
