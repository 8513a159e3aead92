#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CAtomicWords
import TFRecord

/// A queue of framed records that any number of threads fill and one thread empties,
/// without a lock: the event writer's queue.
///
/// The ring is `capacity` bytes. Positions count bytes from the ring's creation and never
/// wrap (2^63 bytes); the entry at position `p` starts at byte `p % capacity` and wraps
/// around the end when it must. An entry is a marker word, a length word and the framed
/// record padded to 8 bytes; a record longer than `inlineLimit` is held outside the ring
/// and its entry holds a reference to it. A *scalar entry* holds a scalar event's fields
/// instead of its record (`ScalarFields`), which the consumer encodes and frames as it takes
/// it: the producer's share of a scalar is then a few stores.
///
/// - A producer *reserves* an entry with one atomic add to `reserved`. Entries are read in
///   the order of their positions, so two records keep the order of their reservations;
///   a thread's records, the order it added them in.
/// - It may fill the entry once the consumer has released its bytes (`hasRoom`); it frames
///   the record in place (or stores a scalar's fields), writes the length word, then the
///   marker (`position + 1`) with a release store: the entry is *committed*.
/// - The consumer reads entries in order, each once committed (an acquire load of its
///   marker), copies the records out (encodes and frames a scalar entry's), zeroes their
///   bytes and releases them (a release store of `consumed`), so stale bytes never look
///   like a marker.
/// - Closing sets the top bit of `reserved`: every later reservation is refused, and the
///   entries before the returned position are the ring's last.
///
/// A reserved entry must be filled: the consumer waits for it. Unsafe pointer use of the
/// writer's queue is confined to this type (a scalar entry's tail points into
/// `ScalarTagTable`, which owns it).
final class RecordRing: @unchecked Sendable {
    /// The ring's size in bytes, a power of two, at least 4096.
    let capacity: Int
    /// Records longer than this many bytes are held outside the ring (a quarter of it).
    let inlineLimit: Int

    /// An entry: where it is, and what it holds.
    struct Slot {
        let position: UInt64
        /// The entry's bytes in the ring (header and padded record, header and reference, or
        /// header and scalar fields).
        let size: Int
        /// The record's payload length (0 for a scalar entry).
        let payloadLength: Int
        let isIndirect: Bool
        /// The position after the entry.
        var end: UInt64 { position &+ UInt64(size) }
    }

    /// The fields of a scalar event whose tag's first value is already in the ring or the
    /// file: the consumer encodes it without metadata (`ScalarEventEncoding.appendEvent`).
    struct ScalarFields {
        /// The tag's `ScalarEventEncoding.sharedTail` as `ScalarTagTable` keeps it: a length
        /// word, then the bytes. It must stay allocated until the entry is taken (the
        /// table's entries live as long as the table).
        let tail: UnsafeRawPointer
        let value: Float
        let step: Int64
        let wallTime: Double
    }

    private static let closedBit: UInt64 = 1 << 63
    private static let indirectBit: UInt64 = 1 << 63
    private static let scalarBit: UInt64 = 1 << 62
    private static let headerSize = 16
    /// A scalar entry: the header, the tail's address, the step, the wall time's and the
    /// value's bits.
    private static let scalarEntrySize = headerSize + 32

    private let memory: UnsafeMutableRawPointer
    private let mask: Int
    /// `RecordFraming.overhead`, read once (a global of another module costs a call to read).
    private let recordOverhead = RecordFraming.overhead
    /// Whether `prefetchAhead` asks for lines (the CPU has the instruction).
    private let prefetches = c_prefetch_for_writing_supported() == 1
    /// How far past a new reservation the line its producer prefetches lies: about twenty
    /// scalar entries, which take longer to fill than a line takes to arrive (a sixteenth
    /// of a small ring, so it rarely reaches bytes the consumer has not released).
    private let prefetchDistance: Int
    /// The two counters, each in 128 bytes of its own (256 bytes, 128-aligned: a cache line
    /// and the neighbour some CPUs fetch with it, or one line of 128 bytes), away from each
    /// other and from the fields above, which both sides read all the time: an atomic add
    /// to `reserved` takes its line into the producer's cache, and a consumer reading a
    /// field that shared it would take it back at every event.
    /// - `reserved` (offset 0): the next free position; the top bit once closed.
    /// - `consumed` (offset 128): bytes below `consumed + capacity` may be filled.
    private let counters: UnsafeMutableRawPointer
    private var reserved: UnsafeMutableRawPointer { counters }
    private var consumed: UnsafeMutableRawPointer { counters + 128 }

