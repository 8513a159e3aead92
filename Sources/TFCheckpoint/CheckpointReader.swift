import TFGraph
import Foundation
import TFProtos
import TFRecord

/// Reads a TensorFlow V2 checkpoint (`<prefix>.index` and `<prefix>.data-00000-of-00001`),
/// like `tf.train.load_checkpoint`: the variables it holds, and each value checked against
/// its CRC32C. Checkpoints written by TensorFlow and by `Saver` read the same way.
///
///     let reader = try CheckpointReader(prefix: "train/model.ckpt-1999")
///     for (name, entry) in reader.variables { print(name, entry.dtype, entry.shape) }
///     let weights = try reader.tensor("hidden1/weights")
///
/// Damaged or hostile files are thrown as `CheckpointError`s naming the file or variable;
/// nothing in them can make the reader trap or allocate more than the files hold.
public struct CheckpointReader: Sendable {
    /// One variable's record in the index.
    public struct Entry: Sendable {
        /// nil for a dtype this package does not support.
        public let dtype: DType?
        public let shape: [Int]
        let offset: Int64
        let size: Int64
        let crc32C: UInt32
    }

    /// The variables, by name (the empty-named bundle header is not one).
    public let variables: [String: Entry]
    /// The checkpoint prefix, or the name given for in-memory contents.
    public let prefix: String
    private let data: [UInt8]

    /// Opens the checkpoint at `prefix`.
    /// - Throws: `CheckpointError.missingFile`, `.corruptIndex` or `.corruptData`.
    public init(prefix: String) throws(CheckpointError) {
        let indexPath = TensorBundle.indexPath(prefix)
        let dataPath = TensorBundle.dataPath(prefix)
        let index = try Self.contents(of: indexPath)
        let data = try Self.contents(of: dataPath)
        try self.init(index: index, data: data, name: prefix)
    }

    /// Reads checkpoint contents held in memory: the `.index` table and the data file.
    /// `name` stands for the prefix in errors.
    public init(index: [UInt8], data: [UInt8], name: String = "<memory>") throws(CheckpointError) {
        prefix = name
        self.data = data
        var entries: [String: Entry] = [:]
        for (key, proto) in try TensorBundle.decodeIndex(index, path: TensorBundle.indexPath(name)) {
            var shape: [Int] = []
            for dimension in proto.shape.dim {
                guard dimension.size >= 0 else {
                    throw .corruptIndex(TensorBundle.indexPath(name), reason: "variable \(key) has a negative dimension \(dimension.size)")
                }
                shape.append(Int(dimension.size))
            }
            entries[key] = Entry(dtype: DType(proto.dtype), shape: shape, offset: proto.offset, size: proto.size, crc32C: proto.crc32C)
        }
        variables = entries
    }

    /// The raw little-endian bytes of variable `name`, checked: its size matches its dtype
    /// and shape, it lies inside the data file, and its CRC32C matches.
    /// - Throws: `CheckpointError.missingVariable` or `.corruptData`.
    public func bytes(_ name: String) throws(CheckpointError) -> ArraySlice<UInt8> {
        guard let entry = variables[name] else { throw .missingVariable(name, checkpoint: prefix) }
        guard let dtype = entry.dtype, dtype != .string else {
            throw .corruptData(name, reason: "its dtype is not a numeric type this package reads")
        }
        var expected = dtype.byteSize
        for size in entry.shape {
            let (product, overflow) = expected.multipliedReportingOverflow(by: size)
            guard !overflow else { throw .corruptData(name, reason: "shape \(entry.shape) is too large") }
            expected = product
        }
        guard entry.size == Int64(expected) else {
            throw .corruptData(name, reason: "\(entry.size) bytes recorded for shape \(entry.shape) of \(dtype) (\(expected) expected)")
        }
        guard entry.offset >= 0, entry.offset <= Int64(data.count) - entry.size else {
            throw .corruptData(name, reason: "offset \(entry.offset) and size \(entry.size) do not fit the \(data.count)-byte data file")
        }
        let bytes = data[Int(entry.offset)..<(Int(entry.offset) + expected)]
        guard bytes.withUnsafeBytes({ CRC32C.maskedChecksum($0) }) == entry.crc32C else {
            throw .corruptData(name, reason: "checksum does not match")
        }
        return bytes
    }

    /// The value of variable `name`.
    /// - Throws: as `bytes(_:)`.
    public func tensor(_ name: String) throws(CheckpointError) -> Tensor {
        let raw = try bytes(name)
        guard let entry = variables[name], let dtype = entry.dtype else { throw .missingVariable(name, checkpoint: prefix) }
        guard let tensor = Tensor(dtype: dtype, shape: entry.shape, littleEndianBytes: raw) else {
            throw .corruptData(name, reason: "\(raw.count) bytes do not hold a \(dtype) tensor of shape \(entry.shape)")
        }
        return tensor
    }

    /// The file's bytes; a missing file is `.missingFile`, anything else (a FIFO, no
    /// permission) `.io` naming the file.
    private static func contents(of path: String) throws(CheckpointError) -> [UInt8] {
        do throws(IOError) {
            return try PosixFile.readContents(path)
        } catch where error.code == ENOENT {
            throw .missingFile(path)
        } catch {
            throw .io(error)
        }
    }
}
