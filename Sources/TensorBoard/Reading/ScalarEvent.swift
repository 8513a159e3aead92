/// One point of a scalar series.
///
/// `value` is a `Double`, which holds every form exactly: float32 (`simple_value`, the
/// usual tensors), float64 and float16 tensors. A float32 value is widened, as TensorBoard
/// serves it: `0.2` written as a `Float` reads back as `0.20000000298023224`, which equals
/// `Double(Float(0.2))`; compare with that, or with a float32 tolerance.
public struct ScalarEvent: Sendable, Equatable, SeriesElement {
    /// The step it was logged at.
    public var step: Int64
    /// When it was logged, in seconds since the epoch.
    public var wallTime: Double
    /// The value.
    public var value: Double

    /// Creates a point from its parts (tests compare read series with these).
    public init(step: Int64, wallTime: Double, value: Double) {
        self.step = step
        self.wallTime = wallTime
        self.value = value
    }
}

extension RunReader {
    /// The scalar series `tag`, in the order TensorBoard reads it, restarts applied (see
    /// `RunReader`): `simple_value`s and one-element numeric tensors.
    ///
    ///     let loss = try RunReader(path: "runs/exp1").scalars(tag: "loss")
    ///
    /// - Throws: `RunReaderError.tagNotFound` (with the run's tags), `.kindMismatch` when
    ///   the tag holds another kind (a histogram is never read as 0), `.malformedValue` for
    ///   a tensor that is not a one-element number; `EventFileError` for damage.
    /// - Complexity: one pass over the run; only values of `tag` are decoded.
    public func scalars(tag: String) throws -> [ScalarEvent] {
        try series(tag: tag, kind: .scalars) { (value, site) throws(ValueProblem) in
            ScalarEvent(step: site.step, wallTime: site.wallTime, value: try Self.scalar(of: value))
        }
    }

    @inline(__always)
    static func scalar(of value: SummaryValueWire) throws(ValueProblem) -> Double {
        switch value.form {
        case .simpleValue(let number):
            return Double(number)
        case .tensor(let bytes):
            return try TensorWire(bytes).singleNumber()
        case .none, .obsolete:
            throw ValueProblem("it holds no value")
        case .histogram:
            throw ValueProblem("it is a histogram in a scalar series")
        case .image:
            throw ValueProblem("it is an image in a scalar series")
        case .audio:
            throw ValueProblem("it is audio in a scalar series")
        }
    }
}
