#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The entries of a directory, read with `opendir`/`readdir` so that a directory that
/// cannot be read is an error naming it and the reason, never an empty listing.
public enum DirectoryListing {
    /// The names in `directory` (without `.` and `..`), sorted.
    /// - Throws: `IOError` if the directory cannot be opened or read.
    public static func names(in directory: String) throws(IOError) -> [String] {
        guard let stream = opendir(directory) else {
            throw IOError(operation: "open directory", path: directory, code: errno)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw IOError(operation: "read directory", path: directory, code: errno) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
