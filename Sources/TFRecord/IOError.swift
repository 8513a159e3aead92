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

    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// The OS's text for `code`, e.g. "No space left on device".
    public var reason: String { String(cString: strerror(code)) }

    public var description: String {
        "\(operation) \(path): \(reason)\(advice.map { " (\($0))" } ?? "")"
    }

    private var advice: String? {
        switch code {
        case ENOSPC, EDQUOT: return "free some disk space or choose another directory"
        case EACCES, EPERM, EROFS: return "choose a directory you can write to, or fix its permissions"
        case ENOENT: return "check that the path exists"
        case EFBIG: return "the file reached the size limit; start a new file or raise the limit"
        default: return nil
        }
    }
}
