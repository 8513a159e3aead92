import Foundation
import TFRecord

/// Whether other users can plant or swap files in the log directory (the tutorial's default
/// is under `/tmp`, shared by every user). The program never follows a planted link or
/// writes into a file it did not create, but the user should know, and move the run.
enum SharedDirectory {
    /// A warning naming the directory (or the ancestor) that another user can write
    /// into or owns, or nil when only this user (and root) can change the path.
    static func warning(for logDirectory: String) -> String? {
        guard let resolved = PosixFile.resolvedPath(logDirectory) else { return nil }
        var path = resolved
        var isLogDirectory = true
        while true {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            let owner = info.st_uid
            let writableByOthers = info.st_mode & (S_IWOTH | S_IWGRP) != 0
            let sticky = info.st_mode & S_ISVTX != 0
            let mode = String(info.st_mode & 0o7777, radix: 8)
            if owner != geteuid() && owner != 0 {
                return "\(describe(path, isLogDirectory)) belongs to another user (uid \(owner)), who can plant files in it; choose a --log-dir only you can write to"
            }
            if writableByOthers && (isLogDirectory || !sticky) {
                return "\(describe(path, isLogDirectory)) is writable by other users (mode \(mode)), who can plant files in it; choose a --log-dir only you can write to"
            }
            if path == "/" { return nil }
            path = (path as NSString).deletingLastPathComponent
            isLogDirectory = false
        }
    }

    private static func describe(_ path: String, _ isLogDirectory: Bool) -> String {
        isLogDirectory ? "--log-dir \(path)" : "\(path), above --log-dir,"
    }
}
