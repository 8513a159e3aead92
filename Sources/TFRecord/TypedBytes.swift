extension Array where Element == UInt8 {
    /// `withUnsafeBytes`, keeping the body's error type (the standard one only rethrows).
    @inlinable
    func withBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let outcome = withUnsafeBytes { bytes in Swift.Result { () throws(Failure) in try body(bytes) } }
        return try outcome.get()
    }
}
