import Foundation
import Testing
@testable import MNIST
import TestSupport

struct DataSetTests {
    @Test func readDataSetsSplitsValidationFromTrain() throws {
        let directory = try IDXFixtures.directory(train: 12, test: 4)
        let sets = try DataSets.read(from: directory, validationSize: 2)
        #expect(sets.train.numExamples == 10)
        #expect(sets.validation.numExamples == 2)
        #expect(sets.test.numExamples == 4)
        #expect(sets.validation.labels == [0, 1])
        #expect(sets.train.labels.first == 2)
        #expect(try (0..<10).allSatisfy { try sets.train.image($0).allSatisfy { $0 >= 0 && $0 <= 1 } })
        #expect(try sets.validation.image(0)[1] == Float(1) / 255)
    }

    /// Any validation size, up to Int.max and below zero, is refused with a message when
    /// it leaves no training examples.
    @Test(arguments: [12, 13, Int.max, -1, Int.min])
    func validationSizesThatLeaveNoTrainingExamplesAreRefused(size: Int) throws {
        let directory = try IDXFixtures.directory(train: 12, test: 4)
        let error = #expect(throws: IDXError.self) { _ = try DataSets.read(from: directory, validationSize: size) }
        #expect(error.map { "\($0)".contains("12 available") } == true, "\(String(describing: error))")
    }

