import TFGraph
import SwiftProtobuf
import TFProtos
import TFRecord

/// TensorFlow's V2 tensor bundle: `<prefix>.data-00000-of-00001` holds the raw
/// little-endian bytes of each tensor, back to back in the order added; `<prefix>.index` is
/// a `Table` mapping each name to a `BundleEntryProto` (dtype, shape, offset, size, masked
/// CRC32C), with a `BundleHeaderProto` under the empty key.
enum TensorBundle {
    struct Entry {
        let name: String
        let dtype: DType
        let shape: [Int]
        let bytes: [UInt8]
    }

    static func dataPath(_ prefix: String) -> String { prefix + ".data-00000-of-00001" }
    static func indexPath(_ prefix: String) -> String { prefix + ".index" }

    /// The data file and index bytes for `entries` (names must be distinct).
    static func encode(_ entries: [Entry]) throws -> (data: [UInt8], index: [UInt8]) {
        var data: [UInt8] = []
        var rows: [(key: [UInt8], value: [UInt8])] = []
        var header = Tensorflow_BundleHeaderProto()
        header.numShards = 1
        header.version.producer = 1
        rows.append(([], try header.serializedBytes()))
        var indexed: [(key: [UInt8], value: [UInt8])] = []
        for entry in entries {
            var proto = Tensorflow_BundleEntryProto()
            proto.dtype = entry.dtype.dataType
            proto.shape = TensorShape(known: entry.shape).proto
            proto.offset = Int64(data.count)
            proto.size = Int64(entry.bytes.count)
            proto.crc32C = entry.bytes.withUnsafeBytes { CRC32C.maskedChecksum($0) }
            data += entry.bytes
            indexed.append((Array(entry.name.utf8), try proto.serializedBytes()))
        }
        rows += indexed.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        return (data, Table.build(rows))
    }

    /// The entries of a bundle's index bytes, by name, after checking its header; `path`
    /// names the index in errors.
    static func decodeIndex(_ bytes: [UInt8], path: String) throws(CheckpointError) -> [String: Tensorflow_BundleEntryProto] {
        let rows = try Table.read(bytes, path: path)
        guard let first = rows.first, first.key.isEmpty,
            let header = try? Tensorflow_BundleHeaderProto(serializedBytes: first.value)
        else { throw .corruptIndex(path, reason: "no bundle header") }
        guard header.numShards == 1 else {
            throw .corruptIndex(path, reason: "\(header.numShards) shards; only single-shard checkpoints are supported")
        }
        guard header.endianness == .little else { throw .corruptIndex(path, reason: "big-endian checkpoints are not supported") }
        var entries: [String: Tensorflow_BundleEntryProto] = [:]
        for row in rows.dropFirst() {
            guard let entry = try? Tensorflow_BundleEntryProto(serializedBytes: row.value) else {
                throw .corruptIndex(path, reason: "bad entry for \(String(decoding: row.key, as: UTF8.self))")
            }
            entries[String(decoding: row.key, as: UTF8.self)] = entry
        }
        return entries
    }
}