    /// A record held outside the ring.
    private final class IndirectRecord {
        let bytes: [UInt8]
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    /// A ring of at least `minimumCapacity` bytes (rounded up to a power of two, at least
    /// 4096), or nil if the system cannot provide that much memory.
    init?(minimumCapacity: Int) {
        var capacity = 4096
        while capacity < minimumCapacity && capacity < 1 << 40 { capacity <<= 1 }
        self.capacity = capacity
        inlineLimit = capacity / 4
        mask = capacity - 1
        // Zeroed by the system page by page as first touched (a large queue costs memory
        // only as far as it fills); aligned for the 8-byte words.
        guard let zeroed = calloc(capacity, 1) else { return nil }
        memory = zeroed
        counters = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 128)
        counters.initializeMemory(as: UInt8.self, repeating: 0, count: 256)
        prefetchDistance = min(1024, capacity / 16)
    }

    deinit {
        // Entries a consumer never took (none once a writer closed) may hold references;
        // `take` clears the ones it takes.
        var position = c_atomic_word_load_acquire(consumed)
        let end = c_atomic_word_load_acquire(reserved) & ~Self.closedBit
        while position < end, let entry = committedEntry(at: position) {
            if case .indirect(let offset) = entry.record, let reference = takeReference(at: offset) {
                Unmanaged<IndirectRecord>.fromOpaque(reference).release()
            }
            position &+= UInt64(entry.size)
        }
        free(memory)
        counters.deallocate()
    }

    // MARK: Producers

    /// Reserves an entry for a record with a payload of `payloadLength` bytes, or returns
    /// nil once the ring is closed. A reserved entry must then be filled (`fill`) as soon
    /// as it `hasRoom`.
    @inline(__always)
    func reserve(payloadLength: Int) -> Slot? {
        let recordLength = payloadLength &+ recordOverhead
        let isIndirect = recordLength > inlineLimit
        let size = Self.headerSize &+ (isIndirect ? 8 : (recordLength &+ 7) & ~7)
        let position = c_atomic_word_fetch_add_relaxed(reserved, UInt64(size))
        guard position & Self.closedBit == 0 else { return nil }
        prefetchAhead(of: position)
        return Slot(position: position, size: size, payloadLength: payloadLength, isIndirect: isIndirect)
    }

    /// Reserves a scalar entry (`fillScalar`), or returns nil once the ring is closed. A
    /// reserved entry must then be filled as soon as it `hasRoom`.
    @inline(__always)
    func reserveScalar() -> Slot? {
        let position = c_atomic_word_fetch_add_relaxed(reserved, UInt64(Self.scalarEntrySize))
        guard position & Self.closedBit == 0 else { return nil }
        prefetchAhead(of: position)
        return Slot(position: position, size: Self.scalarEntrySize, payloadLength: 0, isIndirect: false)
    }

    /// Prefetches, for writing, the line `prefetchDistance` bytes past `position`: the
    /// consumer zeroed it a lap ago, so it is in the consumer's cache or further away, and a
    /// store that waits for it holds up the next reservation's atomic add (which waits for
    /// every earlier store). Asked ahead, it is here when the entry there is filled.
    @inline(__always)
    private func prefetchAhead(of position: UInt64) {
        guard prefetches else { return }
        c_prefetch_for_writing(memory + (Int(truncatingIfNeeded: position &+ UInt64(prefetchDistance)) & mask))
    }

