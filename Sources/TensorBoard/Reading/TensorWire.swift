import TFRecord

/// A `TensorProto` read in place, and its elements as numbers or strings, following
/// TensorFlow's `make_ndarray`: `tensor_content` (raw little-endian elements) when present,
/// else the typed value field; a single typed value stands for every element.
///
/// `TensorProto` fields: 1 dtype, 2 tensor_shape, 4 tensor_content, 5 float_val,
/// 6 double_val, 7 int_val, 8 string_val, 10 int64_val, 13 half_val (also bfloat16).
/// Repeated numbers may be packed (one length-delimited field) or not (one field each).
struct TensorWire {
    /// `DataType` values the reader decodes.
    enum DataType: UInt64 {
        case float = 1, double = 2, int32 = 3, string = 7, int64 = 9, bfloat16 = 14, half = 19
    }

    var dtype: UInt64 = 0
    private var shape: UnsafeRawBufferPointer?
    private var content: UnsafeRawBufferPointer?
    private let bytes: UnsafeRawBufferPointer

    /// Reads the tensor held in `bytes`.
    init(_ bytes: UnsafeRawBufferPointer) throws(ValueProblem) {
        self.bytes = bytes
        var fields = ProtoFields(bytes)
        while let field = try Self.next(&fields) {
            switch (field.number, field.value) {
            case (1, .varint(let value)): dtype = value
            case (2, .bytes(let range)): shape = fields.slice(range)
            case (4, .bytes(let range)) where !range.isEmpty: content = fields.slice(range)
            default: break
            }
        }
    }

    /// The dimensions (`[]` for a scalar).
    func dimensions() throws(ValueProblem) -> [Int] {
        guard let shape else { return [] }
        var dimensions: [Int] = []
        var fields = ProtoFields(shape)
        while let field = try Self.next(&fields) {
            switch (field.number, field.value) {
            case (2, .bytes(let range)):
                var size: UInt64 = 0
                var dim = ProtoFields(fields.slice(range))
                while let inner = try Self.next(&dim) {
                    if inner.number == 1, let value = inner.value.integer { size = value }
                }
                guard let count = Int(exactly: Int64(bitPattern: size)), count >= 0 else {
                    throw ValueProblem("the tensor's shape has a dimension of unknown or negative size")
                }
                dimensions.append(count)
            case (3, .varint(let unknown)) where unknown != 0:
                throw ValueProblem("the tensor's shape is of unknown rank")
            default: break
            }
        }
        return dimensions
    }

    /// The number of elements the shape holds.
    func elementCount() throws(ValueProblem) -> Int {
        var count = 1
        for size in try dimensions() {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw ValueProblem("the tensor's shape holds more elements than can be counted") }
            count = product
        }
        return count
    }

    /// Calls `body` with each element as a Double, in row-major order, and returns how
    /// many there were (the shape's element count).
    /// - Throws: `ValueProblem` for a type that is not a number, or a value count that does
    ///   not fit the shape.
    func forEachNumber(_ body: (Double) -> Void) throws(ValueProblem) -> Int {
        guard let type = DataType(rawValue: dtype), type != .string else {
            throw ValueProblem("the tensor's data type (\(Self.name(dtype))) is not a number")
        }
        let count = try elementCount()
        if let content {
            let size = type.elementSize
            guard content.count / size == count, content.count % size == 0 else {
                throw ValueProblem("tensor_content holds \(content.count) bytes, the shape needs \(count) elements of \(size)")
            }
            for index in 0..<count { body(type.load(content, at: index * size)) }
            return count
        }
        // The typed field, read twice rather than gathered into an array: a single value
        // stands for every element, otherwise there must be one per element.
        var seen = 0
        var first = 0.0
        try forEachTypedValue(of: type) { value in
            if seen == 0 { first = value }
            seen += 1
        }
        if seen == 1 {
            try Self.checkBroadcast(count)
            for _ in 0..<count { body(first) }
        } else if seen == count {
            try forEachTypedValue(of: type, body)
        } else {
            throw ValueProblem("the tensor holds \(seen) values, its shape needs \(count)")
        }
        return count
    }

    /// Calls `body` with every value of the typed field of `type`, packed or not, in order.
    private func forEachTypedValue(of type: DataType, _ body: (Double) -> Void) throws(ValueProblem) {
        var fields = ProtoFields(bytes)
        while let field = try Self.next(&fields) {
            guard field.number == type.valueField else { continue }
            try type.forEachValue(of: field, in: fields, body)
        }
    }

    /// The single number of a one-element tensor (any rank), without allocating for the
    /// common forms (one `float_val`, or 4 to 8 bytes of `tensor_content`).
    func singleNumber() throws(ValueProblem) -> Double {
        var value = 0.0
        let count = try forEachNumber { value = $0 }
        guard count == 1 else { throw ValueProblem("the tensor holds \(count) elements, a scalar has one") }
        return value
    }

    /// The elements of a string tensor, and its dimensions.
    func strings() throws(ValueProblem) -> (elements: [UnsafeRawBufferPointer], dimensions: [Int]) {
        guard dtype == DataType.string.rawValue else {
            throw ValueProblem("the tensor's data type (\(Self.name(dtype))) is not a string")
        }
        var elements: [UnsafeRawBufferPointer] = []
        var fields = ProtoFields(bytes)
        while let field = try Self.next(&fields) {
            if field.number == 8, let range = field.value.range { elements.append(fields.slice(range)) }
        }
        let dimensions = try dimensions()
        let count = try elementCount()
        if elements.count == 1 && count != 1 {
            try Self.checkBroadcast(count)
            elements = Array(repeating: elements[0], count: count)
        }
        guard elements.count == count else {
            throw ValueProblem("the tensor holds \(elements.count) strings, its shape needs \(count)")
        }
        return (elements, dimensions)
    }

    /// The most elements one stored value may stand for. TensorFlow stores a tensor whose
    /// elements are all equal as one value; a summary tensor is small, and a damaged shape
    /// must not make the reader allocate what the file does not hold.
    static let broadcastLimit = 1 << 16

    private static func checkBroadcast(_ count: Int) throws(ValueProblem) {
        guard count <= broadcastLimit else {
            throw ValueProblem("the tensor's one value stands for \(count) elements, more than \(broadcastLimit)")
        }
    }

    @inline(__always)
    private static func next(_ fields: inout ProtoFields) throws(ValueProblem) -> ProtoField? {
        do {
            return try fields.next()
        } catch {
            throw ValueProblem("the tensor is not a well-formed TensorProto (bad field at byte \(error.position))")
        }
    }

    static func name(_ dtype: UInt64) -> String {
        switch DataType(rawValue: dtype) {
        case .float: return "DT_FLOAT"
        case .double: return "DT_DOUBLE"
        case .int32: return "DT_INT32"
        case .string: return "DT_STRING"
        case .int64: return "DT_INT64"
        case .bfloat16: return "DT_BFLOAT16"
        case .half: return "DT_HALF"
        case nil: return "DataType \(dtype)"
        }
    }
}

