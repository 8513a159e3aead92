/// A protobuf wire encoder for the messages tracing writes every traced step: fields are
/// appended in order, proto3 defaults (0, empty) omitted, and each nested message encoded
/// into its own buffer and then appended behind its length, so no size is computed twice
/// (a size-first encoder measures a message again at every level of its nesting, and run
/// metadata nests seven deep).
struct ProtoEncoder {
    private(set) var bytes: [UInt8] = []

    private mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private mutating func key(_ field: Int, wireType: UInt64) {
        varint(UInt64(field) << 3 | wireType)
    }

    /// An `int64`, `int32` or enum field (negative values as ten-byte varints, as protobuf
    /// writes them).
    mutating func int64(_ field: Int, _ value: Int64) {
        guard value != 0 else { return }
        key(field, wireType: 0)
        varint(UInt64(bitPattern: value))
    }

    /// A `uint32` or `uint64` field; `always` writes a 0 too (a map entry's key, which
    /// protobuf encoders write whatever its value).
    mutating func uint64(_ field: Int, _ value: UInt64, always: Bool = false) {
        guard value != 0 || always else { return }
        key(field, wireType: 0)
        varint(value)
    }

    /// A `string` field.
    mutating func string(_ field: Int, _ value: String) {
        guard !value.isEmpty else { return }
        key(field, wireType: 2)
        var text = value
        text.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A message field (written even when empty: a set message is present).
    mutating func message(_ field: Int, _ body: (inout ProtoEncoder) -> Void) {
        var nested = ProtoEncoder()
        body(&nested)
        key(field, wireType: 2)
        varint(UInt64(nested.bytes.count))
        bytes.append(contentsOf: nested.bytes)
    }
}