    /// Writes `fields` into the scalar entry `slot` and commits it. Call only once
    /// `hasRoom(for: slot)`. Entries start at multiples of 8 and the capacity is one, so no
    /// word straddles the ring's end.
    @inline(__always)
    func fillScalar(_ slot: Slot, _ fields: ScalarFields) {
        let markerOffset = Int(truncatingIfNeeded: slot.position) & mask
        store(Self.scalarBit, at: (markerOffset &+ 8) & mask)
        store(UInt64(UInt(bitPattern: fields.tail)), at: (markerOffset &+ 16) & mask)
        store(UInt64(bitPattern: fields.step), at: (markerOffset &+ 24) & mask)
        store(fields.wallTime.bitPattern, at: (markerOffset &+ 32) & mask)
        store(UInt64(fields.value.bitPattern), at: (markerOffset &+ 40) & mask)
        c_atomic_word_store_release(memory + markerOffset, slot.position &+ 1)
    }

    /// Whether the consumer has released the bytes `slot` needs.
    @inline(__always)
    func hasRoom(for slot: Slot) -> Bool {
        slot.end <= c_atomic_word_load_acquire(consumed) &+ UInt64(capacity)
    }

    /// Frames the record whose payload `encode` writes (exactly the reserved payload length)
    /// into `slot`, in place unless it wraps around the ring's end or is held outside, and
    /// commits the entry. Call only once `hasRoom(for: slot)`.
    @inline(__always)
    func fill(_ slot: Slot, encodingPayload encode: (UnsafeMutableRawBufferPointer) -> Void) {
        let recordLength = slot.payloadLength &+ recordOverhead
        let recordOffset = Int(truncatingIfNeeded: slot.position &+ UInt64(Self.headerSize)) & mask
        var lengthWord = UInt64(recordLength)
        if slot.isIndirect {
            var record = [UInt8](repeating: 0, count: recordLength)
            record.withUnsafeMutableBytes { RecordFraming.frame(into: $0, encodingPayload: encode) }
            let reference = Unmanaged.passRetained(IndirectRecord(record)).toOpaque()
            store(UInt64(UInt(bitPattern: reference)), at: recordOffset)
            lengthWord |= Self.indirectBit
        } else if recordOffset &+ recordLength <= capacity {
            RecordFraming.frame(
                into: UnsafeMutableRawBufferPointer(start: memory + recordOffset, count: recordLength),
                encodingPayload: encode)
        } else {
            RecordFraming.withFramedRecord(payloadLength: slot.payloadLength, encodingPayload: encode) { record in
                copyIn(record.bytes, at: recordOffset)
            }
        }
        let markerOffset = Int(truncatingIfNeeded: slot.position) & mask
        store(lengthWord, at: (markerOffset &+ 8) & mask)
        c_atomic_word_store_release(memory + markerOffset, slot.position &+ 1)
    }

    // MARK: The consumer

    /// The position after the last reservation (while open; after `close()`, use the
    /// position it returned).
    var reservedEnd: UInt64 { c_atomic_word_load_relaxed(reserved) & ~Self.closedBit }

    /// Refuses every later reservation; returns the position after the last entry accepted.
    /// Closing twice returns the same position.
    func close() -> UInt64 {
        c_atomic_word_fetch_or_relaxed(reserved, Self.closedBit) & ~Self.closedBit
    }

    /// Appends the records of the committed entries from `position` on to `batch` (a scalar
    /// entry's encoded and framed), stopping at `end`, at the first entry not yet committed,
    /// or once `batch` holds `byteLimit` bytes; returns the position reached. The entries
    /// stay reserved until `release`.
    func take(from position: UInt64, to end: UInt64, into batch: inout RecordBatch, byteLimit: Int) -> UInt64 {
        var position = position
        while position < end && batch.byteCount < byteLimit, let entry = committedEntry(at: position) {
            switch entry.record {
            case .scalar(let offset):
                guard let fields = scalarFields(at: offset) else { break }
                ScalarEventEncoding.appendEvent(
                    tail: UnsafeRawBufferPointer(start: fields.tail + 8, count: fields.tail.load(as: Int.self)),
                    value: fields.value, step: fields.step, wallTime: fields.wallTime, to: &batch)
            case .inline(let offset, let length):
                let first = min(length, capacity - offset)
                batch.appendFramedRecord(
                    UnsafeRawBufferPointer(start: memory + offset, count: first),
                    UnsafeRawBufferPointer(start: memory, count: length - first))
            case .indirect(let offset):
                guard let reference = takeReference(at: offset) else { break }
                let record = Unmanaged<IndirectRecord>.fromOpaque(reference).takeRetainedValue()
                record.bytes.withUnsafeBytes { batch.appendFramedRecord($0, UnsafeRawBufferPointer(start: nil, count: 0)) }
            }
            position &+= UInt64(entry.size)
        }
        return position
    }

