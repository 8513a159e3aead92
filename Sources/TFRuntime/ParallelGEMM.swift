import TFGraph
import COpenBLAS
import Foundation
import Synchronization

/// A second core for one session: large matrix products are split in halves, the calling
/// thread computing one while a helper thread computes the other, each with
/// single-threaded OpenBLAS; between runs, the session lends it to other work
/// (`Session.runInHalves`).
///
/// It avoids OpenBLAS's own threading, which wakes its pool and allocates a job buffer per
/// call. The bench's `train-step` row against `train-step-unsplit` (every product one call
/// on one core) shows what the split gains on the machine at hand. The helper thread starts
/// with the first job, spins briefly after each (a training step issues its products
/// microseconds apart), then sleeps; `stop()` (called when its session goes) ends it.
///
/// A caller that finds the helper busy (two threads using one session) runs both halves
/// itself, so whether a product is split, and so its bits, depends on its size alone. A
/// caller done with its half before the helper has taken the other (the helper asleep, or
/// its core taken by another process) takes that half back and runs it too, rather than
/// waiting for a thread the scheduler has not run yet. Once the helper has claimed a half,
/// the caller waits for it (yielding its core now and then, should the helper be preempted).
package final class ParallelGEMM: @unchecked Sendable {
    /// Products with at least this many multiply-adds are split (smaller ones lose more
    /// to the handoff than they gain), if their inner dimension is at least
    /// `minimumSplitDepth`. 2^18 splits the tutorial's 128x32x100-sized products (409 600)
    /// as well as its two 10 M ones, and none of its 32 000-sized ones. The bench's
    /// `gemm-split` row times every one of those shapes split and unsplit, and its note
    /// says where this rule disagrees with the measurement.
    package static let threshold = 1 << 18

    /// Products whose inner dimension (k) is below this are not split: each half packs the
    /// whole shared operand for little arithmetic (the tutorial's 100x128x32 product, 409 600
    /// multiply-adds, took ~19 us in one call and ~29 us split in every bench run on
    /// Intel; its 128x32x100 and 100x32x128, the same work with k = 100 and 128, gain from
    /// the split).
    package static let minimumSplitDepth = 64

    /// Whether `call` is split over the two cores: `threshold` and `minimumSplitDepth`.
    package static func splits(_ call: GEMMCall) -> Bool {
        call.work >= threshold && call.k >= minimumSplitDepth
    }

    /// What the helper runs: the second half of a product (then, when given, the product's
    /// finishing pass over that half's block of `whole`'s output), or half 1 of a caller's work.
    private enum Job {
        case gemm(GEMMCall, whole: GEMMCall, finish: ((OutputBlock) -> Void)?)
        case half((Int) -> Void)
    }

    /// The thread's life, behind one lock.
    private struct Life {
        var threadStarted = false
        var isStopping = false
    }

    // `posted` counts jobs given to the helper, `finished` jobs it completed; `claimed` is
    // the last job taken, by the helper or by the caller taking it back (job n is taken by
    // moving `claimed` from n - 1 to n, so exactly one of them runs it); `busy` is held
    // by the one caller using the helper. A caller posts, then checks `isSleeping`; the
    // helper sets `isSleeping`, then checks `posted` (both sequentially consistent), so one
    // of them always sees the other and no wake-up is lost.
    private let posted = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let claimed = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let isSleeping = Atomic<Bool>(false)
    private let life = Mutex(Life())
    /// The job handed over. Safety (why the class is `@unchecked Sendable`): only the caller
    /// holding `busy` writes it, before it increments `posted` (releasing); the helper reads
    /// it only after it sees the increment (acquiring) and claims the job, and the caller
    /// reads or clears it again only after claiming the job itself or after `finished`
    /// shows the helper is done with it.
    private var job: Job?
    private let wakeUp = Wakeup()
    /// Spin iterations before the helper sleeps: enough to bridge the gaps between one
    /// step's products, few enough not to hold a core between steps.
    private static let spinLimit = 20_000

    /// A helper for a machine with two cores or more, else nil.
    package static func forThisMachine() -> ParallelGEMM? {
        ProcessInfo.processInfo.activeProcessorCount >= 2 ? ParallelGEMM() : nil
    }

    package init() {}

    /// Runs `call` in two halves at once, each followed by `finish` (when given) on the block
    /// of the output it wrote, on the thread that computed it (both halves on the caller
    /// while the helper is busy). `finish` is stored, not wrapped, so a warm call allocates
    /// nothing.
    package func runSplit(_ call: GEMMCall, finishing finish: ((OutputBlock) -> Void)? = nil) {
        let (mine, theirs) = call.halves()
        guard claim() else {
            mine.run(finishing: finish, within: call)
            theirs.run(finishing: finish, within: call)
            return
        }
        defer { release() }
        start(.gemm(theirs, whole: call, finish: finish))
        mine.run(finishing: finish, within: call)
        if takeBack() { theirs.run(finishing: finish, within: call) } else { waitForCompletion() }
        // The helper's copy of `finish` went with its job; drop the handed-over one too.
        if finish != nil { job = nil }
    }

    /// Runs `body(0)` on the calling thread and `body(1)` on the helper, at once; returns when
    /// both are done. The halves must not write the same memory.
    package func runHalves(_ body: (_ half: Int) -> Void) {
        guard claim() else {
            body(0)
            body(1)
            return
        }
        defer { release() }
        withoutActuallyEscaping(body) { escapable in
            start(.half(escapable))
            escapable(0)
            if takeBack() { escapable(1) } else { waitForCompletion() }
            // The closure must not outlive this call (withoutActuallyEscaping checks).
            job = nil
        }
    }

    /// Ends the helper thread (it finishes a job in flight first). Later calls run both
    /// halves on the caller.
    package func stop() {
        // Holding `busy` for good makes every later caller run alone.
        while !claim() { c_tfblas_spin_pause() }
        life.withLock { $0.isStopping = true }
        posted.add(1, ordering: .sequentiallyConsistent)
        wakeUp.signal()
    }

    private func claim() -> Bool {
        busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    private func release() {
        busy.store(false, ordering: .releasing)
    }

    private func start(_ next: Job) {
        job = next
        let needsThread = life.withLock { state in
            defer { state.threadStarted = true }
            return !state.threadStarted
        }
        posted.add(1, ordering: .sequentiallyConsistent)
        if needsThread {
            let thread = Thread { [self] in helperLoop() }
            thread.name = "ParallelGEMM"
            thread.start()
        } else if isSleeping.load(ordering: .sequentiallyConsistent) {
            wakeUp.signal()
        }
    }

    /// Claims the posted job for the caller, if the helper has not claimed it yet.
    private func takeBack() -> Bool {
        let job = posted.load(ordering: .relaxed)
        return claimed.compareExchange(expected: job - 1, desired: job, ordering: .acquiringAndReleasing).exchanged
    }

    /// Waits for the job the helper claimed; it is running, so this is short unless the
    /// helper's thread is preempted, when the caller yields its core every so often.
    private func waitForCompletion() {
        let target = posted.load(ordering: .relaxed)
        var spins = 0
        while finished.load(ordering: .acquiring) != target {
            spins &+= 1
            if spins & 0x3FF == 0 { sched_yield() } else { c_tfblas_spin_pause() }
        }
    }

    private func helperLoop() {
        var seen = 0
        while true {
            var spins = 0
            while posted.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < Self.spinLimit {
                    c_tfblas_spin_pause()
                    continue
                }
                isSleeping.store(true, ordering: .sequentiallyConsistent)
                wakeUp.wait { posted.load(ordering: .sequentiallyConsistent) != seen }
                isSleeping.store(false, ordering: .relaxed)
            }
            seen = posted.load(ordering: .acquiring)
            guard !life.withLock({ $0.isStopping }) else { return }
            // Jobs are posted one at a time, each once the previous was finished or taken
            // back, so the newest is the only one that may still be unclaimed.
            guard claimed.compareExchange(expected: seen - 1, desired: seen, ordering: .acquiringAndReleasing).exchanged
            else { continue }
            runJob()
            finished.store(seen, ordering: .releasing)
        }
    }

    /// Runs a job. Apart so that its copy of a closure is released on return, before the
    /// caller learns the job finished and clears it.
    @inline(never)
    private func runJob() {
        switch job {
        case .gemm(let call, let whole, let finish): call.run(finishing: finish, within: whole)
        case .half(let body): body(1)
        case nil: break
        }
    }
}
