/// One histogram of a histogram series, as TensorBoard's histogram dashboard draws it.
///
/// Both forms become the same buckets: TensorFlow 2's `[k, 3]` tensors are
/// `(left edge, right edge, count)` rows already; TensorFlow 1's `HistogramProto` (bucket
/// limits = right edges, counts, min, max, num, sum, sum of squares) is converted as
/// TensorBoard converts it: empty buckets at both ends are dropped, the first left edge is
/// `min` and the last right edge is `max` (replacing TensorFlow's ±DBL_MAX limits).
public struct HistogramEvent: Sendable, Equatable, SeriesElement {
    /// The step it was logged at.
    public var step: Int64
    /// When it was logged, in seconds since the epoch.
    public var wallTime: Double
    /// The buckets, left to right (the right edges are the bucket limits).
    public var buckets: [Histogram.Bucket]
    /// The smallest value: `min`, or the first bucket's left edge (0 without buckets).
    public var minimum: Double
    /// The largest value: `max`, or the last bucket's right edge (0 without buckets).
    public var maximum: Double
    /// How many values: `num`, or the sum of the bucket counts.
    public var count: Double
    /// The sum of the values; only `HistogramProto` records it (nil for tensors).
    public var sum: Double?
    /// The sum of the squares of the values; only `HistogramProto` records it.
    public var sumOfSquares: Double?

    /// Creates a histogram event from its parts (tests compare read series with these).
    public init(
        step: Int64, wallTime: Double, buckets: [Histogram.Bucket], minimum: Double, maximum: Double, count: Double,
        sum: Double? = nil, sumOfSquares: Double? = nil
    ) {
        self.step = step
        self.wallTime = wallTime
        self.buckets = buckets
        self.minimum = minimum
        self.maximum = maximum
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
    }
}

extension RunReader {
    /// The histogram series `tag`, in the order TensorBoard reads it, restarts applied.
    /// - Throws: `RunReaderError.tagNotFound`, `.kindMismatch`, `.malformedValue` (such as
    ///   a tensor that is not `[k, 3]`); `EventFileError` for damage.
    public func histograms(tag: String) throws -> [HistogramEvent] {
        try series(tag: tag, kind: .histograms) { (value, site) throws(ValueProblem) in
            switch value.form {
            case .histogram(let bytes): return try Self.histogram(proto: bytes, site)
            case .tensor(let bytes): return try Self.histogram(tensor: TensorWire(bytes), site)
            default: throw ValueProblem("it is not a histogram (neither a HistogramProto nor a tensor)")
            }
        }
    }

    /// A `[k, 3]` tensor of (left, right, count) rows.
    static func histogram(tensor: TensorWire, _ site: ValueSite) throws(ValueProblem) -> HistogramEvent {
        let dimensions = try tensor.dimensions()
        guard dimensions.count == 2, dimensions[1] == 3 else {
            throw ValueProblem("a histogram tensor has shape [k, 3], this one \(dimensions)")
        }
        var numbers: [Double] = []
        _ = try tensor.forEachNumber { numbers.append($0) }
        let buckets = stride(from: 0, to: numbers.count, by: 3).map {
            Histogram.Bucket(leftEdge: numbers[$0], rightEdge: numbers[$0 + 1], count: numbers[$0 + 2])
        }
        return HistogramEvent(
            step: site.step, wallTime: site.wallTime, buckets: buckets, minimum: buckets.first?.leftEdge ?? 0,
            maximum: buckets.last?.rightEdge ?? 0, count: buckets.reduce(0) { $0 + $1.count })
    }

    /// A `HistogramProto`: 1 min, 2 max, 3 num, 4 sum, 5 sum_squares (doubles),
    /// 6 bucket_limit, 7 bucket (packed doubles).
    static func histogram(proto bytes: UnsafeRawBufferPointer, _ site: ValueSite) throws(ValueProblem) -> HistogramEvent {
        var scalars = [Double](repeating: 0, count: 6)
        var limits: [Double] = []
        var counts: [Double] = []
        var fields = ProtoFields(bytes)
        while true {
            let next: ProtoField?
            do { next = try fields.next() } catch { throw ValueProblem("the HistogramProto is not well-formed") }
            guard let field = next else { break }
            switch (field.number, field.value) {
            case (1...5, .fixed64(let bits)): scalars[Int(field.number)] = Double(bitPattern: bits)
            case (6, _): try TensorWire.DataType.double.forEachValue(of: field, in: fields) { limits.append($0) }
            case (7, _): try TensorWire.DataType.double.forEachValue(of: field, in: fields) { counts.append($0) }
            default: break
            }
        }
        guard limits.count == counts.count else {
            throw ValueProblem("the HistogramProto has \(limits.count) bucket limits and \(counts.count) counts")
        }
        let (minimum, maximum) = (scalars[1], scalars[2])
        var buckets: [Histogram.Bucket] = []
        if let start = counts.firstIndex(where: { $0 > 0 }), let end = counts.lastIndex(where: { $0 > 0 }) {
            for index in start...end {
                let left = index == start ? minimum : limits[index - 1]
                let right = index == end ? maximum : limits[index]
                buckets.append(Histogram.Bucket(leftEdge: left, rightEdge: right, count: counts[index]))
            }
        }
        return HistogramEvent(
            step: site.step, wallTime: site.wallTime, buckets: buckets, minimum: minimum, maximum: maximum,
            count: scalars[3], sum: scalars[4], sumOfSquares: scalars[5])
    }
}
