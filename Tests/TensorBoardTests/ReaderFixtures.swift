import Foundation

/// Event files written by real TensorFlow 2, TensorFlow 1 and tensorboardX
/// (`tools/fixtures/make-reader-fixtures.py`), one run directory each.
enum ReaderFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("Reader").path

    /// `tf.summary` in a `create_file_writer`: scalars `loss` (steps 0...4), `double`
    /// (float64) and `half` (float16), histogram `weights`, images `digits`, texts
    /// `notes` and `table`.
    static var tensorFlow2: String { root + "/tf2" }
    /// `tf.compat.v1.summary.FileWriter` with graph-mode summary ops: `loss`
    /// (`simple_value`), `weights` (`HistogramProto`), `picture/image` (`Summary.Image`),
    /// steps 0...4, and the graph.
    static var tensorFlow1: String { root + "/tf1" }
    /// TensorFlow 1 restarting at step 5: START at 0, `loss` and `accuracy` at 0...9,
    /// START at 5, `loss` at 5...7 = 105...107.
    static var tensorFlow1Restart: String { root + "/tf1-restart" }
    /// tensorboardX: `loss` (steps 0...4), `weights`, `image`, `notes/text_summary`.
    static var tensorboardX: String { root + "/tensorboardx" }

    /// The losses every fixture logs at steps 0...4.
    static let losses: [Double] = [1, 0.5, 0.25, 0.125, 0.0625]
}
