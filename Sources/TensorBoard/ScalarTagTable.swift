import CAtomicWords
import Synchronization

/// The scalar tags whose first value (the one carrying the `scalars` metadata) is already
/// queued, each with bytes the writer keeps for it (the end its later events share), looked
/// up by `add(scalar:)` without the writer's lock, without `Hasher` and without a `String`:
/// an open-addressing table keyed by a cheap hash of the tag's UTF-8 bytes, holding copies
/// of those bytes.
///
/// Lookups run on any thread at any time; insertions are made one at a time (the writer
/// makes them holding its lock, after the tag's first value is queued, so a thread that
/// finds a tag here queues its value after that first one). An insertion writes the
/// slot's hash, then publishes the slot's tag with a release store; a lookup loads the tag
/// with an acquire load before reading the hash. A table that fills past half is copied into
/// one twice its size, published the same way; old tables stay allocated (a lookup may still
/// be reading one) until the writer goes. The table stops growing at `maximumCount` tags;
/// beyond that the rest take the writer's locked path every time.
///
/// Memory: a table is a slot count then slots of two words (hash, address of the tag's
/// entry); an entry is the tag's length word, its bytes padded to 8, then the kept bytes'
/// length word and the kept bytes. All of it is allocated here and freed in `deinit`; this
/// is the only pointer code of the writer besides `RecordRing`.
final class ScalarTagTable: @unchecked Sendable {
    static let maximumCount = 4096

    /// The current table's address.
    private let current: Atomic<UInt>
    /// Every table and tag allocated, freed in `deinit`. Changed only by `insert`.
    private var allocations: [UnsafeMutableRawPointer] = []
    private var count = 0

    init() {
        let table = Self.allocateTable(slotCount: 64)
        current = Atomic(UInt(bitPattern: table))
        allocations.append(table)
    }

    deinit {
        for allocation in allocations { allocation.deallocate() }
    }

    /// The bytes kept with `tag` (UTF-8 bytes whose `hash(_:)` is `hash`): a length word,
    /// then the bytes, allocated until the table goes; nil if the tag is not in the table.
    /// Any thread.
    @inline(__always)
    func find(_ tag: UnsafeBufferPointer<UInt8>, hash: UInt64) -> UnsafeRawPointer? {
        guard let table = UnsafeRawPointer(bitPattern: current.load(ordering: .acquiring)) else { return nil }
        let mask = table.load(as: Int.self) &- 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = table + (8 &+ index &* 16)
            guard let known = UnsafeRawPointer(bitPattern: UInt(c_atomic_word_load_acquire(slot + 8))) else { return nil }
            if slot.load(as: UInt64.self) == hash && Self.equal(known, tag) {
                return known + (8 &+ (tag.count &+ 7) & ~7)
            }
            index = (index &+ 1) & mask
        }
    }

    /// Whether `tag` (hash `hash`) is in the table. Any thread.
    @inline(__always)
    func contains(_ tag: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Bool {
        find(tag, hash: hash) != nil
    }

    /// Adds `tag` (hash `hash`) with the bytes `find` will return for it, made by `keeping`
    /// only if the tag is added: not when the table is full or holds the tag already. One
    /// caller at a time.
    func insert(_ tag: UnsafeBufferPointer<UInt8>, hash: UInt64, keeping: () -> [UInt8]) {
        guard count < Self.maximumCount, !contains(tag, hash: hash),
            var table = UnsafeMutableRawPointer(bitPattern: current.load(ordering: .relaxed))
        else { return }
        let kept = keeping()
        if (count + 1) * 2 > table.load(as: Int.self) { table = grow(table) }
        let keptOffset = 8 + (tag.count + 7) & ~7
        let copy = UnsafeMutableRawPointer.allocate(byteCount: keptOffset + 8 + kept.count, alignment: 8)
        copy.storeBytes(of: tag.count, as: Int.self)
        if let bytes = tag.baseAddress { (copy + 8).copyMemory(from: bytes, byteCount: tag.count) }
        (copy + keptOffset).storeBytes(of: kept.count, as: Int.self)
        kept.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress { (copy + keptOffset + 8).copyMemory(from: base, byteCount: bytes.count) }
        }
        allocations.append(copy)
        Self.place(hash: hash, tag: copy, in: table)
        count += 1
    }

    /// Publishes a copy of `table` with twice the slots; returns it.
    private func grow(_ table: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        let slotCount = table.load(as: Int.self)
        let larger = Self.allocateTable(slotCount: slotCount * 2)
        for index in 0..<slotCount {
            let slot = table + 8 + index * 16
            if let known = UnsafeMutableRawPointer(bitPattern: UInt(slot.load(fromByteOffset: 8, as: UInt64.self))) {
                Self.place(hash: slot.load(as: UInt64.self), tag: known, in: larger)
            }
        }
        allocations.append(larger)
        current.store(UInt(bitPattern: larger), ordering: .releasing)
        return larger
    }

    /// Writes `hash` and `tag` into the first free slot of `table` from the hash's own on.
    private static func place(hash: UInt64, tag: UnsafeMutableRawPointer, in table: UnsafeMutableRawPointer) {
        let mask = table.load(as: Int.self) - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while table.load(fromByteOffset: 8 + index * 16 + 8, as: UInt64.self) != 0 { index = (index + 1) & mask }
        let slot = table + 8 + index * 16
        slot.storeBytes(of: hash, as: UInt64.self)
        c_atomic_word_store_release(slot + 8, UInt64(UInt(bitPattern: tag)))
    }

    /// A zeroed table of `slotCount` slots (a power of two).
    private static func allocateTable(slotCount: Int) -> UnsafeMutableRawPointer {
        let table = UnsafeMutableRawPointer.allocate(byteCount: 8 + slotCount * 16, alignment: 8)
        table.initializeMemory(as: UInt8.self, repeating: 0, count: 8 + slotCount * 16)
        table.storeBytes(of: slotCount, as: Int.self)
        return table
    }

    /// Whether the stored tag at `known` (length word, bytes) is `tag`.
    @inline(__always)
    private static func equal(_ known: UnsafeRawPointer, _ tag: UnsafeBufferPointer<UInt8>) -> Bool {
        guard known.load(as: Int.self) == tag.count else { return false }
        guard let bytes = tag.baseAddress else { return true }
        return ShortBytes.equal(known + 8, bytes, count: tag.count)
    }

    /// A multiply-xor hash over the bytes read as 8-byte words, then one 4-, 2- and 1-byte
    /// word for the tail, mixed with the length. Each load starts at a multiple of its own
    /// size, so it never straddles two of the 8-byte stores a small string's bytes were just
    /// copied to the stack with (a straddling load cannot be forwarded from the stores and
    /// waits for both). Not collision-resistant, and it needs not be: equal hashes are
    /// confirmed with `==`.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = UInt64(bytes.count) &* multiplier
        guard let base = bytes.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
            hash ^= hash >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        if bytes.count - offset >= 4 {
            tail = UInt64(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            offset += 4
        }
        if bytes.count - offset >= 2 {
            tail = tail << 16 | UInt64(raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            offset += 2
        }
        if bytes.count - offset >= 1 {
            tail = tail << 8 | UInt64(base[offset])
        }
        hash = (hash ^ tail) &* multiplier
        return hash ^ (hash >> 32)
    }
}
