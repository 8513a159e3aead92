#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call on a file, with the path and the reason the OS gave.
public struct IOError: Error, Equatable, CustomStringConvertible {
    /// The system call that failed, e.g. `"open"` or `"write"`.
    public var operation: String
    /// The file it failed on.
    public var path: String
    /// The `errno` value.
    public var code: Int32
    /// What is wrong and what to do, when this package knows better than the OS's text
    /// (for example "a FIFO, not a regular file"); replaces `reason` in the description.
    public var detail: String?

    public init(operation: String, path: String, code: Int32, detail: String? = nil) {
        self.operation = operation
        self.path = path
        self.code = code
        self.detail = detail
    }

    /// The OS's text for `code`, e.g. "No space left on device", or `detail` when set.
    public var reason: String { detail ?? String(cString: strerror(code)) }

    public var description: String {
        if let detail { return "\(operation) \(path): \(detail)" }
        return "\(operation) \(path): \(reason)\(advice.map { " (\($0))" } ?? "")"
    }

    private var advice: String? {
        switch code {
        case ENOSPC, EDQUOT: return "free some disk space or choose another directory"
        case EACCES, EPERM, EROFS: return "choose a directory you can write to, or fix its permissions"
        case ENOENT: return "check that the path exists"
        case ENOTDIR: return "a part of the path is a file, not a directory; choose another path"
        case EISDIR: return "it is a directory; name a file"
        case ELOOP: return "it is a symbolic link, which is never followed for writing; remove it or choose another path"
        case EEXIST: return "a file of that name already exists and is never overwritten; remove it or choose another name"
        case EPIPE: return "the reader of the output went away"
        case EFBIG: return "the file reached the size limit; start a new file or raise the limit"
        default: return nil
        }
    }
}
