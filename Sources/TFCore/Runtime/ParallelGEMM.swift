import COpenBLAS
import Foundation
import Synchronization

/// Runs large matrix products on two cores: the calling thread computes one half of the
/// output while a helper thread computes the other, each with single-threaded OpenBLAS.
///
/// It avoids OpenBLAS's own threading, which wakes its pool and allocates a job buffer per
/// call. The bench's `train-step` row against `train-step-unsplit` (every product one
/// call on one core) shows what the split gains on the machine at hand. The helper spins briefly after each job
/// (a training step issues its products microseconds apart), then sleeps.
/// One session at a time uses it; a concurrent caller runs both halves itself.
package final class ParallelGEMM: @unchecked Sendable {
    /// Products with at least this many multiply-adds are split (smaller ones lose more
    /// to the handoff than they gain). 2^18 splits the tutorial's 100x128x32-sized
    /// products (409 600) as well as its two 10 M ones, and none of its 32 000-sized ones.
    /// The bench's `gemm-split` row times every one of those shapes split and unsplit,
    /// and its note says where this threshold disagrees with the measurement.
    package static let threshold = 1 << 18

    /// The shared helper, or nil on a single-core machine.
    static let shared: ParallelGEMM? = ProcessInfo.processInfo.activeProcessorCount >= 2 ? ParallelGEMM() : nil

    /// Runs `call`, split across two cores when it is large enough. Whether a product is
    /// split depends on its size alone: when the helper is busy (another session) or
    /// absent (one core), the caller runs both halves itself, so a seeded run computes the
    /// same bits whatever else the process is doing.
    package static func run(_ call: GEMMCall) {
        guard call.work >= threshold else {
            call.run()
            return
        }
        let (mine, theirs) = call.halves()
        guard let helper = shared, helper.claim() else {
            mine.run()
            theirs.run()
            return
        }
        defer { helper.release() }
        helper.start(.gemm(theirs))
        mine.run()
        helper.waitForCompletion()
    }

    /// What the helper runs: the second half of a product, or half 1 of a caller's work.
    enum Job {
        case gemm(GEMMCall)
        case half((Int) -> Void)
    }

    // The job handoff: `posted` counts jobs given to the helper, `finished` jobs it completed.
    private let posted = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let isSleeping = Atomic<Bool>(false)
    private var job: Job?
    private var mutex = pthread_mutex_t()
    private var wakeUp = pthread_cond_t()
    /// Spin iterations before the helper sleeps (~0.3 ms).
    private static let spinLimit = 20_000

    private init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&wakeUp, nil)
        let thread = Thread { [unowned self] in self.helperLoop() }
        thread.name = "ParallelGEMM"
        thread.start()
    }

    func claim() -> Bool {
        busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    func release() {
        busy.store(false, ordering: .releasing)
    }

    func start(_ next: Job) {
        job = next
        posted.add(1, ordering: .sequentiallyConsistent)
        if isSleeping.load(ordering: .sequentiallyConsistent) {
            pthread_mutex_lock(&mutex)
            pthread_cond_signal(&wakeUp)
            pthread_mutex_unlock(&mutex)
        }
    }

    func clearJob() {
        job = nil
    }

    func waitForCompletion() {
        let target = posted.load(ordering: .relaxed)
        while finished.load(ordering: .acquiring) != target { spinPause() }
    }

    private func helperLoop() {
        var seen = 0
        while true {
            var spins = 0
            while posted.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < Self.spinLimit {
                    spinPause()
                    continue
                }
                pthread_mutex_lock(&mutex)
                isSleeping.store(true, ordering: .sequentiallyConsistent)
                while posted.load(ordering: .sequentiallyConsistent) == seen { pthread_cond_wait(&wakeUp, &mutex) }
                isSleeping.store(false, ordering: .relaxed)
                pthread_mutex_unlock(&mutex)
            }
            seen = posted.load(ordering: .acquiring)
            runJob()
            finished.store(seen, ordering: .releasing)
        }
    }

    /// Runs the posted job. Apart so that its copy of a closure is released on return,
    /// before the caller learns the job finished and clears it.
    @inline(never)
    private func runJob() {
        switch job {
        case .gemm(let call): call.run()
        case .half(let body): body(1)
        case nil: break
        }
    }

    @inline(__always)
    private func spinPause() { c_tfblas_spin_pause() }
}
