import TFGraph
import TFRecord

/// The immutable sorted key/value table of a checkpoint's `.index` file (LevelDB's format,
/// as TensorFlow's `table_builder.cc` writes it):
///
///     data block(s) | metaindex block (empty) | index block | footer (48 bytes)
///
/// A block is entries (varint shared-prefix length, varint unshared length, varint value
/// length, unshared key bytes, value), then uint32 LE restart offsets and their count, then
/// a 5-byte trailer: compression type 0 and the masked CRC32C of contents + type byte. The
/// footer holds the metaindex and index block handles (varint offset, size), zero padding
/// to 40 bytes and the magic 0xdb4775248b80fb57 (LE).
enum Table {
    static let magic: UInt64 = 0xDB47_7524_8B80_FB57
    static let blockSize = 262_144
    static let footerSize = 48

    /// The table bytes for `entries`, whose keys must be strictly increasing.
    static func build(_ entries: [(key: [UInt8], value: [UInt8])]) -> [UInt8] {
        var file: [UInt8] = []
        var index = BlockBuilder(restartInterval: 1)
        var block = BlockBuilder(restartInterval: 16)
        var lastKey: [UInt8] = []
        var pendingHandle: (offset: Int, size: Int)?

        func flushBlock() {
            guard !block.isEmpty else { return }
            let contents = block.finish()
            pendingHandle = appendBlock(contents, to: &file)
            block = BlockBuilder(restartInterval: 16)
        }

        for entry in entries {
            if let handle = pendingHandle {
                index.add(key: shortestSeparator(lastKey, entry.key), value: encodeHandle(handle))
                pendingHandle = nil
            }
            block.add(key: entry.key, value: entry.value)
            lastKey = entry.key
            if block.sizeEstimate >= blockSize { flushBlock() }
        }
        flushBlock()
        if let handle = pendingHandle {
            index.add(key: shortSuccessor(lastKey), value: encodeHandle(handle))
        }
        let metaindex = appendBlock(BlockBuilder(restartInterval: 16).finish(), to: &file)
        let indexHandle = appendBlock(index.finish(), to: &file)
        var footer = encodeHandle(metaindex) + encodeHandle(indexHandle)
        footer += [UInt8](repeating: 0, count: 40 - footer.count)
        withUnsafeBytes(of: magic.littleEndian) { footer += $0 }
        return file + footer
    }

    private static func appendBlock(_ contents: [UInt8], to file: inout [UInt8]) -> (offset: Int, size: Int) {
        let offset = file.count
        file += contents
        let withType = contents + [0]
        let crc = withType.withUnsafeBytes { CRC32C.maskedChecksum($0) }
        file.append(0)
        withUnsafeBytes(of: crc.littleEndian) { file += $0 }
        return (offset, contents.count)
    }

    static func encodeHandle(_ handle: (offset: Int, size: Int)) -> [UInt8] {
        Varint.encode(UInt64(handle.offset)) + Varint.encode(UInt64(handle.size))
    }

    /// A short key >= `start` and < `limit` (TensorFlow's bytewise comparator).
    static func shortestSeparator(_ start: [UInt8], _ limit: [UInt8]) -> [UInt8] {
        let common = zip(start, limit).prefix { $0 == $1 }.count
        guard common < min(start.count, limit.count) else { return start }
        let byte = start[common]
        if byte < 0xFF && byte + 1 < limit[common] {
            return Array(start[..<common]) + [byte + 1]
        }
        return start
    }

    /// A short key >= `key`: its first byte that is not 0xFF, incremented.
    static func shortSuccessor(_ key: [UInt8]) -> [UInt8] {
        for (index, byte) in key.enumerated() where byte != 0xFF {
            return Array(key[..<index]) + [byte + 1]
        }
        return key
    }

