import TFGraph
import Foundation
import TFRecord

/// Which checkpoint files belong to a run directory. A checkpoint is the run's only when
/// its files lie inside the directory once symbolic links and `..` are resolved, and only
/// the run's own checkpoints are ever deleted.
enum CheckpointPaths {
    /// The name inside `directory` that `path` (as a `checkpoint` file records it: a bare
    /// name, a relative or an absolute path) refers to, or nil when it lies elsewhere.
    static func localName(_ path: String, in directory: String) -> String? {
        let name = (path as NSString).lastPathComponent
        guard !name.isEmpty, name != ".", name != "..", !name.hasPrefix(".tmp-") else { return nil }
        guard path.contains("/") else { return name }
        let parent = (path as NSString).deletingLastPathComponent
        let absoluteParent = parent.hasPrefix("/") ? parent : join(directory, parent)
        guard let resolvedParent = PosixFile.resolvedPath(absoluteParent), let resolvedDirectory = PosixFile.resolvedPath(directory),
              resolvedParent == resolvedDirectory
        else { return nil }
        return name
    }

    /// Deletes the index, data and meta files of checkpoint `name` in `directory`: regular
    /// files only (a link planted under such a name is left alone).
    static func removeCheckpoint(named name: String, in directory: String) {
        guard !name.contains("/") else { return }
        let prefix = join(directory, name)
        for path in [TensorBundle.indexPath(prefix), TensorBundle.dataPath(prefix), metaGraphPath(prefix)] {
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            unlink(path)
        }
    }

    /// The meta graph file of the checkpoint at `prefix` (`model.ckpt-999.meta`).
    static func metaGraphPath(_ prefix: String) -> String { prefix + ".meta" }

    static func join(_ directory: String, _ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }
}
