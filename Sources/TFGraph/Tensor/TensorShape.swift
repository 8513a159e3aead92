/// A static shape: known rank, each dimension known or unknown (`nil`, e.g. the batch).
public struct TensorShape: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public var dimensions: [Int?]

    public init(_ dimensions: [Int?]) {
        self.dimensions = dimensions
    }

    public init(arrayLiteral elements: Int?...) {
        self.init(elements)
    }

    /// A fully known shape.
    public init(known dimensions: [Int]) {
        self.dimensions = dimensions.map { $0 }
    }

    /// The shape of a scalar.
    public static let scalar = TensorShape([])

    public var rank: Int { dimensions.count }

    /// The dimensions when all are known.
    public var knownDimensions: [Int]? {
        var result: [Int] = []
        for dimension in dimensions {
            guard let dimension else { return nil }
            result.append(dimension)
        }
        return result
    }

    /// Whether a concrete shape fits this one.
    public func accepts(_ concrete: [Int]) -> Bool {
        concrete.count == rank && zip(dimensions, concrete).allSatisfy { $0 == nil || $0 == $1 }
    }

    public var description: String {
        "[" + dimensions.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") + "]"
    }
}

extension Array where Element == Int {
    /// The number of elements of a tensor of this shape, for a shape `Tensor` accepts (see
    /// `checkedElementCount`); 0 for any other. Never traps.
    package var elementCount: Int {
        if case .success(let count) = checkedElementCount { return count }
        return 0
    }

    /// The number of elements of a tensor of this shape, or why no tensor has this shape: a
    /// negative dimension, or dimensions whose product (zeros aside, so that every partial
    /// product, e.g. a row's length, fits too) passes `Int.max`.
    package var checkedElementCount: Result<Int, TensorError> {
        var product = 1
        var hasZero = false
        for (axis, dimension) in enumerated() {
            guard dimension >= 0 else { return .failure(.negativeDimension(shape: self, axis: axis)) }
            if dimension == 0 {
                hasZero = true
                continue
            }
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return .failure(.tooManyElements(shape: self)) }
            product = next
        }
        return .success(hasZero ? 0 : product)
    }
}
