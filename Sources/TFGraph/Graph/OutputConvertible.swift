/// Anything usable where an op takes a tensor: an `Output`, or a `Variable` (its value).
public protocol OutputConvertible {
    var output: Output { get }
}

extension Output: OutputConvertible {
    public var output: Output { self }
}
