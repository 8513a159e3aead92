#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex with a condition variable: the background writer's only synchronization.
/// Unsafe pointer use is confined to this type.
final class Condition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
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
    }

    /// Runs `body` holding the mutex.
    @inline(__always)
    func withLock<T, Failure: Error>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits for a broadcast; call with the mutex held (inside `withLock`).
    func wait() {
        pthread_cond_wait(condition, mutex)
    }

    /// Waits for a broadcast or until `seconds` pass; call with the mutex held.
    /// Any `seconds` is safe: NaN, zero and negative values return at once (after a
    /// zero-length wait); values past `longestTimedWait` (also +inf) wait for a broadcast only.
    func wait(seconds: Double) {
        guard seconds < Self.longestTimedWait else {
            wait()
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
    static let longestTimedWait: Double = 1e9

    /// Seconds on the monotonic clock (the clock `wait(seconds:)` measures).
    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }

    /// Wakes every waiter.
    func broadcast() {
        pthread_cond_broadcast(condition)
    }
}
