#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex, the state it guards, and a condition variable: the background writer's only
/// synchronization.
///
/// The state is reachable only inside `withLock`, which holds the mutex for the whole call,
/// so every read and write of it is made holding the mutex; that is why the type can promise
/// `Sendable` (it is `@unchecked` only because the compiler cannot see through the pthread
/// calls). Unsafe pointer use is confined to this type.
final class ConditionLock<State: Sendable>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let storage: UnsafeMutablePointer<State>

    init(_ initial: State) {
        storage = .allocate(capacity: 1)
        storage.initialize(to: initial)
        pthread_mutex_init(mutex, nil)
        #if canImport(Darwin)
        pthread_cond_init(condition, nil)  // timed waits are relative there (no clock to choose)
        #else
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
        #endif
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    /// The state while the mutex is held, and the waits that release it for a while.
    ///
    /// Each use of `state` is its own access to the shared memory, not one `inout` access
    /// for the whole critical section: other threads change the state during a wait, and an
    /// `inout` access would let the optimizer assume they do not (and keep a field it read
    /// before the wait in a register).
    struct Locked {
        fileprivate let lock: ConditionLock

        /// The guarded state.
        var state: State {
            unsafeAddress { UnsafePointer(lock.storage) }
            nonmutating unsafeMutableAddress { lock.storage }
        }

        /// Waits for a broadcast, releasing the mutex meanwhile.
        func wait() {
            pthread_cond_wait(lock.condition, lock.mutex)
        }

        /// Waits for a broadcast or until `seconds` pass, releasing the mutex meanwhile. Any
        /// `seconds` is safe: NaN, zero and negative values return at once; values past
        /// `longestTimedWait` (also +inf) wait for a broadcast only.
        func wait(seconds: Double) {
            lock.wait(seconds: seconds)
        }

        /// Wakes every waiter.
        func broadcast() {
            pthread_cond_broadcast(lock.condition)
        }
    }

    /// Runs `body` holding the mutex.
    @inline(__always)
    func withLock<Result, Failure: Error>(_ body: (Locked) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(Locked(lock: self))
    }

    private func wait(seconds: Double) {
        guard seconds < Self.longestTimedWait else {
            pthread_cond_wait(condition, mutex)
            return
        }
        guard seconds > 0 else { return }  // also NaN
        #if canImport(Darwin)
        let whole = seconds.rounded(.down)
        var interval = timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1e9))
        pthread_cond_timedwait_relative_np(condition, mutex, &interval)
        #else
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let whole = seconds.rounded(.down)
        var nanoseconds = Int(deadline.tv_nsec) + Int((seconds - whole) * 1e9)
        deadline.tv_sec += Int(whole) + nanoseconds / 1_000_000_000
        nanoseconds %= 1_000_000_000
        deadline.tv_nsec = nanoseconds
        pthread_cond_timedwait(condition, mutex, &deadline)
        #endif
    }

    /// About 31 years: longer timed waits are waits without a deadline (and the deadline
    /// arithmetic stays far from overflowing `time_t`).
    static var longestTimedWait: Double { 1e9 }

    /// Seconds on the monotonic clock (the clock `wait(seconds:)` measures).
    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }
}