    /// Releases the entries below `position` (all taken) to the producers.
    func release(upTo position: UInt64) {
        let start = c_atomic_word_load_relaxed(consumed)
        guard position > start else { return }
        let count = Int(truncatingIfNeeded: position &- start)
        let offset = Int(truncatingIfNeeded: start) & mask
        let first = min(count, capacity - offset)
        (memory + offset).initializeMemory(as: UInt8.self, repeating: 0, count: first)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: count - first)
        c_atomic_word_store_release(consumed, position)
    }

    // MARK: Memory

    /// A committed entry: its size in the ring and where its record is.
    private struct Entry {
        enum Record {
            case inline(offset: Int, length: Int)
            /// The offset of the word holding the reference.
            case indirect(offset: Int)
            /// The offset of the `ScalarFields`' first word.
            case scalar(offset: Int)
        }
        let size: Int
        let record: Record
    }

    /// The entry at `position` once committed.
    private func committedEntry(at position: UInt64) -> Entry? {
        let markerOffset = Int(truncatingIfNeeded: position) & mask
        guard c_atomic_word_load_acquire(memory + markerOffset) == position &+ 1 else { return nil }
        let lengthWord = load(at: (markerOffset &+ 8) & mask)
        let recordOffset = (markerOffset &+ Self.headerSize) & mask
        if lengthWord & Self.indirectBit != 0 {
            return Entry(size: Self.headerSize + 8, record: .indirect(offset: recordOffset))
        }
        if lengthWord & Self.scalarBit != 0 {
            return Entry(size: Self.scalarEntrySize, record: .scalar(offset: recordOffset))
        }
        let length = Int(truncatingIfNeeded: lengthWord)
        return Entry(size: Self.headerSize + (length + 7) & ~7, record: .inline(offset: recordOffset, length: length))
    }

    /// The fields of the scalar entry whose first field word is at `offset` (nil for a
    /// null tail address, which `fillScalar` never writes).
    private func scalarFields(at offset: Int) -> ScalarFields? {
        guard let tail = UnsafeRawPointer(bitPattern: UInt(load(at: offset))) else { return nil }
        return ScalarFields(
            tail: tail,
            value: Float(bitPattern: UInt32(truncatingIfNeeded: load(at: (offset &+ 24) & mask))),
            step: Int64(bitPattern: load(at: (offset &+ 8) & mask)),
            wallTime: Double(bitPattern: load(at: (offset &+ 16) & mask)))
    }

    /// The reference an indirect entry holds, cleared so that it is taken once.
    private func takeReference(at offset: Int) -> UnsafeMutableRawPointer? {
        let reference = UnsafeMutableRawPointer(bitPattern: UInt(load(at: offset)))
        store(0, at: offset)
        return reference
    }

    @inline(__always)
    private func load(at offset: Int) -> UInt64 {
        memory.load(fromByteOffset: offset, as: UInt64.self)
    }

    @inline(__always)
    private func store(_ value: UInt64, at offset: Int) {
        memory.storeBytes(of: value, toByteOffset: offset, as: UInt64.self)
    }

    /// Copies `bytes` into the ring from `offset` on, wrapping around its end.
    private func copyIn(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        guard let source = bytes.baseAddress else { return }
        let first = min(bytes.count, capacity - offset)
        (memory + offset).copyMemory(from: source, byteCount: first)
        memory.copyMemory(from: source + first, byteCount: bytes.count - first)
    }
}
