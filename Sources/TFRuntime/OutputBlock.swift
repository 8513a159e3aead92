/// A block of a product's output: `rows` x `columns` floats at `c`, rows `ldc` apart,
/// starting at column `firstColumn` of the whole output (what a per-column vector such as a
/// bias is offset by). What a product's finishing pass works on
/// (`MatrixProducts.run(_:finishing:)`).
package struct OutputBlock {
    package let c: UnsafeMutablePointer<Float>
    package let rows: Int
    package let columns: Int
    package let ldc: Int
    package let firstColumn: Int
}
