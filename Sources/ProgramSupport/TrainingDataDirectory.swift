import Foundation
import MNIST

/// Where a training program's data comes from: the directory its flag names when that
/// holds the four MNIST files, else Debian's Fashion-MNIST (`apt-get install
/// dataset-fashion-mnist`; `FASHION_MNIST_DIR` overrides where it is looked for).
public enum TrainingDataDirectory {
    /// Debian's Fashion-MNIST, or `FASHION_MNIST_DIR`.
    public static let fashion = ProcessInfo.processInfo.environment["FASHION_MNIST_DIR"] ?? "/usr/share/datasets/fashion-mnist"

    /// `requested` if it holds the MNIST files, else `fashion` (saying so unless `quiet`).
    /// - Throws: `TrainingFailure` naming both places and the fixes when neither has data;
    ///   `flag` is the option that names `requested` (`--data-dir`).
    public static func choose(_ requested: String, flag: String, quiet: Bool = false) throws -> String {
        if DataSets.hasFiles(in: requested) { return requested }
        guard DataSets.hasFiles(in: fashion) else {
            throw TrainingFailure(message: """
                no training data: \(requested) lacks the four MNIST files \
                (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, \
                t10k-labels-idx1-ubyte.gz) and \(fashion) is missing. Put the MNIST files in \
                \(flag), install Fashion-MNIST with `apt-get install dataset-fashion-mnist`, \
                or pass --fake-data
                """)
        }
        if !quiet { try say("No MNIST files in \(requested); using Fashion-MNIST from \(fashion)") }
        return fashion
    }
}
