import Testing
import MNIST

/// Every value a user passes to `DataSet` either works or is a thrown `DataSetError` naming
/// the problem; nothing traps, and a refused batch leaves the data set where it was.
struct DataSetErrorTests {
    static let labels: [Int32] = [0, 1, 2, 3, 4]
    static let images = (0..<10).map { Float($0) }

    @Test func pixelsThatDoNotMatchTheLabelsAreNamed() throws {
        #expect(throws: DataSetError.pixelCountMismatch(pixels: 9, labels: 5, imagePixels: 2)) {
            try DataSet(images: Array(Self.images.dropLast()), labels: Self.labels, imagePixels: 2)
        }
        #expect(throws: DataSetError.pixelCountMismatch(pixels: 11, labels: 5, imagePixels: 2)) {
            try DataSet(pixelBytes: [UInt8](repeating: 0, count: 11), labels: Self.labels, imagePixels: 2)
        }
        // labels * imagePixels past Int.max: no array holds that many pixels.
        #expect(throws: DataSetError.pixelCountMismatch(pixels: 0, labels: 5, imagePixels: Int.max)) {
            try DataSet(images: [], labels: Self.labels, imagePixels: Int.max)
        }
        let error = #expect(throws: DataSetError.self) {
            try DataSet(images: Array(Self.images.dropLast()), labels: Self.labels, imagePixels: 2)
        }
        #expect(
            error?.description
                == "DataSet: 9 pixels for 5 labels of 2 pixels each; pass one image (imagePixels values) per label, row after row")
    }

    @Test func imagePixelsBelowOneAreRefused() throws {
        for pixels in [0, -784] {
            #expect(throws: DataSetError.invalidImagePixels(pixels)) { try DataSet(images: [], labels: [], imagePixels: pixels) }
            #expect(throws: DataSetError.invalidImagePixels(pixels)) { try DataSet(pixelBytes: [], labels: [], imagePixels: pixels) }
            #expect(throws: DataSetError.invalidImagePixels(pixels)) { try DataSet.fake(numExamples: 3, imagePixels: pixels) }
        }
        let error = #expect(throws: DataSetError.self) { try DataSet(images: [], labels: [], imagePixels: 0) }
        #expect(error?.description == "DataSet: imagePixels is 0; pass the number of pixels of one image (784 for 28x28)")
    }

    @Test func fakeExampleCountsOutOfRangeAreRefused() throws {
        #expect(throws: DataSetError.invalidExampleCount(-1, imagePixels: 784)) { try DataSet.fake(numExamples: -1) }
        #expect(throws: DataSetError.invalidExampleCount(Int.max, imagePixels: 784)) { try DataSet.fake(numExamples: Int.max) }
        #expect(throws: DataSetError.invalidExampleCount(DataSet.maximumExamples, imagePixels: Int.max)) {
            try DataSet.fake(numExamples: DataSet.maximumExamples, imagePixels: Int.max)
        }
        var empty = try DataSet.fake(numExamples: 0, imagePixels: 4)
        #expect(empty.numExamples == 0)
        #expect(throws: DataSetError.invalidBatchSize(1, parts: 1, numExamples: 0)) { try empty.nextBatch(1) }
    }

    @Test func imagesOutsideTheDataSetAreRefused() throws {
        let set = try DataSet(images: Self.images, labels: Self.labels, imagePixels: 2)
        for index in [-1, 5, Int.max, Int.min] {
            #expect(throws: DataSetError.indexOutOfRange(index: index, numExamples: 5)) { try set.image(index) }
        }
        #expect(try set.image(4) == [8, 9])
        let error = #expect(throws: DataSetError.self) { try set.image(5) }
        #expect(error?.description == "DataSet: no example 5 among 5; pass an index in 0..<5")
        let fake = try DataSet.fake(numExamples: 2, imagePixels: 3)
        #expect(throws: DataSetError.indexOutOfRange(index: 2, numExamples: 2)) { try fake.image(2) }
        #expect(try fake.image(1) == [1, 1, 1])
    }

    @Test func batchSizesOutOfRangeAreRefused() throws {
        var set = try DataSet(images: Self.images, labels: Self.labels, imagePixels: 2)
        for size in [0, -3, 6, Int.max, Int.min] {
            #expect(throws: DataSetError.invalidBatchSize(size, parts: 1, numExamples: 5)) { try set.nextBatch(size) }
        }
        var images: [Float] = []
        var labels: [Int32] = []
        // 3 parts of 2 are 6 examples, more than 5; Int.max parts of 2 would overflow.
        #expect(throws: DataSetError.invalidBatchSize(2, parts: 3, numExamples: 5)) {
            try set.nextBatch(2, part: 0, of: 3, into: &images, &labels)
        }
        #expect(throws: DataSetError.invalidBatchSize(2, parts: Int.max, numExamples: 5)) {
            try set.nextBatch(2, part: 0, of: Int.max, into: &images, &labels)
        }
        let error = #expect(throws: DataSetError.self) { try set.nextBatch(6) }
        #expect(error?.description == "DataSet.nextBatch: batch size 6 for 5 examples; pass a batch size in 1...5")
        let partsError = #expect(throws: DataSetError.self) { try set.nextBatch(2, part: 0, of: 3, into: &images, &labels) }
        #expect(
            partsError?.description
                == "DataSet.nextBatch: batch size 2 in each of 3 parts for 5 examples; pass a batch size of at least 1 "
                + "whose 3 parts together hold at most 5 examples")
        // Nothing was served or advanced: the first batch is still the first.
        #expect(try set.nextBatch(5).labels == Self.labels)
        #expect(set.epochsCompleted == 0)
    }

    @Test func partsOutOfRangeAreRefused() throws {
        var set = try DataSet(images: Self.images, labels: Self.labels, imagePixels: 2)
        var images: [Float] = []
        var labels: [Int32] = []
        for (part, parts) in [(2, 2), (-1, 2), (0, 0), (0, -1), (Int.max, 2)] {
            #expect(throws: DataSetError.invalidPart(part: part, parts: parts)) {
                try set.nextBatch(1, part: part, of: parts, into: &images, &labels)
            }
        }
        let error = #expect(throws: DataSetError.self) { try set.nextBatch(1, part: 2, of: 2, into: &images, &labels) }
        #expect(error?.description == "DataSet.nextBatch: part 2 of 2; pass at least 1 part and a part in 0..<parts")
        try set.nextBatch(2, part: 1, of: 2, into: &images, &labels)
        #expect(labels == [2, 3])
    }
}
