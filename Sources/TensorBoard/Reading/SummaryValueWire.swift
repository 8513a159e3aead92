import Foundation

/// One `Summary.Value` read in place: its tag, the member of its `value` oneof, and its
/// metadata, as byte views into the event's payload (valid while the payload is).
///
/// `Summary.Value` fields: 1 tag, 2 simple_value (float), 3 obsolete_old_style_histogram,
/// 4 image, 5 histo, 6 audio, 7 node_name, 8 tensor, 9 metadata. Later occurrences win, as
/// protobuf decoding keeps them.
struct SummaryValueWire {
    /// The member of the `value` oneof.
    enum Form {
        case none
        case simpleValue(Float)
        case image(UnsafeRawBufferPointer)
        case histogram(UnsafeRawBufferPointer)
        case audio(UnsafeRawBufferPointer)
        case tensor(UnsafeRawBufferPointer)
        /// `obsolete_old_style_histogram`, which TensorBoard reads as nothing.
        case obsolete
    }

    var tag = UnsafeRawBufferPointer(start: nil, count: 0)
    var form = Form.none
    var metadata: UnsafeRawBufferPointer?

    /// Reads the value held in `bytes`.
    /// - Throws: `ProtoFields.Malformed` when the bytes are not a message.
    @inline(__always)
    init(_ bytes: UnsafeRawBufferPointer) throws(ProtoFields.Malformed) {
        var fields = ProtoFields(bytes)
        while let field = try fields.next() {
            switch (field.number, field.value) {
            case (1, .bytes(let range)): tag = fields.slice(range)
            case (2, .fixed32(let bits)): form = .simpleValue(Float(bitPattern: bits))
            case (3, .bytes): form = .obsolete
            case (4, .bytes(let range)): form = .image(fields.slice(range))
            case (5, .bytes(let range)): form = .histogram(fields.slice(range))
            case (6, .bytes(let range)): form = .audio(fields.slice(range))
            case (8, .bytes(let range)): form = .tensor(fields.slice(range))
            case (9, .bytes(let range)): metadata = fields.slice(range)
            default: break
            }
        }
    }

    /// What `sole(in:tag:)` found.
    enum Sole {
        /// The summary's only value is a `simple_value` of the tag.
        case value(SummaryValueWire)
        /// The summary's only value has another tag.
        case otherTag
        /// Another layout: walk the fields.
        case unknown
    }

    /// Matches the layout almost every scalar event has, without walking fields: a summary
    /// of one value `0A len | 0A taglen tag | 15 float32 | [4A len metadata]`, with one-byte
    /// lengths. Whatever else the bytes hold gives `.unknown`, and the caller walks them.
    /// A later field could replace an earlier one, so a match must end the value exactly.
    @inline(__always)
    static func sole(in summary: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer) -> Sole {
        let count = summary.count
        guard count >= 4, summary[0] == 0x0A, summary[1] < 0x80, Int(summary[1]) == count - 2,
            summary[2] == 0x0A, summary[3] < 0x80
        else { return .unknown }
        let tagEnd = 4 + Int(summary[3])
        guard tagEnd + 5 <= count, summary[tagEnd] == 0x15 else { return .unknown }
        let end = tagEnd + 5
        if end != count {
            // Only a metadata field (9) may follow, spanning the rest.
            guard end + 2 <= count, summary[end] == 0x4A, summary[end + 1] < 0x80, end + 2 + Int(summary[end + 1]) == count
            else { return .unknown }
        }
        var value = SummaryValueWire()
        value.tag = UnsafeRawBufferPointer(rebasing: summary[4..<tagEnd])
        guard value.hasTag(tag) else { return .otherTag }
        value.form = .simpleValue(Float(bitPattern: UInt32(littleEndian: summary.loadUnaligned(fromByteOffset: tagEnd + 1, as: UInt32.self))))
        return .value(value)
    }

    private init() {}

    /// The kind TensorBoard gives a tag whose first value this is.
    func kind() throws(ProtoFields.Malformed) -> SummaryKind {
        switch form {
        case .simpleValue: return .scalars
        case .histogram: return .histograms
        case .image: return .images
        case .audio: return .audio
        case .tensor, .none, .obsolete: return SummaryKind(plugin: try pluginName())
        }
    }

    /// `metadata.plugin_data.plugin_name`, or `""`.
    func pluginName() throws(ProtoFields.Malformed) -> String {
        guard let metadata else { return "" }
        var name = ""
        var fields = ProtoFields(metadata)
        while let field = try fields.next() {
            guard field.number == 1, let range = field.value.range else { continue }
            var plugin = ProtoFields(fields.slice(range))
            while let inner = try plugin.next() {
                if inner.number == 1, let nameRange = inner.value.range {
                    name = String(decoding: plugin.slice(nameRange), as: UTF8.self)
                }
            }
        }
        return name
    }

    /// Whether the tag's bytes are `tag`'s.
    @inline(__always)
    func hasTag(_ tag: UnsafeRawBufferPointer) -> Bool {
        let count = tag.count
        guard self.tag.count == count else { return false }
        guard let mine = self.tag.baseAddress, let theirs = tag.baseAddress else { return true }
        return ShortBytes.equal(mine, theirs, count: count)
    }

    /// The tag as a string.
    var tagString: String { String(decoding: tag, as: UTF8.self) }
}

/// A value that could not be read as its kind: what is wrong, for `RunReaderError.malformedValue`.
struct ValueProblem: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
