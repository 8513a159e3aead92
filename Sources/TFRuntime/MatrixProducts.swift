import TFGraph
/// How a session runs matrix products: each one call to single-threaded OpenBLAS, or, with
/// a two-core helper, large ones split in halves computed at once (`ParallelGEMM`).
struct MatrixProducts {
    /// The session's helper; nil when OpenBLAS threads itself or the machine has one core.
    let helper: ParallelGEMM?

    @inline(__always)
    func run(_ call: GEMMCall) {
        if let helper, ParallelGEMM.splits(call) {
            helper.runSplit(call)
        } else {
            call.run()
        }
    }
}