    @Test func countMismatchIsNamed() throws {
        let directory = try IDXFixtures.directory(train: 12, test: 4, trainLabels: [1, 2, 3])
        #expect(throws: IDXError.countMismatch(
            images: directory + "/train-images-idx3-ubyte", imageCount: 12,
            labels: directory + "/train-labels-idx1-ubyte", labelCount: 3)) {
            _ = try DataSets.read(from: directory, validationSize: 2)
        }
    }

    @Test func missingFileIsNamed() throws {
        let directory = try IDXFixtures.directory()
        try FileManager.default.removeItem(atPath: directory + "/t10k-images-idx3-ubyte")
        #expect(!DataSets.hasFiles(in: directory))
        #expect(throws: IDXError.missingFile(directory + "/t10k-images-idx3-ubyte.gz")) {
            _ = try DataSets.read(from: directory, validationSize: 2)
        }
    }

    @Test func batchesWalkInOrderThenReshuffleEachEpochSeeded() throws {
        let labels = (0..<10).map(Int32.init)
        let images = labels.flatMap { [Float]($0 == 0 ? [0, 0] : [Float($0), Float($0)]) }
        var a = try DataSet(images: images, labels: labels, imagePixels: 2, seed: 42)
        var b = try DataSet(images: images, labels: labels, imagePixels: 2, seed: 42)
        #expect(try a.nextBatch(4).labels == [0, 1, 2, 3])
        #expect(try a.nextBatch(4).labels == [4, 5, 6, 7])
        let third = try a.nextBatch(4)
        #expect(a.epochsCompleted == 1)
        #expect(third.labels != [8, 9, 0, 1])
        #expect(zip(third.labels, stride(from: 0, to: 8, by: 2)).allSatisfy { label, i in third.images[i] == Float(label) })
        _ = try b.nextBatch(4)
        _ = try b.nextBatch(4)
        #expect(try b.nextBatch(4).labels == third.labels)
    }

    /// Data-parallel parts: ranks with the same seed take disjoint slices of each global
    /// batch, and together exactly the batches one process with the global batch gets,
    /// across reshuffles.
    @Test func partsOfGlobalBatchesAreDisjointAndMakeUpTheWholeBatch() throws {
        let images = (0..<(13 * 2)).map { Float($0) }
        let labels = (0..<13).map { Int32($0) }
        var whole = try DataSet(images: images, labels: labels, imagePixels: 2, seed: 5)
        var parts = try (0..<3).map { _ in try DataSet(images: images, labels: labels, imagePixels: 2, seed: 5) }
        var partImages: [Float] = []
        var partLabels: [Int32] = []
        for _ in 0..<12 {  // 6 examples a step: several epochs and reshuffles
            let expected = try whole.nextBatch(6)
            var gathered: (images: [Float], labels: [Int32]) = ([], [])
            for part in 0..<3 {
                try parts[part].nextBatch(2, part: part, of: 3, into: &partImages, &partLabels)
                gathered.images += partImages
                gathered.labels += partLabels
            }
            #expect(gathered.images == expected.images)
            #expect(gathered.labels == expected.labels)
            #expect(Set(gathered.labels).count == 6)
        }
        #expect(parts.allSatisfy { $0.epochsCompleted == whole.epochsCompleted })
    }

    @Test func batchesIntoReusedArraysMatchNewBatches() throws {
        let images = (0..<(7 * 4)).map { Float($0) }
        let labels = (0..<7).map { Int32($0) }
        var fresh = try DataSet(images: images, labels: labels, imagePixels: 4, seed: 9)
        var reused = try DataSet(images: images, labels: labels, imagePixels: 4, seed: 9)
        var batchImages: [Float] = []
        var batchLabels: [Int32] = []
        for _ in 0..<10 {  // several epochs, so reshuffles are compared too
            let expected = try fresh.nextBatch(3)
            try reused.nextBatch(3, into: &batchImages, &batchLabels)
            #expect(batchImages == expected.images)
            #expect(batchLabels == expected.labels)
        }
        var fake = try DataSet.fake(numExamples: 5, imagePixels: 2)
        try fake.nextBatch(2, into: &batchImages, &batchLabels)
        #expect(batchImages == [1, 1, 1, 1] && batchLabels == [0, 0])
    }

    @Test func byteImagesServeTheTutorialsFloats() throws {
        // The tutorial converts once, `float32(byte) * (1 / 255)`; byte storage converts
        // per batch (vector and scalar paths: rows of 20 are 8 + 8 + 4 pixels) and must give
        // the same floats for every byte value, in the same order, across reshuffles.
        let bytes = (0..<(13 * 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let labels = (0..<13).map { Int32($0) }
        var fromBytes = try DataSet(pixelBytes: bytes, labels: labels, imagePixels: 20, seed: 5)
        var fromFloats = try DataSet(images: bytes.map { Float($0) * (1 / 255 as Float) }, labels: labels, imagePixels: 20, seed: 5)
        for _ in 0..<12 {
            let a = try fromBytes.nextBatch(4)
            let b = try fromFloats.nextBatch(4)
            #expect(a.images == b.images)
            #expect(a.labels == b.labels)
        }
        #expect(try fromBytes.image(12) == fromFloats.image(12))
        #expect(try DataSet(pixelBytes: [0, 255], labels: [1], imagePixels: 2).image(0) == [0, 1])
    }

    @Test func batchesGatheredInHalvesMatchWholeBatches() throws {
        // Any runner that runs both halves gives the same batches; this one runs half 1
        // first, as a second thread may.
        let bytes = (0..<(11 * 20)).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let labels = (0..<11).map { Int32($0) }
        var whole = try DataSet(pixelBytes: bytes, labels: labels, imagePixels: 20, seed: 4)
        var split = try DataSet(pixelBytes: bytes, labels: labels, imagePixels: 20, seed: 4)
        var halvesRun = 0
        let reversed: DataSet.HalvesRunner = { body in
            body(1)
            body(0)
            halvesRun += 2
        }
        var images: [Float] = []
        var batchLabels: [Int32] = []
        for batchSize in [5, 1, 4, 3, 11, 2] {
            let expected = try whole.nextBatch(batchSize)
            try split.nextBatch(batchSize, into: &images, &batchLabels, halves: reversed)
            #expect(images == expected.images)
            #expect(batchLabels == expected.labels)
        }
        #expect(halvesRun == 10)  // every batch of 2 or more rows went through the runner
    }

    @Test func fakeDataIsTheTutorials() throws {
        var sets = DataSets.fake()
        #expect(sets.train.numExamples == 55_000)
        let batch = try sets.train.nextBatch(3)
        #expect(batch.images == [Float](repeating: 1, count: 3 * 784))
        #expect(batch.labels == [0, 0, 0])
    }

    @Test func realFashionMNISTLoadsQuickly() throws {
        let start = Date()
        let sets = try DataSets.read(from: IDXFileTests.fashion)
        #expect(sets.train.numExamples == 55_000)
        #expect(sets.validation.numExamples == 5000)
        #expect(sets.test.numExamples == 10_000)
        #expect(try sets.train.image(54_999).count == 784)
        print("Fashion-MNIST loaded in \(Date().timeIntervalSince(start)) s (debug build)")
    }
}
