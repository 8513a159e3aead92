import Foundation
import TFRecord

/// The copy of a damaged event file that `repair` keeps before changing it in place.
enum RepairBackup {
    /// Keeps `file` under a new name beside it and returns that path: a hard link when the
    /// file system allows one, else an exclusive copy (synced). Never overwrites anything:
    /// a taken name moves on to `.1`, `.2`, ...
    /// - Throws: `IOError` if no backup could be made (then nothing was changed).
    static func keep(_ file: String) throws(IOError) -> String {
        let directory = (file as NSString).deletingLastPathComponent
        let name = (file as NSString).lastPathComponent
        let base = name.contains("tfevents")
            ? name.replacingOccurrences(of: "tfevents", with: "damaged-events")
            : name + ".damaged"
        for attempt in 0..<1000 {
            let candidate = (directory as NSString).appendingPathComponent(attempt == 0 ? base : "\(base).\(attempt)")
            if link(file, candidate) == 0 {
                try PosixFile.synchronizeDirectory(directory.isEmpty ? "." : directory)
                return candidate
            }
            let code = errno
            if code == EEXIST { continue }
            guard [EPERM, EXDEV, ENOTSUP, EMLINK, EOPNOTSUPP].contains(code) else {
                throw IOError(operation: "keep the original as", path: candidate, code: code)
            }
            let copy: PosixFile
            do throws(IOError) {
                copy = try PosixFile.openForWriting(candidate, exclusive: true)
            } catch where error.code == EEXIST {
                continue
            }
            do throws(IOError) {
                try copy.writeAll(try PosixFile.readContents(file))
                try copy.synchronize()
                try copy.close()
                return candidate
            } catch {
                unlink(candidate)  // ours: created exclusively above
                throw error
            }
        }
        throw IOError(operation: "keep the original beside", path: file, code: EEXIST,
                      detail: "every backup name is taken; move the old backups away")
    }
}
