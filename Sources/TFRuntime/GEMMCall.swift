import TFGraph
import COpenBLAS

/// One `cblas_sgemm` call, row-major: `c = alpha * op(a) x op(b) + beta * c`.
/// (`package` for the bench's `gemm-split` row.)
package struct GEMMCall {
    var transposeA: Bool
    var transposeB: Bool
    var m: Int
    var n: Int
    var k: Int
    var alpha: Float
    var a: UnsafePointer<Float>
    var lda: Int
    var b: UnsafePointer<Float>
    var ldb: Int
    var beta: Float
    var c: UnsafeMutablePointer<Float>
    var ldc: Int

    package init(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        (self.transposeA, self.transposeB, self.m, self.n, self.k) = (transposeA, transposeB, m, n, k)
        (self.alpha, self.a, self.lda, self.b, self.ldb, self.beta, self.c, self.ldc) = (alpha, a, lda, b, ldb, beta, c, ldc)
    }

    package func run() {
        c_tfblas_sgemm(
            transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
            beta, c, Int32(ldc))
    }

    /// Multiply-adds of the call.
    var work: Int { m * n * k }

    /// The call as two calls on disjoint halves of `c`: rows when `c` is taller than wide,
    /// else columns. Each half reads only its part of `a` (rows) or `b` (columns).
    func halves() -> (GEMMCall, GEMMCall) {
        var first = self
        var second = self
        if m >= n {
            let half = m / 2
            first.m = half
            second.m = m - half
            second.a = transposeA ? a + half : a + half * lda
            second.c = c + half * ldc
        } else {
            let half = n / 2
            first.n = half
            second.n = n - half
            second.b = transposeB ? b + half * ldb : b + half
            second.c = c + half
        }
        return (first, second)
    }

    /// Runs the call, then `finish` (when given) on the block of `c` it wrote, a part of
    /// `whole`'s output.
    @inline(__always)
    func run(finishing finish: ((OutputBlock) -> Void)?, within whole: GEMMCall) {
        run()
        finish?(block(within: whole))
    }

    /// The block of `c` this call writes, as a part of `whole` (itself, or a half of it).
    func block(within whole: GEMMCall) -> OutputBlock {
        // A half starts at a row (its column is 0) or at a column of the first row.
        let offset = c - whole.c
        let firstColumn = offset < whole.ldc ? offset : 0
        return OutputBlock(c: c, rows: m, columns: n, ldc: ldc, firstColumn: firstColumn)
    }
}
