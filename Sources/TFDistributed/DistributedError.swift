/// Why a data-parallel job could not start or continue.
public struct DistributedError: Error, CustomStringConvertible, Equatable {
    /// What failed and how to fix it.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