    /// Every entry of a table, in order, after checking the footer and every block CRC.
    static func read(_ bytes: [UInt8], path: String) throws(CheckpointError) -> [(key: [UInt8], value: [UInt8])] {
        guard bytes.count >= footerSize else { throw .corruptIndex(path, reason: "shorter than a table footer") }
        let footer = Array(bytes[(bytes.count - footerSize)...])
        let storedMagic = footer[40..<48].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard storedMagic == magic else { throw .corruptIndex(path, reason: "bad magic number (not a table)") }
        var position = 0
        guard let _ = Varint.decode(footer, &position), let _ = Varint.decode(footer, &position),
            let indexOffset = Varint.decode(footer, &position), let indexSize = Varint.decode(footer, &position)
        else { throw .corruptIndex(path, reason: "bad footer") }
        let limit = bytes.count - footerSize
        let indexEntries = try readBlock(bytes, offset: indexOffset, size: indexSize, limit: limit, path: path)
        var entries: [(key: [UInt8], value: [UInt8])] = []
        for handle in indexEntries {
            var at = 0
            guard let offset = Varint.decode(handle.value, &at), let size = Varint.decode(handle.value, &at) else {
                throw .corruptIndex(path, reason: "bad block handle")
            }
            entries += try readBlock(bytes, offset: offset, size: size, limit: limit, path: path)
        }
        for (previous, next) in zip(entries, entries.dropFirst()) where !previous.key.lexicographicallyPrecedes(next.key) {
            throw .corruptIndex(path, reason: "keys out of order")
        }
        return entries
    }

    private static func readBlock(_ bytes: [UInt8], offset: UInt64, size: UInt64, limit: Int, path: String)
        throws(CheckpointError) -> [(key: [UInt8], value: [UInt8])]
    {
        guard offset <= UInt64(limit), size <= UInt64(limit), Int(offset) + Int(size) + 5 <= limit, size >= 4 else {
            throw .corruptIndex(path, reason: "block handle (\(offset), \(size)) outside the file")
        }
        let start = Int(offset)
        let end = start + Int(size)
        let stored = bytes[(end + 1)..<(end + 5)].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let crc = bytes.withUnsafeBytes { CRC32C.maskedChecksum(UnsafeRawBufferPointer(rebasing: $0[start..<(end + 1)])) }
        guard crc == stored else { throw .corruptIndex(path, reason: "block checksum mismatch at offset \(start)") }
        guard bytes[end] == 0 else { throw .corruptIndex(path, reason: "compressed blocks are not supported") }
        let block = Array(bytes[start..<end])
        let restartCount = Int(block[(block.count - 4)...].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        guard restartCount >= 1, restartCount <= (block.count - 4) / 4 else {
            throw .corruptIndex(path, reason: "bad restart count in block at offset \(start)")
        }
        let entriesEnd = block.count - 4 - 4 * restartCount
        var position = 0
        var key: [UInt8] = []
        var entries: [(key: [UInt8], value: [UInt8])] = []
        while position < entriesEnd {
            guard let shared = Varint.decode(block, &position), let unshared = Varint.decode(block, &position),
                let valueLength = Varint.decode(block, &position), shared <= UInt64(key.count),
                unshared <= UInt64(entriesEnd - position), valueLength <= UInt64(entriesEnd - position) - unshared
            else { throw .corruptIndex(path, reason: "bad entry in block at offset \(start)") }
            key = Array(key[..<Int(shared)]) + block[position..<(position + Int(unshared))]
            position += Int(unshared)
            entries.append((key, Array(block[position..<(position + Int(valueLength))])))
            position += Int(valueLength)
        }
        return entries
    }
}

/// Builds one table block with prefix compression and restart points.
struct BlockBuilder {
    let restartInterval: Int
    private var buffer: [UInt8] = []
    private var restarts: [UInt32] = [0]
    private var counter = 0
    private var lastKey: [UInt8] = []
    private(set) var isEmpty = true

    init(restartInterval: Int) {
        self.restartInterval = restartInterval
    }

    var sizeEstimate: Int { buffer.count + restarts.count * 4 + 4 }

    mutating func add(key: [UInt8], value: [UInt8]) {
        var shared = 0
        if counter < restartInterval {
            shared = zip(lastKey, key).prefix { $0 == $1 }.count
        } else {
            restarts.append(UInt32(buffer.count))
            counter = 0
        }
        buffer += Varint.encode(UInt64(shared))
        buffer += Varint.encode(UInt64(key.count - shared))
        buffer += Varint.encode(UInt64(value.count))
        buffer += key[shared...]
        buffer += value
        lastKey = key
        counter += 1
        isEmpty = false
    }

    func finish() -> [UInt8] {
        var result = buffer
        for restart in restarts { withUnsafeBytes(of: restart.littleEndian) { result += $0 } }
        withUnsafeBytes(of: UInt32(restarts.count).littleEndian) { result += $0 }
        return result
    }
}
