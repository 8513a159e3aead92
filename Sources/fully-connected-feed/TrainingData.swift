import Foundation
import MNIST

/// Where the data comes from: the tutorial's input dir, Debian's Fashion-MNIST, or fakes.
enum TrainingData {
    /// Debian's Fashion-MNIST; `FASHION_MNIST_DIR` overrides it.
    static let fashionDirectory = ProcessInfo.processInfo.environment["FASHION_MNIST_DIR"] ?? "/usr/share/datasets/fashion-mnist"

    static func load(_ options: FullyConnectedFeed, seed: UInt64) throws -> DataSets {
        if options.fakeData { return DataSets.fake() }
        let directory: String
        if DataSets.hasFiles(in: options.inputDataDir) {
            directory = options.inputDataDir
        } else if DataSets.hasFiles(in: fashionDirectory) {
            say("No MNIST files in \(options.inputDataDir); using Fashion-MNIST from \(fashionDirectory)")
            directory = fashionDirectory
        } else {
            throw TrainingFailure(message: """
                no training data: \(options.inputDataDir) lacks the four MNIST files \
                (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, \
                t10k-labels-idx1-ubyte.gz) and \(fashionDirectory) is missing. Put the MNIST files in \
                --input-data-dir, install Fashion-MNIST with `apt-get install dataset-fashion-mnist`, \
                or pass --fake-data
                """)
        }
        do {
            return try DataSets.read(from: directory, validationSize: options.validationSize, seed: seed)
        } catch {
            throw TrainingFailure(message: "\(error)")
        }
    }
}
