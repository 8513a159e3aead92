import Foundation

/// Train, validation and test sets (the tutorial's `input_data.read_data_sets`).
public struct DataSets: Sendable {
    public var train: DataSet
    public var validation: DataSet
    public var test: DataSet
    /// The directory the files were read from (nil for fake data).
    public let directory: String?

    /// The four files of MNIST and Fashion-MNIST.
    public static let fileNames = (
        trainImages: "train-images-idx3-ubyte.gz", trainLabels: "train-labels-idx1-ubyte.gz",
        testImages: "t10k-images-idx3-ubyte.gz", testLabels: "t10k-labels-idx1-ubyte.gz"
    )

    /// Whether `directory` holds the four files (gzipped, or unzipped without `.gz`).
    public static func hasFiles(in directory: String) -> Bool {
        [fileNames.trainImages, fileNames.trainLabels, fileNames.testImages, fileNames.testLabels].allSatisfy {
            locate($0, in: directory) != nil
        }
    }

    static func locate(_ name: String, in directory: String) -> String? {
        let gz = (directory as NSString).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: gz) { return gz }
        let raw = String(gz.dropLast(3))
        return FileManager.default.fileExists(atPath: raw) ? raw : nil
    }

    /// Reads the four files from `directory`: the first `validationSize` training examples
    /// become the validation set (5 000 of MNIST's 60 000 leave 55 000 to train on).
    /// - Throws: `IDXError` naming the file that is missing, damaged or inconsistent.
    public static func read(from directory: String, validationSize: Int = 5000, seed: UInt64 = 0) throws(IDXError) -> DataSets {
        func path(_ name: String) throws(IDXError) -> String {
            guard let found = locate(name, in: directory) else {
                throw .missingFile((directory as NSString).appendingPathComponent(name))
            }
            return found
        }
        let trainImagesPath = try path(fileNames.trainImages)
        let trainLabelsPath = try path(fileNames.trainLabels)
        let testImagesPath = try path(fileNames.testImages)
        let testLabelsPath = try path(fileNames.testLabels)
        let trainImages = try IDXFile.readImages(trainImagesPath)
        let trainLabels = try IDXFile.readLabels(trainLabelsPath)
        let testImages = try IDXFile.readImages(testImagesPath)
        let testLabels = try IDXFile.readLabels(testLabelsPath)
        guard trainImages.count == trainLabels.count else {
            throw .countMismatch(images: trainImagesPath, imageCount: trainImages.count, labels: trainLabelsPath, labelCount: trainLabels.count)
        }
        guard testImages.count == testLabels.count else {
            throw .countMismatch(images: testImagesPath, imageCount: testImages.count, labels: testLabelsPath, labelCount: testLabels.count)
        }
        guard validationSize >= 0, validationSize < trainImages.count else {
            // One more than the validation set, for the training set (no overflow at Int.max).
            let needed = validationSize < 0 ? 1 : (validationSize == .max ? .max : validationSize + 1)
            throw .tooFewExamples("validation set", needed: needed, available: trainImages.count)
        }
        let pixels = 28 * 28
        let trainLabels32 = trainLabels.map { Int32($0) }
        let split = validationSize * pixels
        // The IDX checks above make each set's pixels and labels agree; a file of more
        // than `DataSet.maximumExamples` images is still refused here, naming it.
        func dataSet(_ pixelBytes: [UInt8], _ labels: [Int32], from path: String) throws(IDXError) -> DataSet {
            do throws(DataSetError) {
                return try DataSet(pixelBytes: pixelBytes, labels: labels, seed: seed)
            } catch {
                throw .unreadable(path, reason: error.description)
            }
        }
        return DataSets(
            train: try dataSet(Array(trainImages.pixels[split...]), Array(trainLabels32[validationSize...]), from: trainImagesPath),
            validation: try dataSet(Array(trainImages.pixels[..<split]), Array(trainLabels32[..<validationSize]), from: trainImagesPath),
            test: try dataSet(testImages.pixels, testLabels.map { Int32($0) }, from: testImagesPath),
            directory: directory)
    }

    /// The tutorial's `--fake_data` sets.
    public static func fake() -> DataSets {
        DataSets(
            train: DataSet(fakeCount: 55_000, imagePixels: 784), validation: DataSet(fakeCount: 5000, imagePixels: 784),
            test: DataSet(fakeCount: 10_000, imagePixels: 784), directory: nil)
    }
}
