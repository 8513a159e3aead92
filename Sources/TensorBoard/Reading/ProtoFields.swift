import TFRecord

/// One field of a protobuf message, read in place: its number, and its value as a varint,
/// a fixed-width bit pattern or a byte range (length-delimited fields, i.e. strings, bytes,
/// messages and packed repeated numbers).
struct ProtoField {
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(Range<Int>)
    }

    var number: UInt64
    var value: Value
}

/// Walks the fields of one protobuf message held in a borrowed buffer, without decoding it
/// into a type: the reading API's way to pick the few fields it needs from an `Event` or a
/// `Summary.Value` at the speed of the framing. Groups (wire types 3/4, obsolete) are
/// skipped as a whole. Offsets in `ProtoField.Value.bytes` are relative to `bytes`.
struct ProtoFields {
    let bytes: UnsafeRawBufferPointer
    private(set) var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Why a message could not be walked: its bytes, relative to the message.
    struct Malformed: Error {
        var position: Int
    }

    /// The next field, or nil at the end of the message.
    /// - Throws: `Malformed` for a bad key, a length past the end, or an unclosed group.
    @inline(__always)
    mutating func next() throws(Malformed) -> ProtoField? {
        while index < bytes.count {
            let start = index
            let key = try varint(start)
            let number = key >> 3
            guard number != 0 else { throw Malformed(position: start) }
            switch key & 7 {
            case 0:
                return ProtoField(number: number, value: .varint(try varint(start)))
            case 1:
                guard bytes.count - index >= 8 else { throw Malformed(position: start) }
                defer { index += 8 }
                return ProtoField(number: number, value: .fixed64(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))))
            case 5:
                guard bytes.count - index >= 4 else { throw Malformed(position: start) }
                defer { index += 4 }
                return ProtoField(number: number, value: .fixed32(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self))))
            case 2:
                let length = try varint(start)
                guard length <= UInt64(bytes.count - index) else { throw Malformed(position: start) }
                let range = index..<index + Int(length)
                index = range.upperBound
                return ProtoField(number: number, value: .bytes(range))
            case 3:
                try skipGroup(number, start: start, depth: 0)  // an obsolete group: skipped whole
            default:
                throw Malformed(position: start)
            }
        }
        return nil
    }

    /// The bytes of a length-delimited field's range.
    @inline(__always)
    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    @inline(__always)
    private mutating func varint(_ start: Int) throws(Malformed) -> UInt64 {
        guard index < bytes.count else { throw Malformed(position: start) }
        let first = bytes[index]
        if first < 0x80 {
            index += 1
            return UInt64(first)
        }
        guard let value = Varint.decode(bytes, &index) else { throw Malformed(position: start) }
        return value
    }

    @inline(never)
    private mutating func skipGroup(_ number: UInt64, start: Int, depth: Int) throws(Malformed) {
        guard depth < EventWireCheck.depthLimit else { throw Malformed(position: start) }
        while index < bytes.count {
            let key = try varint(start)
            guard key >> 3 != 0 else { throw Malformed(position: start) }
            switch key & 7 {
            case 4:
                guard key >> 3 == number else { throw Malformed(position: start) }
                return
            case 3:
                try skipGroup(key >> 3, start: start, depth: depth + 1)
            case 0:
                _ = try varint(start)
            case 1, 5:
                let size = key & 7 == 1 ? 8 : 4
                guard bytes.count - index >= size else { throw Malformed(position: start) }
                index += size
            case 2:
                let length = try varint(start)
                guard length <= UInt64(bytes.count - index) else { throw Malformed(position: start) }
                index += Int(length)
            default:
                throw Malformed(position: start)
            }
        }
        throw Malformed(position: start)
    }
}

extension ProtoField.Value {
    /// The field as a string's or message's bytes, if it is length-delimited.
    @inline(__always)
    var range: Range<Int>? {
        if case .bytes(let range) = self { return range }
        return nil
    }

    /// The field as a varint, if it is one.
    @inline(__always)
    var integer: UInt64? {
        if case .varint(let value) = self { return value }
        return nil
    }
}
