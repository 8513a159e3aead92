import CZlib
import Foundation

/// Reads IDX files, the format of the MNIST and Fashion-MNIST data sets, raw or gzipped.
///
/// Layout (big-endian): a magic number `0x000008DD` (ubyte data, DD dimensions), DD
/// uint32 dimension sizes, then the data bytes.
public enum IDXFile {
    public static let imagesMagic: UInt32 = 0x0000_0803
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// Images: count, rows, columns and the pixel bytes.
    public static func readImages(_ path: String) throws(IDXError) -> (count: Int, rows: Int, columns: Int, pixels: [UInt8]) {
        try images(from: try contents(of: path), name: path)
    }

    /// Images from the bytes of an IDX file (raw or gzipped); `name` labels errors.
    public static func images(from bytes: [UInt8], name path: String) throws(IDXError) -> (count: Int, rows: Int, columns: Int, pixels: [UInt8]) {
        let (dimensions, data) = try decode(bytes, path: path, magic: imagesMagic)
        guard dimensions[1] == 28, dimensions[2] == 28 else {
            throw .badDimensions(path, rows: dimensions[1], columns: dimensions[2])
        }
        return (dimensions[0], dimensions[1], dimensions[2], data)
    }

    /// Labels, each checked to be a class 0...9.
    public static func readLabels(_ path: String, classes: Int = 10) throws(IDXError) -> [UInt8] {
        try labels(from: try contents(of: path), name: path, classes: classes)
    }

    /// Labels from the bytes of an IDX file (raw or gzipped), each checked to be a class in
    /// `0..<classes`; `name` labels errors.
    public static func labels(from bytes: [UInt8], name path: String, classes: Int = 10) throws(IDXError) -> [UInt8] {
        let (_, data) = try decode(bytes, path: path, magic: labelsMagic)
        if let index = data.firstIndex(where: { Int($0) >= classes }) {
            throw .labelOutOfRange(path, index: index, value: Int(data[index]))
        }
        return data
    }

    /// The bytes of the file at `path`.
    static func contents(of path: String) throws(IDXError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingFile(path) }
        // Only a regular file is read as data: reading a FIFO would block forever.
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            let kind = info.st_mode & S_IFMT == S_IFIFO ? "a FIFO" : info.st_mode & S_IFMT == S_IFDIR ? "a directory" : "a device or socket"
            throw .unreadable(path, reason: "it is \(kind), not a regular file; put the MNIST file itself there")
        }
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .unreadable(path, reason: error.localizedDescription)
        }
    }

    /// The dimensions and data of IDX bytes (gunzipped first if gzipped) with the given magic.
    static func decode(_ raw: [UInt8], path: String, magic: UInt32) throws(IDXError) -> ([Int], [UInt8]) {
        let bytes = raw.starts(with: [0x1F, 0x8B]) ? try gunzip(raw, path: path) : raw
        return try parse(bytes, path: path, magic: magic)
    }

    static func parse(_ bytes: [UInt8], path: String, magic: UInt32) throws(IDXError) -> ([Int], [UInt8]) {
        func word(_ offset: Int) -> UInt32 {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        guard bytes.count >= 4 else { throw .sizeMismatch(path, expected: 4, actual: bytes.count) }
        let found = word(0)
        guard found == magic else { throw .badMagic(path, found: found, expected: magic) }
        let rank = Int(magic & 0xFF)
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else { throw .sizeMismatch(path, expected: headerSize, actual: bytes.count) }
        let dimensions = (0..<rank).map { Int(word(4 + 4 * $0)) }
        let (expected, overflow) = dimensions.reduce((1, false)) { partial, size in
            let product = partial.0.multipliedReportingOverflow(by: size)
            return (product.partialValue, partial.1 || product.overflow)
        }
        guard !overflow, bytes.count - headerSize == expected else {
            throw .sizeMismatch(path, expected: overflow ? Int.max : expected, actual: bytes.count - headerSize)
        }
        return (dimensions, Array(bytes[headerSize...]))
    }

    /// Inflates a gzip stream, never producing more than 256 MiB.
    static func gunzip(_ compressed: [UInt8], path: String) throws(IDXError) -> [UInt8] {
        let limit = 256 << 20
        // zlib counts input in 32 bits; no gzip stream this size inflates to under the limit.
        guard compressed.count <= Int(uInt.max) else {
            throw .unreadable(path, reason: "\(compressed.count) bytes of gzip data are more than zlib takes at once (4 GiB); MNIST files are far smaller")
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .unreadable(path, reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: min(max(compressed.count * 4, 1 << 16), limit))
        var produced = 0
        var status: Int32 = Z_OK
        compressed.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while status == Z_OK {
                if produced == output.count {
                    if output.count >= limit { status = Z_MEM_ERROR; break }
                    output += [UInt8](repeating: 0, count: min(output.count, limit - output.count))
                }
                output.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = uInt(out.count - produced)
                    status = inflate(&stream, Z_NO_FLUSH)
                    produced = out.count - Int(stream.avail_out)
                }
            }
        }
        guard status == Z_STREAM_END else {
            let reason = status == Z_MEM_ERROR ? "decompresses to more than 256 MiB" : "corrupt or truncated gzip data (zlib status \(status))"
            throw .unreadable(path, reason: reason)
        }
        output.removeSubrange(produced...)
        return output
    }
}
