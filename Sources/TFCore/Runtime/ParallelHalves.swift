/// Work split in two halves, run at once on two cores: the calling thread runs half 0 and
/// the helper thread that splits matrix products (`ParallelGEMM`) runs half 1. Use it for
/// work between the session's runs, such as gathering the next batch, so the helper that
/// would otherwise spin idle does half of it.
///
///     ParallelHalves.run { half in copyRows(half == 0 ? 0..<50 : 50..<100) }
///
/// Returns when both halves are done. When the helper is busy (another thread is using
/// it) or the machine has one core, the caller runs both halves itself.
public enum ParallelHalves {
    /// Runs `body(0)` on the calling thread and `body(1)` on the helper thread, at once.
    /// The halves must not write the same memory.
    public static func run(_ body: (_ half: Int) -> Void) {
        guard let helper = ParallelGEMM.shared, helper.claim() else {
            body(0)
            body(1)
            return
        }
        defer { helper.release() }
        withoutActuallyEscaping(body) { escapable in
            helper.start(.half(escapable))
            escapable(0)
            helper.waitForCompletion()
            // The closure must not outlive this call (withoutActuallyEscaping checks).
            helper.clearJob()
        }
    }
}
