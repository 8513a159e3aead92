import TFGraph
/// How a session runs matrix products: each one call to single-threaded OpenBLAS, or, with
/// a two-core helper, large ones split in halves computed at once (`ParallelGEMM`).
struct MatrixProducts {
    /// The session's helper; nil when OpenBLAS threads itself or the machine has one core.
    let helper: ParallelGEMM?

    /// Runs `call`, then `finish` (when given) on the block of `c` it wrote; a split call's
    /// halves each finish their own block on the core that computed it, while it is in that
    /// core's cache (a fused bias add and activation touch no line the other core wrote).
    @inline(__always)
    func run(_ call: GEMMCall, finishing finish: ((OutputBlock) -> Void)? = nil) {
        if let helper, ParallelGEMM.splits(call) {
            helper.runSplit(call, finishing: finish)
        } else {
            call.run(finishing: finish, within: call)
        }
    }
}