extension TensorWire.DataType {
    /// Bytes per element in `tensor_content`.
    var elementSize: Int {
        switch self {
        case .float, .int32: return 4
        case .double, .int64: return 8
        case .half, .bfloat16: return 2
        case .string: return 0
        }
    }

    /// The typed value field: float_val, double_val, int_val, int64_val, half_val.
    var valueField: UInt64 {
        switch self {
        case .float: return 5
        case .double: return 6
        case .int32: return 7
        case .int64: return 10
        case .half, .bfloat16: return 13
        case .string: return 8
        }
    }

    /// The element at byte `offset` of raw little-endian content.
    @inline(__always)
    func load(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Double {
        switch self {
        case .float: return Double(Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
        case .double: return Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        case .int32: return Double(Int32(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
        case .int64: return Double(Int64(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
        case .half, .bfloat16: return fromBits(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        case .string: return 0
        }
    }

    /// A 16-bit float's value: IEEE half, or bfloat16 (the top half of a float32).
    @inline(__always)
    func fromBits(_ bits: UInt16) -> Double {
        if self == .bfloat16 { return Double(Float(bitPattern: UInt32(bits) << 16)) }
        let sign = bits >> 15 == 0 ? 1.0 : -1.0
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Double(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    /// Calls `body` with the values one occurrence of the typed field holds (packed or single).
    @inline(__always)
    func forEachValue(of field: ProtoField, in fields: ProtoFields, _ body: (Double) -> Void) throws(ValueProblem) {
        switch (self, field.value) {
        case (.float, .fixed32(let bits)):
            body(Double(Float(bitPattern: bits)))
        case (.double, .fixed64(let bits)):
            body(Double(bitPattern: bits))
        case (.float, .bytes(let range)), (.double, .bytes(let range)):
            let size = elementSize
            guard range.count % size == 0 else { throw ValueProblem("a packed value field has \(range.count) bytes") }
            let packed = fields.slice(range)
            for offset in stride(from: 0, to: packed.count, by: size) { body(load(packed, at: offset)) }
        case (.half, .varint(let raw)), (.bfloat16, .varint(let raw)), (.int32, .varint(let raw)), (.int64, .varint(let raw)):
            body(number(fromVarint: raw))
        case (.half, .bytes(let range)), (.bfloat16, .bytes(let range)), (.int32, .bytes(let range)), (.int64, .bytes(let range)):
            let packed = fields.slice(range)
            var index = 0
            while index < packed.count {
                guard let raw = Varint.decode(packed, &index) else { throw ValueProblem("a packed value field is cut short") }
                body(number(fromVarint: raw))
            }
        default:
            throw ValueProblem("a value field of \(TensorWire.name(rawValue)) has the wrong wire type")
        }
    }

    @inline(__always)
    private func number(fromVarint raw: UInt64) -> Double {
        switch self {
        case .half, .bfloat16: return fromBits(UInt16(truncatingIfNeeded: raw))
        case .int32: return Double(Int32(truncatingIfNeeded: raw))
        default: return Double(Int64(bitPattern: raw))
        }
    }
}
