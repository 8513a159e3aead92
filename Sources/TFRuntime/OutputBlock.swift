/// A block of a product's output: `rows` x `columns` floats at `c`, rows `ldc` apart,
/// starting at column `firstColumn` of the whole output (what a per-column vector such as a
/// bias is offset by). What a product's finishing pass works on
/// (`MatrixProducts.run(_:finishing:)`).
struct OutputBlock {
    let c: UnsafeMutablePointer<Float>
    let rows: Int
    let columns: Int
    let ldc: Int
    let firstColumn: Int
}
